import Foundation

/// Turns the Markdown a creator writes in course.yaml into Telegram's HTML subset.
///
/// It exists so a course text can never make `sendMessage` fail with "can't parse entities": every
/// character that is not markup is escaped, only tags Telegram knows are written, tags are always
/// balanced and properly nested, and a marker without its partner stays literal text.
///
/// Supported: `**bold**`/`__bold__`, `*italic*`/`_italic_`, `` `code` ``, fenced code blocks with an
/// optional language, `[text](url)` links (http, https and tg URLs only; others become plain text),
/// `~~strike~~`, `||spoiler||`, `-`/`*`/`+` and `1.` lists, `>` quotes, `#` headings (bold) and `---`
/// rules. Underscores inside words (`snake_case`) are not emphasis.
public struct MarkdownRenderer: Sendable {
    public init() {}

    /// Renders `markdown` to Telegram HTML (for `parse_mode: HTML`).
    public func render(_ markdown: String) -> String {
        let normalized = markdown.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return renderBlocks(lines, insideQuote: false)
    }

    /// Renders inline Markdown only (no blocks): for a title, a button-adjacent line or a caption line.
    public func renderInline(_ markdown: String) -> String {
        MarkdownInline(markdown).render()
    }

    // MARK: - Blocks

    private enum Block {
        case paragraph([String])
        case heading(String)
        case listItem(indent: Int, marker: String, text: String)
        case quote([String])
        case code(language: String?, lines: [String])
        case rule
    }

    private func renderBlocks(_ lines: [String], insideQuote: Bool) -> String {
        var blocks: [(block: Block, afterBlank: Bool)] = []
        var afterBlank = false
        var index = 0

        func append(_ block: Block) {
            blocks.append((block, afterBlank))
            afterBlank = false
        }

        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                afterBlank = true
                index += 1
                continue
            }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if !insideQuote, indent <= 3, let fence = Self.fenceOpening(trimmed) {
                var body: [String] = []
                index += 1
                while index < lines.count {
                    let candidate = lines[index].trimmingCharacters(in: .whitespaces)
                    if Self.isFenceClosing(candidate, fence: fence.marker) { break }
                    body.append(lines[index])
                    index += 1
                }
                index += 1
                append(.code(language: fence.language, lines: body))
                continue
            }
            if indent <= 3, let heading = Self.heading(trimmed) {
                append(.heading(heading))
            } else if Self.isRule(trimmed) {
                append(.rule)
            } else if let item = Self.listItem(trimmed) {
                append(.listItem(indent: indent, marker: item.marker, text: item.text))
            } else if !insideQuote, indent <= 3, trimmed.hasPrefix(">") {
                var quoted: [String] = []
                while index < lines.count {
                    let candidate = lines[index].trimmingCharacters(in: .whitespaces)
                    guard candidate.hasPrefix(">") else { break }
                    var content = candidate.dropFirst()
                    if content.hasPrefix(" ") { content = content.dropFirst() }
                    quoted.append(String(content))
                    index += 1
                }
                append(.quote(quoted))
                continue
            } else if case .paragraph(var paragraph)? = blocks.last?.block, !afterBlank {
                paragraph.append(trimmed)
                blocks[blocks.count - 1].block = .paragraph(paragraph)
            } else {
                append(.paragraph([trimmed]))
            }
            index += 1
        }

        var out = ""
        for (block, blankBefore) in blocks {
            let rendered = render(block)
            guard !rendered.isEmpty else { continue }
            if !out.isEmpty { out += blankBefore ? "\n\n" : "\n" }
            out += rendered
        }
        return out
    }

    private func render(_ block: Block) -> String {
        switch block {
        case .paragraph(let lines):
            return MarkdownInline(lines.joined(separator: "\n")).render()
        case .heading(let text):
            let inner = MarkdownInline(text).render(styles: .bold)
            return inner.isEmpty ? "" : "<b>\(inner)</b>"
        case .listItem(let indent, let marker, let text):
            let bullet = marker == "•" && indent >= 2 ? "◦" : marker
            let padding = String(repeating: " ", count: min(indent, 8))
            return "\(padding)\(bullet) \(MarkdownInline(text).render())"
        case .quote(let lines):
            let inner = renderBlocks(lines, insideQuote: true)
            return inner.isEmpty ? "" : "<blockquote>\(inner)</blockquote>"
        case .code(let language, let lines):
            let body = TelegramHTML.escape(lines.joined(separator: "\n"))
            guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return "" }
            if let language {
                return "<pre><code class=\"language-\(TelegramHTML.escape(language))\">\(body)</code></pre>"
            }
            return "<pre>\(body)</pre>"
        case .rule:
            return "──────────"
        }
    }

    // MARK: - Line classification

    private struct Fence {
        let marker: String
        let language: String?
    }

    private static func fenceOpening(_ trimmed: String) -> Fence? {
        guard let first = trimmed.first, first == "`" || first == "~" else { return nil }
        let marker = String(trimmed.prefix { $0 == first })
        guard marker.count >= 3 else { return nil }
        // Only an empty info string or one language name opens a fence: anything else on the line is
        // text the reader must see, so the line stays a paragraph.
        let info = trimmed.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
        if info.isEmpty { return Fence(marker: marker, language: nil) }
        let isLanguage = info.count <= 32
            && info.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-#._".contains($0)) }
        return isLanguage ? Fence(marker: marker, language: info) : nil
    }

    private static func isFenceClosing(_ trimmed: String, fence: String) -> Bool {
        guard let first = fence.first, trimmed.first == first else { return false }
        let run = trimmed.prefix { $0 == first }
        return run.count >= fence.count && run.count == trimmed.count
    }

    private static func heading(_ trimmed: String) -> String? {
        let hashes = trimmed.prefix { $0 == "#" }
        guard (1...6).contains(hashes.count) else { return nil }
        let rest = trimmed.dropFirst(hashes.count)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var text = rest.trimmingCharacters(in: .whitespaces)
        // An optional closing sequence of '#' preceded by a space.
        let closing = text.reversed().prefix { $0 == "#" }.count
        if closing > 0 {
            let before = text.dropLast(closing)
            if before.isEmpty || before.hasSuffix(" ") { text = before.trimmingCharacters(in: .whitespaces) }
        }
        return text
    }

    private static func isRule(_ trimmed: String) -> Bool {
        guard let first = trimmed.first, first == "-" || first == "*" || first == "_" else { return false }
        let marks = trimmed.filter { $0 != " " }
        return marks.count >= 3 && marks.allSatisfy { $0 == first }
    }

    private static func listItem(_ trimmed: String) -> (marker: String, text: String)? {
        if let first = trimmed.first, first == "-" || first == "*" || first == "+" {
            let rest = trimmed.dropFirst()
            guard rest.first == " " || rest.first == "\t" else { return nil }
            return ("•", rest.trimmingCharacters(in: .whitespaces))
        }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard (1...9).contains(digits.count) else { return nil }
        let rest = trimmed.dropFirst(digits.count)
        guard let delimiter = rest.first, delimiter == "." || delimiter == ")" else { return nil }
        let text = rest.dropFirst()
        guard text.first == " " || text.first == "\t" else { return nil }
        return ("\(digits).", text.trimmingCharacters(in: .whitespaces))
    }
}
