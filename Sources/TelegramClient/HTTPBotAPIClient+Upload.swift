import Foundation
import TelegramBotAPI

/// Uploads a local file with a call whose other fields are already JSON (an outbox row):
/// the runtime sends course media once this way, then by the file_id Telegram returns.
public protocol MediaUploading: Sendable {
    /// Sends `method` as multipart/form-data: the JSON object's fields as form fields (objects
    /// JSON-encoded), plus the file as `fileField`. Returns the raw JSON of `result`.
    func upload(method: String, json: Data, fileField: String, fileName: String, fileData: Data, mimeType: String) async throws -> Data
}

extension HTTPBotAPIClient: MediaUploading {
    public func upload(method: String, json: Data, fileField: String, fileName: String, fileData: Data, mimeType: String) async throws -> Data {
        guard case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: json) else {
            throw fail(method, .badRequest("the outbox body is not a JSON object"))
        }
        var form = MultipartForm()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            guard let text = try? value.formFieldText() else { continue }
            form.addField(name: name, value: text)
        }
        form.addFile(name: fileField, filename: fileName, mimeType: mimeType, data: fileData)
        let data = try await post(method, body: form.finished(), contentType: form.contentType, timeout: requestTimeout)
        let value = try decodeResult(JSONValue.self, method: method, from: data)
        do {
            return try value.jsonData()
        } catch {
            throw fail(method, .decoding(redact("\(error)")))
        }
    }
}
