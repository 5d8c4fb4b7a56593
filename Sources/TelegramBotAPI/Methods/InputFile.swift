import Foundation

/// A file to send (`InputFile` or a String): an existing `file_id`, a URL Telegram fetches, or bytes to upload.
///
/// An upload encodes as `"attach://<field>"` in JSON and is collected so the client can send it
/// as a multipart part named `<field>`.
public enum InputFile: Codable, Sendable, Hashable {
    case fileId(String)
    case url(String)
    case upload(filename: String, data: Data, mimeType: String)

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        if text.hasPrefix("http://") || text.hasPrefix("https://") {
            self = .url(text)
        } else if text.hasPrefix("attach://") {
            self = .upload(filename: String(text.dropFirst("attach://".count)), data: Data(),
                           mimeType: "application/octet-stream")
        } else {
            self = .fileId(text)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .fileId(let id): try container.encode(id)
        case .url(let url): try container.encode(url)
        case .upload(let filename, let data, let mimeType):
            let name = Self.attachName(for: encoder.codingPath)
            (encoder.userInfo[.uploadCollector] as? UploadCollector)?
                .add(FileUpload(filename: filename, data: data, mimeType: mimeType), name: name)
            try container.encode("attach://\(name)")
        }
    }

    /// `photo` for a top-level field, `media_0_thumbnail` for nested ones.
    static func attachName(for path: [any CodingKey]) -> String {
        let parts = path.map { key in key.intValue.map(String.init) ?? key.stringValue }
        return parts.isEmpty ? "file" : parts.joined(separator: "_")
    }
}

/// The bytes of one uploaded file with its name and MIME type.
public struct FileUpload: Sendable, Hashable {
    public var filename: String
    public var data: Data
    public var mimeType: String

    public init(filename: String, data: Data, mimeType: String) {
        self.filename = filename
        self.data = data
        self.mimeType = mimeType
    }
}

/// Gathers the uploads met while encoding one method (set in `JSONEncoder.userInfo`).
final class UploadCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String: FileUpload] = [:]

    func add(_ upload: FileUpload, name: String) {
        lock.lock()
        defer { lock.unlock() }
        items[name] = upload
    }

    var uploads: [String: FileUpload] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

extension CodingUserInfoKey {
    static let uploadCollector = CodingUserInfoKey(rawValue: "gongbu.uploadCollector")!
}
