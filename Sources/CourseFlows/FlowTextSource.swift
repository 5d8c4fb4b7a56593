import Foundation
import TelegramBotAPI

/// What the course scene needs from localization and formatting, kept narrow so the scene's
/// logic does not depend on how catalogs, templates and Markdown are implemented.
protocol FlowTextSource: Sendable {
    /// Locale codes the catalog holds, in display order.
    var availableLocales: [String] { get }
    func hasLocale(_ locale: String) -> Bool
    /// The plain text (not HTML) of a catalog key, `{name}` arguments substituted; `count`
    /// picks the plural form.
    func text(_ key: String, locale: String, count: Int?, args: [String: String]) -> String
    /// A message layout (Telegram HTML) from a template, or nil when there is no such template.
    /// String values are plain text (the template escapes them) except where the template inserts HTML.
    func layout(_ name: String, _ context: [String: Any]) -> String?
    /// Course Markdown as Telegram HTML.
    func markdown(_ source: String) -> String
    /// Telegram HTML cut into messages of at most `limit` visible characters, tags balanced.
    func split(_ html: String, limit: Int) -> [String]
    /// The visible length Telegram counts for `html`.
    func visibleLength(_ html: String) -> Int
}

/// The texts of one turn in the student's locale.
struct Words {
    let locale: String
    let source: any FlowTextSource

    /// Plain text of a key.
    func plain(_ key: String, count: Int? = nil, _ args: [String: String] = [:]) -> String {
        source.text(key, locale: locale, count: count, args: args)
    }

    /// HTML of a key: the text and `args` escaped, `html` arguments (already Telegram HTML) put in as they are.
    func callAsFunction(_ key: String, count: Int? = nil, _ args: [String: String] = [:], html: [String: String] = [:]) -> String {
        guard !html.isEmpty else { return TelegramHTML.escape(plain(key, count: count, args)) }
        var args = args
        var markers: [(String, String)] = []
        for (offset, (name, value)) in html.enumerated() {
            let marker = "\u{E000}\(offset)\u{E001}"
            args[name] = marker
            markers.append((marker, value))
        }
        var result = TelegramHTML.escape(plain(key, count: count, args))
        for (marker, value) in markers { result = result.replacingOccurrences(of: marker, with: value) }
        return result
    }
}

/// The layout used when a template is missing: the known fields in a fixed order, one per paragraph.
enum FallbackLayout {
    static let order = [
        "header", "title", "heading", "counter", "question", "description", "body", "text", "message", "prompt",
        "accepts", "options", "steps", "duration", "note", "hint", "verdict", "explanation", "status", "score",
        "attempts", "bar", "done", "current", "completed", "next", "progress",
    ]
    /// Fields that hold Telegram HTML already.
    static let html: Set<String> = ["body", "question", "description", "explanation"]

    static func render(_ context: [String: Any]) -> String {
        var parts: [String] = []
        for key in order {
            switch context[key] {
            case let text as String where !text.isEmpty:
                parts.append(html.contains(key) ? text : TelegramHTML.escape(text))
            case let list as [[String: Any]]:
                let lines = list.map { item in
                    ["mark", "letter", "number", "title", "text"].compactMap { item[$0].map { TelegramHTML.escape("\($0)") } }
                        .joined(separator: " ")
                }
                if !lines.isEmpty { parts.append(lines.joined(separator: "\n")) }
            default: continue
            }
        }
        return parts.joined(separator: "\n\n")
    }
}
