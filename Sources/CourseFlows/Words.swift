import TelegramBotAPI

/// The texts of one turn in the student's locale.
struct Words {
    let locale: String
    let source: CourseRendering

    /// Plain text of a key.
    func plain(_ key: String, count: Int? = nil, _ args: [String: String] = [:]) -> String {
        source.text(key, locale: locale, count: count, args: args)
    }

    /// The text of a key escaped for Telegram HTML.
    func callAsFunction(_ key: String, count: Int? = nil, _ args: [String: String] = [:]) -> String {
        TelegramHTML.escape(plain(key, count: count, args))
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
