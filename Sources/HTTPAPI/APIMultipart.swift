import Foundation

/// One file of a `multipart/form-data` body (RFC 7578): what `POST /courses/:id/media` reads.
struct MultipartFile {
    var name: String
    var fileName: String?
    var data: Data

    /// The part named `field` of a body with `contentType`'s boundary (nil: not multipart or no such part).
    static func part(_ field: String, contentType: String, body: [UInt8]) -> MultipartFile? {
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundaryRange = contentType.range(of: "boundary=", options: .caseInsensitive)
        else { return nil }
        var boundary = String(contentType[boundaryRange.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard !boundary.isEmpty else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        var starts: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        for (number, start) in starts.enumerated() where number + 1 < starts.count {
            var partStart = start + delimiter.count
            if partStart + 1 < body.count, body[partStart] == 0x0d, body[partStart + 1] == 0x0a { partStart += 2 }
            var partEnd = starts[number + 1]
            if partEnd >= 2, body[partEnd - 2] == 0x0d, body[partEnd - 1] == 0x0a { partEnd -= 2 }
            guard partStart <= partEnd, let headerEnd = find(Array("\r\n\r\n".utf8), in: body, from: partStart), headerEnd <= partEnd else { continue }
            let headers = String(decoding: body[partStart..<headerEnd], as: UTF8.self)
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }) else { continue }
            guard parameter("name", in: String(disposition)) == field else { continue }
            return MultipartFile(name: field, fileName: parameter("filename", in: String(disposition)), data: Data(body[(headerEnd + 4)..<partEnd]))
        }
        return nil
    }

    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.trimmingCharacters(in: .whitespaces)
            guard pair.lowercased().hasPrefix("\(name)=") else { continue }
            return String(pair.dropFirst(name.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == first, Array(haystack[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}
