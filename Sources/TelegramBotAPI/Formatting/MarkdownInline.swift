import Foundation

/// Renders the inline part of course Markdown (emphasis, code spans, links) to Telegram HTML.
///
/// Every tag it writes wraps the output of a recursive call on the text between a matched opener and
/// closer, so tags are balanced and nested by construction; a marker without its partner is written
/// as literal text.
struct MarkdownInline {
    /// Styles already open around the text being rendered (an inner duplicate is not re-opened).
    struct Styles: OptionSet, Hashable {
        let rawValue: Int
        static let bold = Styles(rawValue: 1 << 0)
        static let italic = Styles(rawValue: 1 << 1)
        static let strike = Styles(rawValue: 1 << 2)
        static let spoiler = Styles(rawValue: 1 << 3)
        static let link = Styles(rawValue: 1 << 4)
    }

    private struct RunKey: Hashable {
        let character: Character
        let length: Int
    }

    /// Deeper nesting than this is written as plain text (keeps recursion bounded on hostile input).
    static let maximumDepth = 12

    private let chars: [Character]

    init(_ text: String) {
        self.chars = Array(text)
    }

    /// Renders the whole text with `styles` already open around it.
    func render(styles: Styles = []) -> String {
        render(chars.startIndex..<chars.endIndex, styles: styles, depth: 0)
    }

