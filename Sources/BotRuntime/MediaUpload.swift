import Foundation

/// Local media files: read once to upload, then sent by the file_id Telegram returned,
/// cached by path and a signature (size + modification time) so an edited file is uploaded again.
enum MediaUpload {
    struct Missing: Error {
        let path: String
    }

    static func signature(of path: String) throws -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { throw Missing(path: path) }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)-\(Int64(modified))"
    }

    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw Missing(path: path) }
        return data
    }

    static func setting(_ field: String, to value: String, in payload: Data) -> Data {
        var object = (try? JSONSerialization.jsonObject(with: payload) as? [String: Any]) ?? [:]
        object[field] = value
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? payload
    }

    /// The file_id of the media in a sent Message (the largest photo size for photos).
    static func fileId(in result: Data, field: String) -> String? {
        guard let message = try? JSONSerialization.jsonObject(with: result) as? [String: Any] else { return nil }
        if field == "photo", let sizes = message["photo"] as? [[String: Any]] {
            return sizes.last?["file_id"] as? String
        }
        return (message[field] as? [String: Any])?["file_id"] as? String
    }

    static func mimeType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "mp4": "video/mp4"
        case "mp3": "audio/mpeg"
        case "ogg", "oga": "audio/ogg"
        case "wav": "audio/wav"
        case "m4a": "audio/mp4"
        case "pdf": "application/pdf"
        case "txt", "swift", "md": "text/plain"
        default: "application/octet-stream"
        }
    }
}
