import Foundation
@testable import TelegramBotAPI

/// Paths of the repository's real resources, found from this file's location.
enum RepositoryPaths {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // LocalizationTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent() // repository root
    static let locales = root.appendingPathComponent("Locales")
    static let templates = root.appendingPathComponent("Templates")

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gongbu-localization-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A strict checker of what Telegram's HTML parser accepts, independent of the code under test:
/// only known tags with their allowed attributes, balanced and properly nested, no raw `<`, `>` or
/// stray `&` in text, and only the four named entities or numeric ones.
enum HTMLValidator {
    static let tags: Set<String> = ["b", "i", "s", "u", "code", "pre", "a", "tg-spoiler", "blockquote"]

    /// nil when valid, else what is wrong.
    static func problem(in html: String) -> String? {
        var stack: [String] = []
        let scalars = Array(html.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<" {
                guard let end = scalars[index...].firstIndex(of: ">") else { return "unterminated tag at \(index)" }
                let inner = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
                if inner.hasPrefix("/") {
                    let name = String(inner.dropFirst())
                    guard stack.last == name else { return "closing </\(name)> does not match \(stack.last ?? "nothing")" }
                    stack.removeLast()
                } else {
                    let name = String(inner.prefix { $0 != " " })
                    guard tags.contains(name) else { return "tag <\(name)> is not allowed" }
                    let attributes = inner.dropFirst(name.count)
                    switch name {
                    case "a":
                        guard attributes.hasPrefix(" href=\""), attributes.hasSuffix("\""),
                              attributes.dropFirst(7).dropLast().allSatisfy({ $0 != "\"" && $0 != "<" && $0 != ">" })
                        else { return "bad <a\(attributes)>" }
                        let url = String(attributes.dropFirst(7).dropLast())
                            .replacingOccurrences(of: "&amp;", with: "&")
                        guard url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("tg:") else {
                            return "link to \(url) not allowed"
                        }
                    case "code":
                        guard attributes.isEmpty || (attributes.hasPrefix(" class=\"language-") && attributes.hasSuffix("\"")) else {
                            return "bad <code\(attributes)>"
                        }
                        if !attributes.isEmpty && stack.last != "pre" { return "code class outside pre" }
                    default:
                        guard attributes.isEmpty else { return "attributes on <\(name)>" }
                    }
                    if stack.contains("code") || stack.contains("pre") && name != "code" { return "<\(name)> inside code/pre" }
                    if name == "blockquote" && stack.contains("blockquote") { return "nested blockquote" }
                    if name == "a" && stack.contains("a") { return "nested link" }
                    stack.append(name)
                }
                index = end + 1
            } else if scalar == ">" {
                return "raw > at \(index)"
            } else if scalar == "&" {
                guard let end = scalars[index...].prefix(12).firstIndex(of: ";") else { return "stray & at \(index)" }
                let entity = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
                let named = ["lt", "gt", "amp", "quot"].contains(entity)
                let numeric = entity.hasPrefix("#") && entity.dropFirst().allSatisfy(\.isNumber) && entity.count > 1
                guard named || numeric else { return "unknown entity &\(entity);" }
                index = end + 1
            } else {
                index += 1
            }
        }
        return stack.isEmpty ? nil : "unclosed tags \(stack)"
    }
}

/// A small deterministic random generator so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random course-like Markdown built from fragments that stress the renderer.
enum MarkdownFuzz {
    static let fragments = [
        "**", "*", "__", "_", "~~", "~", "||", "|", "`", "```", "[", "]", "(", ")", "](", "<", ">", "&", "\"", "'",
        "\\", "#", "# ", "- ", "* ", "1. ", "> ", "\n", "\n\n", " ", "  ", "word", "snake_case_name", "Привет",
        "👩‍💻", "🇷🇺", "e\u{301}", "http://example.org/a_b?x=1&y=2", "https://ex.org/(x)", "tg://user?id=1",
        "javascript:alert(1)", "[link](https://example.org)", "`code`", "**bold**", "_it_", "&amp;", "&lt;", "<b>",
        "</b>", "<a href=\"x\">", "```swift\n", "\n```\n", "||spoiler||", "~~gone~~", "\t", "1)", "---\n",
    ]

    static func text(length: Int, using generator: inout SeededGenerator) -> String {
        var result = ""
        while result.count < length {
            result += fragments.randomElement(using: &generator)!
        }
        return result
    }
}