    private func render(_ range: Range<Int>, styles: Styles, depth: Int) -> String {
        var out = ""
        guard depth <= Self.maximumDepth else {
            for index in range { out += TelegramHTML.escape(String(chars[index])) }
            return out
        }
        var failedCloser: [RunKey: Int] = [:]
        var failedCode: [Int: Int] = [:]
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let character = chars[index]
            switch character {
            case "\\":
                if index + 1 < end, isEscapable(chars[index + 1]) {
                    out += TelegramHTML.escape(String(chars[index + 1]))
                    index += 2
                } else {
                    out += "\\"
                    index += 1
                }
            case "`":
                let length = runLength(at: index, limit: end)
                if let close = codeClose(from: index + length, length: length, limit: end, failed: &failedCode),
                   let content = codeContent(index + length..<close) {
                    out += styles.contains(.link) ? TelegramHTML.escape(content) : "<code>\(TelegramHTML.escape(content))</code>"
                    index = close + length
                } else {
                    out += String(repeating: "`", count: length)
                    index += length
                }
            case "[":
                if let link = parseLink(at: index, limit: end) {
                    if !styles.contains(.link), TelegramHTML.isAllowedLink(link.url) {
                        let inner = render(link.text, styles: styles.union(.link), depth: depth + 1)
                        out += "<a href=\"\(TelegramHTML.escape(link.url))\">\(inner)</a>"
                    } else {
                        out += render(link.text, styles: styles, depth: depth + 1)
                    }
                    index = link.end
                } else {
                    out += "["
                    index += 1
                }
            case "*", "_", "~", "|":
                let length = runLength(at: index, limit: end)
                let key = RunKey(character: character, length: length)
                if let style = Self.style(for: key), isOpener(at: index, length: length, limit: end),
                   (failedCloser[key] ?? Int.max) > index {
                    if let close = closer(for: key, from: index + length, limit: end) {
                        let inner = render(index + length..<close, styles: styles.union(style), depth: depth + 1)
                        out += Self.wrap(inner, in: style.subtracting(styles))
                        index = close + length
                        continue
                    }
                    failedCloser[key] = min(failedCloser[key] ?? Int.max, index)
                }
                out += TelegramHTML.escape(String(repeating: character, count: length))
                index += length
            default:
                out += TelegramHTML.escape(String(character))
                index += 1
            }
        }
        return out
    }

    // MARK: - Emphasis

    private static func style(for key: RunKey) -> Styles? {
        switch (key.character, key.length) {
        case ("*", 1), ("_", 1): return .italic
        case ("*", 2), ("_", 2): return .bold
        case ("*", 3), ("_", 3): return [.bold, .italic]
        case ("~", 2): return .strike
        case ("|", 2): return .spoiler
        default: return nil
        }
    }

    private static func wrap(_ inner: String, in styles: Styles) -> String {
        var result = inner
        if styles.contains(.italic) { result = "<i>\(result)</i>" }
        if styles.contains(.bold) { result = "<b>\(result)</b>" }
        if styles.contains(.strike) { result = "<s>\(result)</s>" }
        if styles.contains(.spoiler) { result = "<tg-spoiler>\(result)</tg-spoiler>" }
        return result
    }

    private func isOpener(at index: Int, length: Int, limit: Int) -> Bool {
        let next = index + length
        guard next < limit, !chars[next].isWhitespace else { return false }
        if chars[index] == "_", index > 0, isWordCharacter(chars[index - 1]) { return false }
        return true
    }

    private func isCloser(at index: Int, length: Int) -> Bool {
        guard index > 0, !chars[index - 1].isWhitespace else { return false }
        let next = index + length
        if chars[index] == "_", next < chars.count, isWordCharacter(chars[next]) { return false }
        return true
    }

    /// The start of the first run of exactly `key.length` markers that can close, skipping code spans,
    /// escapes and whole links.
    private func closer(for key: RunKey, from start: Int, limit: Int) -> Int? {
        var index = start
        var failedCode: [Int: Int] = [:]
        while index < limit {
            let character = chars[index]
            if character == "\\" {
                index += 2
            } else if character == "`" {
                let length = runLength(at: index, limit: limit)
                if let close = codeClose(from: index + length, length: length, limit: limit, failed: &failedCode) {
                    index = close + length
                } else {
                    index += length
                }
            } else if character == "[", let link = parseLink(at: index, limit: limit) {
                index = link.end
            } else if character == key.character {
                let length = runLength(at: index, limit: limit)
                if length == key.length, index > start, isCloser(at: index, length: length) {
                    return index
                }
                index += length
            } else {
                index += 1
            }
        }
        return nil
    }

    // MARK: - Code spans

    private func codeClose(from start: Int, length: Int, limit: Int, failed: inout [Int: Int]) -> Int? {
        if let failedFrom = failed[length], failedFrom <= start { return nil }
        var index = start
        while index < limit {
            if chars[index] == "`" {
                let run = runLength(at: index, limit: limit)
                if run == length { return index }
                index += run
            } else {
                index += 1
            }
        }
        failed[length] = min(failed[length] ?? Int.max, start)
        return nil
    }

    private func codeContent(_ range: Range<Int>) -> String? {
        var content = String(chars[range]).replacingOccurrences(of: "\n", with: " ")
        if content.count >= 2, content.hasPrefix(" "), content.hasSuffix(" "),
           content.contains(where: { $0 != " " }) {
            content = String(content.dropFirst().dropLast())
        }
        return content.isEmpty ? nil : content
    }

    // MARK: - Links

    private struct Link {
        let text: Range<Int>
        let url: String
        let end: Int
    }

    private func parseLink(at start: Int, limit: Int) -> Link? {
        var index = start + 1
        var depth = 0
        var textEnd: Int?
        while index < limit {
            let character = chars[index]
            if character == "\\" {
                index += 2
                continue
            }
            if character == "\n", index + 1 < limit, chars[index + 1] == "\n" { return nil }
            if character == "[" { depth += 1 }
            if character == "]" {
                if depth == 0 { textEnd = index; break }
                depth -= 1
            }
            index += 1
        }
        guard let textEnd, textEnd > start + 1, textEnd + 1 < limit, chars[textEnd + 1] == "(" else { return nil }
        index = textEnd + 2
        while index < limit, chars[index] == " " { index += 1 }
        var url = ""
        var parens = 0
        while index < limit {
            let character = chars[index]
            if character == "\\", index + 1 < limit, isEscapable(chars[index + 1]) {
                url.append(chars[index + 1])
                index += 2
                continue
            }
            if character.isWhitespace { break }
            if character == "(" { parens += 1 }
            if character == ")" {
                if parens == 0 { break }
                parens -= 1
            }
            url.append(character)
            index += 1
        }
        while index < limit, chars[index] == " " { index += 1 }
        if index < limit, chars[index] == "\"" {
            index += 1
            while index < limit, chars[index] != "\"", chars[index] != "\n" { index += 1 }
            guard index < limit, chars[index] == "\"" else { return nil }
            index += 1
            while index < limit, chars[index] == " " { index += 1 }
        }
        guard index < limit, chars[index] == ")", !url.isEmpty else { return nil }
        if url.hasPrefix("<"), url.hasSuffix(">"), url.count >= 2 { url = String(url.dropFirst().dropLast()) }
        return Link(text: start + 1..<textEnd, url: url, end: index + 1)
    }

    // MARK: - Characters

    private func runLength(at index: Int, limit: Int) -> Int {
        let character = chars[index]
        var end = index
        while end < limit, chars[end] == character { end += 1 }
        return end - index
    }

    private func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    private func isEscapable(_ character: Character) -> Bool {
        character.isASCII && character.isPunctuation || character.isASCII && character.isSymbol
    }
}
