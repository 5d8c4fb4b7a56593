/// Telegram's HTML parse mode, reimplemented to validate what bots send.
///
/// Exists so a bot that would be rejected by the real server ("can't parse entities: …")
/// is rejected by the emulator too, with the same wording and byte offsets, and so sent
/// messages carry the plain text and entities the real server would return.
enum TelegramHTML {
    struct Parsed: Equatable {
        var text: String
        var entities: [JSONValue]
    }

    static let supportedTags: Set<String> = [
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji",
        "span", "pre", "code", "blockquote",
    ]

    private struct OpenTag {
        var name: String
        var argument: String
        var startUTF16: Int
        var order: Int
    }

    /// Parses `html`; on failure returns the message after "can't parse entities: ".
    static func parse(_ html: String) -> Result<Parsed, ParseError> {
        let bytes = Array(html.utf8)
        let count = bytes.count
        var output: [UInt8] = []
        output.reserveCapacity(count)
        var utf16Length = 0
        var stack: [OpenTag] = []
        var entities: [(offset: Int, length: Int, order: Int, json: JSONValue)] = []
        var opened = 0
        var index = 0

        func append(scalar: Unicode.Scalar) {
            output.append(contentsOf: Array(String(Character(scalar)).utf8))
            utf16Length += scalar.value > 0xFFFF ? 2 : 1
        }
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }

        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "&") {
                if let (scalar, length) = decodeEntity(bytes, at: index) {
                    append(scalar: scalar)
                    index += length
                } else {
                    output.append(byte)
                    utf16Length += 1
                    index += 1
                }
                continue
            }
            if byte != UInt8(ascii: "<") {
                output.append(byte)
                if byte & 0xC0 != 0x80 { utf16Length += byte >= 0xF0 ? 2 : 1 }
                index += 1
                continue
            }
            let tagStart = index
            if index + 1 < count, bytes[index + 1] == UInt8(ascii: "/") {
                // End tag.
                guard let open = stack.last else {
                    return .failure(ParseError("Unexpected end tag at byte offset \(tagStart)"))
                }
                index += 2
                let nameStart = index
                while index < count, bytes[index] != UInt8(ascii: ">"), !isSpace(bytes[index]) { index += 1 }
                let endName = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
                while index < count, isSpace(bytes[index]) { index += 1 }
                guard index < count, bytes[index] == UInt8(ascii: ">") else {
                    return .failure(ParseError("Unclosed end tag at byte offset \(tagStart)"))
                }
                index += 1
                if !endName.isEmpty, endName != open.name {
                    return .failure(ParseError(
                        "Unmatched end tag at byte offset \(tagStart), expected \"</\(open.name)>\", found \"</\(endName)>\""))
                }
                stack.removeLast()
                let length = utf16Length - open.startUTF16
                if length > 0, let entity = entity(for: open, length: length) {
                    entities.append((open.startUTF16, length, open.order, entity))
                }
                continue
            }
            // Start tag.
            index += 1
            let nameStart = index
            while index < count, bytes[index] != UInt8(ascii: ">"), !isSpace(bytes[index]) { index += 1 }
            guard index < count else {
                return .failure(ParseError("Unclosed start tag at byte offset \(tagStart)"))
            }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
            guard supportedTags.contains(name) else {
                return .failure(ParseError("Unsupported start tag \"\(name)\" at byte offset \(tagStart)"))
            }
            var argument = ""
            while true {
                while index < count, isSpace(bytes[index]) { index += 1 }
                guard index < count else {
                    return .failure(ParseError("Unclosed start tag at byte offset \(tagStart)"))
                }
                if bytes[index] == UInt8(ascii: ">") { break }
                let attributeStart = index
                while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="),
                    bytes[index] != UInt8(ascii: ">")
                {
                    index += 1
                }
                let attribute = String(decoding: bytes[attributeStart..<index], as: UTF8.self).lowercased()
                if attribute.isEmpty {
                    return .failure(ParseError("Empty attribute name in the tag \"\(name)\" at byte offset \(tagStart)"))
                }
                while index < count, isSpace(bytes[index]) { index += 1 }
                guard index < count else {
                    return .failure(ParseError("Unclosed start tag at byte offset \(tagStart)"))
                }
                if bytes[index] != UInt8(ascii: "=") {
                    if name == "blockquote", attribute == "expandable" {
                        argument = "expandable"
                        continue
                    }
                    return .failure(ParseError(
                        "Expected equal sign in declaration of an attribute of the tag \"\(name)\" at byte offset \(tagStart)"))
                }
                index += 1
                while index < count, isSpace(bytes[index]) { index += 1 }
                guard index < count else {
                    return .failure(ParseError("Unclosed start tag at byte offset \(tagStart)"))
                }
                var value: [UInt8] = []
                let quote = bytes[index]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    index += 1
                    while index < count, bytes[index] != quote {
                        if bytes[index] == UInt8(ascii: "&"), let (scalar, length) = decodeEntity(bytes, at: index) {
                            value.append(contentsOf: Array(String(Character(scalar)).utf8))
                            index += length
                        } else {
                            value.append(bytes[index])
                            index += 1
                        }
                    }
                    guard index < count else {
                        return .failure(ParseError("Unclosed start tag at byte offset \(tagStart)"))
                    }
                    index += 1
                } else {
                    while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") {
                        value.append(bytes[index])
                        index += 1
                    }
                }
                let text = String(decoding: value, as: UTF8.self)
                switch (name, attribute) {
                case ("a", "href"), ("tg-emoji", "emoji-id"), ("span", "class"): argument = text
                case ("code", "class") where text.hasPrefix("language-"): argument = String(text.dropFirst(9))
                default: break
                }
            }
            index += 1  // ">"
            if name == "span", argument != "tg-spoiler" {
                return .failure(ParseError("Tag \"span\" must have class \"tg-spoiler\" at byte offset \(tagStart)"))
            }
            stack.append(OpenTag(name: name, argument: argument, startUTF16: utf16Length, order: opened))
            opened += 1
        }
        if let open = stack.last {
            return .failure(ParseError("Can't find end tag corresponding to start tag \"\(open.name)\""))
        }
        let sorted = entities.sorted { ($0.offset, -$0.length, $0.order) < ($1.offset, -$1.length, $1.order) }.map(\.json)
        return .success(Parsed(text: String(decoding: output, as: UTF8.self), entities: sorted))
    }

    struct ParseError: Error, Equatable {
        var message: String
        init(_ message: String) { self.message = message }
    }

    private static func entity(for tag: OpenTag, length: Int) -> JSONValue? {
        var members: [String: JSONValue] = ["offset": .int(Int64(tag.startUTF16)), "length": .int(Int64(length))]
        switch tag.name {
        case "b", "strong": members["type"] = "bold"
        case "i", "em": members["type"] = "italic"
        case "u", "ins": members["type"] = "underline"
        case "s", "strike", "del": members["type"] = "strikethrough"
        case "tg-spoiler", "span": members["type"] = "spoiler"
        case "code": members["type"] = "code"
        case "pre":
            members["type"] = "pre"
        case "blockquote": members["type"] = tag.argument == "expandable" ? "expandable_blockquote" : "blockquote"
        case "a":
            guard !tag.argument.isEmpty else { return nil }
            members["type"] = "text_link"
            members["url"] = .string(tag.argument)
        case "tg-emoji":
            members["type"] = "custom_emoji"
            members["custom_emoji_id"] = .string(tag.argument)
        default: return nil
        }
        return .object(members)
    }

    /// Decodes `&lt;`, `&gt;`, `&amp;`, `&quot;` and numeric entities; nil leaves `&` literal.
    private static func decodeEntity(_ bytes: [UInt8], at start: Int) -> (Unicode.Scalar, Int)? {
        var end = start + 1
        while end < bytes.count, end - start <= 10, bytes[end] != UInt8(ascii: ";") { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: ";") else { return nil }
        let name = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
        let length = end - start + 1
        switch name {
        case "lt": return ("<", length)
        case "gt": return (">", length)
        case "amp": return ("&", length)
        case "quot": return ("\"", length)
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let code: UInt32?
            if digits.first == "x" || digits.first == "X" {
                code = UInt32(digits.dropFirst(), radix: 16)
            } else {
                code = UInt32(digits, radix: 10)
            }
            guard let code, let scalar = Unicode.Scalar(code), code != 0 else { return nil }
            return (scalar, length)
        }
    }
}
