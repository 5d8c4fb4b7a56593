import Foundation

/// One indivisible piece of Telegram HTML: a tag, or one visible character (a literal character or
/// an entity such as `&lt;`).
struct HTMLToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// An opening tag with its lowercase name.
        case open(String)
        /// A closing tag with its lowercase name.
        case close(String)
        /// One visible character: its raw HTML and what it decodes to.
        case text(raw: String, decoded: String)
    }

    var kind: Kind
    /// The token exactly as it appears in the HTML.
    var raw: String

    /// UTF-16 code units this token adds to the text Telegram counts.
    var visibleLength: Int {
        if case .text(_, let decoded) = kind { return decoded.utf16.count }
        return 0
    }

    /// Whether this token is a visible whitespace character.
    var isWhitespace: Bool {
        if case .text(_, let decoded) = kind {
            return decoded.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
        }
        return false
    }

    /// Whether this token is a newline.
    var isNewline: Bool {
        if case .text(_, let decoded) = kind { return decoded == "\n" }
        return false
    }
}

/// Cuts Telegram HTML into `HTMLToken`s. Lenient: a `<` that starts no tag and an `&` that starts no
/// entity are read as plain characters.
enum HTMLTokenizer {
    static func tokenize(_ html: String) -> [HTMLToken] {
        var tokens: [HTMLToken] = []
        tokens.reserveCapacity(html.utf16.count)
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            if character == "<", let (token, next) = tag(in: html, at: index) {
                tokens.append(token)
                index = next
            } else if character == "&", let (token, next) = entity(in: html, at: index) {
                tokens.append(token)
                index = next
            } else {
                let raw = String(character)
                tokens.append(HTMLToken(kind: .text(raw: raw, decoded: raw), raw: raw))
                index = html.index(after: index)
            }
        }
        return tokens
    }

    private static func tag(in html: String, at start: String.Index) -> (HTMLToken, String.Index)? {
        guard let end = html[start...].firstIndex(of: ">") else { return nil }
        let inner = html[html.index(after: start)..<end]
        let isClose = inner.hasPrefix("/")
        let nameStart = isClose ? inner.index(after: inner.startIndex) : inner.startIndex
        let name = inner[nameStart...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        guard !name.isEmpty else { return nil }
        let raw = String(html[start...end])
        let lower = name.lowercased()
        return (HTMLToken(kind: isClose ? .close(lower) : .open(lower), raw: raw), html.index(after: end))
    }

    private static func entity(in html: String, at start: String.Index) -> (HTMLToken, String.Index)? {
        var end = html.index(after: start)
        var length = 0
        while end < html.endIndex, html[end] != ";", length < 12 {
            guard html[end].isASCII, html[end].isLetter || html[end].isNumber || html[end] == "#" else { return nil }
            end = html.index(after: end)
            length += 1
        }
        guard end < html.endIndex, html[end] == ";", length > 0 else { return nil }
        let body = html[html.index(after: start)..<end]
        let decoded: String
        switch body {
        case "lt": decoded = "<"
        case "gt": decoded = ">"
        case "amp": decoded = "&"
        case "quot": decoded = "\""
        default:
            guard body.hasPrefix("#") else { return nil }
            let digits = body.dropFirst()
            let value: UInt32?
            if digits.hasPrefix("x") || digits.hasPrefix("X") {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            decoded = String(Character(scalar))
        }
        let raw = String(html[start...end])
        return (HTMLToken(kind: .text(raw: raw, decoded: decoded), raw: raw), html.index(after: end))
    }
}
