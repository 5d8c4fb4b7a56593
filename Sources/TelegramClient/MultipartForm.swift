import Foundation
import TelegramBotAPI

/// A multipart/form-data body, for methods that upload files.
struct MultipartForm: Sendable {
    let boundary: String
    private(set) var body = Data()

    init(boundary: String = "gongbu-\(UUID().uuidString)") {
        self.boundary = boundary
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func addField(name: String, value: String) {
        append("--\(boundary)\r\n")
        append("Content-Disposition: form-data; name=\"\(Self.quoted(name))\"\r\n\r\n")
        append(value)
        append("\r\n")
    }

    mutating func addFile(name: String, filename: String, mimeType: String, data: Data) {
        append("--\(boundary)\r\n")
        append("Content-Disposition: form-data; name=\"\(Self.quoted(name))\"; filename=\"\(Self.quoted(filename))\"\r\n")
        append("Content-Type: \(mimeType.isEmpty ? "application/octet-stream" : mimeType)\r\n\r\n")
        body.append(data)
        append("\r\n")
    }

    /// The body with its closing boundary.
    func finished() -> Data {
        var data = body
        data.append(Data("--\(boundary)--\r\n".utf8))
        return data
    }

    private mutating func append(_ text: String) {
        body.append(Data(text.utf8))
    }

    private static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "%22")
            .replacingOccurrences(of: "\r", with: "")
            .replacingOccurrences(of: "\n", with: "")
    }

    /// The form for an encoded method: each top-level JSON field as a form field, each upload as a file part.
    /// A top-level `"attach://photo"` whose upload is named `photo` is sent as the file part `photo` alone.
    static func make(for method: EncodedMethod, boundary: String = "gongbu-\(UUID().uuidString)") throws -> MultipartForm {
        let fields = try JSONDecoder().decode([String: JSONValue].self, from: method.json)
        var form = MultipartForm(boundary: boundary)
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            if case .string(let text) = value, text == "attach://\(name)", method.uploads[name] != nil {
                continue
            }
            if let text = try value.formFieldText() {
                form.addField(name: name, value: text)
            }
        }
        for (name, upload) in method.uploads.sorted(by: { $0.key < $1.key }) {
            form.addFile(name: name, filename: upload.filename, mimeType: upload.mimeType, data: upload.data)
        }
        return form
    }
}
