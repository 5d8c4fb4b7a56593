import Foundation

/// Telegram's HTML subset (`parse_mode: HTML`) in one place: escaping, the tags it accepts and the
/// length limits, so every message Gongbu builds parses on Telegram's side instead of failing with
/// "can't parse entities".
public enum TelegramHTML {
    /// Visible characters (UTF-16 code units after entity parsing) in a message text.
    public static let messageLimit = 4096
    /// Visible characters (UTF-16 code units after entity parsing) in a media caption.
    public static let captionLimit = 1024

    /// Tags Telegram accepts in `parse_mode: HTML` (lowercase). `span` only with `class="tg-spoiler"`.
    public static let allowedTags: Set<String> = [
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "tg-emoji", "code", "pre", "blockquote",
    ]

    /// URL schemes Gongbu lets into `<a href>`: anything else is shown as plain text.
    public static let allowedLinkSchemes: Set<String> = ["http", "https", "tg"]

    /// Escapes text for Telegram HTML: `&`, `<`, `>` and `"` become entities, so the result is safe both
    /// as element text and inside a double-quoted attribute value.
    public static func escape(_ text: String) -> String {
        var needsWork = false
        for scalar in text.unicodeScalars where scalar == "&" || scalar == "<" || scalar == ">" || scalar == "\"" {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `url` may be used as a link target: an `http`, `https` or `tg` URL without spaces or
    /// control characters.
    public static func isAllowedLink(_ url: String) -> Bool {
        guard !url.isEmpty,
              !url.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }),
              let colon = url.firstIndex(of: ":")
        else { return false }
        let scheme = url[..<colon].lowercased()
        guard allowedLinkSchemes.contains(scheme) else { return false }
        let rest = url[url.index(after: colon)...]
        if scheme == "tg" { return !rest.isEmpty }
        return rest.hasPrefix("//") && rest.count > 2
    }

    /// The visible length Telegram counts for `html` (UTF-16 code units of the text after tags are
    /// removed and entities decoded).
    public static func visibleLength(of html: String) -> Int {
        HTMLTokenizer.tokenize(html).reduce(0) { $0 + $1.visibleLength }
    }

    /// The text a reader sees: tags removed and entities decoded.
    public static func plainText(of html: String) -> String {
        var result = ""
        for token in HTMLTokenizer.tokenize(html) {
            if case .text(_, let decoded) = token.kind { result += decoded }
        }
        return result
    }
}
