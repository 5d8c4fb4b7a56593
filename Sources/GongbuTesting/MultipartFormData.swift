import Foundation

/// A minimal multipart/form-data reader for Bot API uploads.
///
/// Exists because Hummingbird has no multipart support built in and uploads (sendPhoto,
/// sendDocument…) must be accepted exactly as Telegram accepts them.
enum MultipartFormData {
    struct Part {
        var name: String
        var fileName: String?
        var contentType: String?
        var data: Data
    }

    static func boundary(fromContentType contentType: String) -> String? {
        for item in contentType.split(separator: ";") {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased().hasPrefix("boundary=") {
                var value = String(trimmed.dropFirst("boundary=".count))
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                    value = String(value.dropFirst().dropLast())
                }
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    static func parse(_ body: Data, boundary: String) -> [Part] {
        let bytes = [UInt8](body)
        let delimiter = [UInt8](("--" + boundary).utf8)
        var parts: [Part] = []
        guard var position = find(delimiter, in: bytes, from: 0) else { return [] }
        while true {
            position += delimiter.count
            // "--" after a delimiter ends the body.
            if position + 1 < bytes.count, bytes[position] == 45, bytes[position + 1] == 45 { break }
            // Skip the line break after the delimiter.
            if position + 1 < bytes.count, bytes[position] == 13, bytes[position + 1] == 10 { position += 2 }
            guard let headerEnd = find([13, 10, 13, 10], in: bytes, from: position) else { break }
            let headerText = String(decoding: bytes[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = find([13, 10] + delimiter, in: bytes, from: contentStart) else { break }
            if let part = makePart(headers: headerText, content: Data(bytes[contentStart..<next])) {
                parts.append(part)
            }
            position = next + 2
        }
        return parts
    }

    private static func makePart(headers: String, content: Data) -> Part? {
        var name: String?
        var fileName: String?
        var contentType: String?
        for line in headers.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if field == "content-type" {
                contentType = value
            } else if field == "content-disposition" {
                name = attribute("name", in: value)
                fileName = attribute("filename", in: value)
            }
        }
        guard let name else { return nil }
        return Part(name: name, fileName: fileName, contentType: contentType, data: content)
    }

    /// The value of `key="…"` (or `key=…`) in a header value.
    private static func attribute(_ key: String, in header: String) -> String? {
        for item in header.split(separator: ";") {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix(key + "=") else { continue }
            var value = String(trimmed.dropFirst(key.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        let first = needle[0]
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
