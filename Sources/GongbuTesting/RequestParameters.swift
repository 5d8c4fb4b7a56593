import Foundation

/// A file sent in a multipart/form-data request.
struct UploadedFile: Sendable {
    var fileName: String?
    var contentType: String?
    var data: Data
}

/// The parameters of one Bot API call, from whichever encoding the client chose.
///
/// Exists because Telegram accepts the query string, url-encoded forms, JSON bodies and
/// multipart uploads interchangeably, and handlers should not care which one was used.
struct RequestParameters: Sendable {
    var values: [String: JSONValue] = [:]
    var uploads: [String: UploadedFile] = [:]
    /// Names whose values arrived as text (query string, form, multipart field), which Telegram
    /// parses by the field's type; values from a JSON body keep their JSON types.
    var textFields: Set<String> = []

    subscript(name: String) -> JSONValue? {
        guard let value = values[name], !value.isNull else { return nil }
        return value
    }

    func string(_ name: String) -> String? { self[name]?.stringValue }
    func int(_ name: String) -> Int64? { self[name]?.intValue }
    func bool(_ name: String) -> Bool { self[name]?.boolValue ?? false }
    /// A structured parameter (object or array), parsing a JSON string if needed.
    func structured(_ name: String) -> JSONValue? { self[name]?.structured }

    /// The parameters as a JSON object for the call record; uploads show name and size.
    var recorded: JSONValue {
        var members = values
        for (name, upload) in uploads {
            members[name] = ["upload": .string(upload.fileName ?? name), "size": .int(Int64(upload.data.count))]
        }
        return .object(members)
    }

    /// Parses the query string and the body according to its content type.
    static func parse(query: String?, contentType: String?, body: Data) throws(BotAPIError) -> RequestParameters {
        var parameters = RequestParameters()
        if let query, !query.isEmpty {
            for (name, value) in FormEncoding.decode(query) {
                parameters.values[name] = .string(value)
                parameters.textFields.insert(name)
            }
        }
        guard !body.isEmpty else { return parameters }
        let type = (contentType ?? "").lowercased()
        if type.hasPrefix("application/json") {
            guard case .object(let members)? = try? JSONValue.parse(body) else {
                throw .badRequest("can't parse JSON object")
            }
            parameters.values.merge(members) { _, new in new }
            if !parameters.textFields.isEmpty { parameters.textFields.subtract(members.keys) }
        } else if type.hasPrefix("multipart/form-data") {
            guard let boundary = MultipartFormData.boundary(fromContentType: contentType ?? "") else {
                throw .badRequest("invalid multipart/form-data boundary")
            }
            for part in MultipartFormData.parse(body, boundary: boundary) {
                if part.fileName != nil {
                    parameters.uploads[part.name] = UploadedFile(
                        fileName: part.fileName, contentType: part.contentType, data: part.data)
                } else {
                    parameters.values[part.name] = .string(String(decoding: part.data, as: UTF8.self))
                    parameters.textFields.insert(part.name)
                }
            }
        } else {
            // Telegram treats anything else as an url-encoded form.
            for (name, value) in FormEncoding.decode(String(decoding: body, as: UTF8.self)) {
                parameters.values[name] = .string(value)
                parameters.textFields.insert(name)
            }
        }
        return parameters
    }
}

/// application/x-www-form-urlencoded decoding.
enum FormEncoding {
    static func decode(_ text: String) -> [(String, String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = unescape(parts[0])
            let value = parts.count > 1 ? unescape(parts[1]) : ""
            return (name, value)
        }
    }

    static func unescape(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
