import TelegramBotAPI

/// An independent check that a text parses as Telegram HTML: only known tags, balanced and
/// nested, no stray `<` or `&`.
enum TelegramHTMLCheck {
    static let allowed: Set<String> = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"]

    static func visibleLength(_ html: String) -> Int { TelegramHTML.visibleLength(of: html) }

    static func isValid(_ html: String) -> Bool {
        var stack: [String] = []
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            if character == "<" {
                guard let close = html[index...].firstIndex(of: ">") else { return false }
                let inner = html[html.index(after: index)..<close]
                let closing = inner.hasPrefix("/")
                let name = String(inner.dropFirst(closing ? 1 : 0).prefix { $0 != " " && $0 != ">" }).lowercased()
                guard allowed.contains(name) else { return false }
                if closing {
                    guard stack.last == name else { return false }
                    stack.removeLast()
                } else {
                    stack.append(name)
                }
                index = html.index(after: close)
            } else if character == "&" {
                let rest = html[index...]
                guard ["&amp;", "&lt;", "&gt;", "&quot;"].contains(where: { rest.hasPrefix($0) }) || rest.hasPrefix("&#") else { return false }
                index = html.index(after: index)
            } else if character == ">" {
                return false
            } else {
                index = html.index(after: index)
            }
        }
        return stack.isEmpty
    }
}
