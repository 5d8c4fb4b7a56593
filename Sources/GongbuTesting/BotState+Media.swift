import Foundation

/// Files: uploads get new file ids, known file ids are reused, URLs are accepted,
/// getFile gives a path served at /file/bot<token>/<path>.
extension BotState {
    /// Stores bytes as a new file of `kind` and returns it.
    mutating func storeFile(kind: ChatMessage.Media, data: Data, fileName: String?, mimeType: String?) -> StoredFile {
        let number = nextFileNumber
        nextFileNumber += 1
        let prefix: String
        let folder: String
        let fallbackExtension: String
        switch kind {
        case .photo: (prefix, folder, fallbackExtension) = ("AgACAgI", "photos", "jpg")
        case .video: (prefix, folder, fallbackExtension) = ("BAACAgI", "videos", "mp4")
        case .audio: (prefix, folder, fallbackExtension) = ("CQACAgI", "music", "mp3")
        case .voice: (prefix, folder, fallbackExtension) = ("AwACAgI", "voice", "oga")
        default: (prefix, folder, fallbackExtension) = ("BQACAgI", "documents", "bin")
        }
        let fileExtension = fileName.flatMap { name in name.contains(".") ? name.split(separator: ".").last.map(String.init) : nil }
            ?? fallbackExtension
        let file = StoredFile(
            fileId: "\(prefix)AAxkBEMU\(number)x\(UInt32.random(in: 100_000...999_999))",
            uniqueId: "AQADEMU\(number)",
            path: "\(folder)/file_\(number).\(fileExtension)",
            data: data, fileName: fileName, mimeType: mimeType)
        files[file.fileId] = file
        fileIdsByPath[file.path] = file.fileId
        return file
    }

    /// The media object of a Message for `file`.
    static func mediaJSON(kind: ChatMessage.Media, file: StoredFile) -> JSONValue {
        var members: [String: JSONValue] = [
            "file_id": .string(file.fileId), "file_unique_id": .string(file.uniqueId), "file_size": .int(Int64(file.data.count)),
        ]
        switch kind {
        case .photo:
            members["width"] = 800
            members["height"] = 600
            return .array([.object(members)])
        case .video:
            members["width"] = 1280
            members["height"] = 720
            members["duration"] = 10
            members["mime_type"] = .string(file.mimeType ?? "video/mp4")
            if let name = file.fileName { members["file_name"] = .string(name) }
        case .audio:
            members["duration"] = 60
            members["mime_type"] = .string(file.mimeType ?? "audio/mpeg")
            if let name = file.fileName { members["file_name"] = .string(name) }
        case .voice:
            members["duration"] = 3
            members["mime_type"] = .string(file.mimeType ?? "audio/ogg")
        default:
            if let name = file.fileName { members["file_name"] = .string(name) }
            if let type = file.mimeType { members["mime_type"] = .string(type) }
        }
        return .object(members)
    }

    /// The file named by a media parameter: an upload, `attach://name`, a file id, or a URL.
    mutating func resolveMedia(kind: ChatMessage.Media, _ p: RequestParameters) throws(BotAPIError) -> StoredFile {
        let name = kind.rawValue
        if let upload = p.uploads[name] {
            return storeFile(kind: kind, data: upload.data, fileName: upload.fileName, mimeType: upload.contentType)
        }
        guard let value = p.string(name), !value.isEmpty else { throw .badRequest("there is no \(name) in the request") }
        if value.hasPrefix("attach://") {
            guard let upload = p.uploads[String(value.dropFirst("attach://".count))] else {
                throw .badRequest("wrong file identifier/HTTP URL specified")
            }
            return storeFile(kind: kind, data: upload.data, fileName: upload.fileName, mimeType: upload.contentType)
        }
        if let known = files[value] { return known }
        let lower = value.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://"), let url = URL(string: value) {
            return storeFile(kind: kind, data: Data(), fileName: url.lastPathComponent.isEmpty ? nil : url.lastPathComponent, mimeType: nil)
        }
        throw .badRequest("wrong file identifier/HTTP URL specified")
    }

    mutating func sendMedia(kind: ChatMessage.Media, _ p: RequestParameters, bot: EmulatedBot, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        let chatId = try resolveChat(p)
        let (caption, entities) = try format(p.string("caption") ?? "", parseMode: p.string("parse_mode"), entities: p["caption_entities"], isCaption: true)
        let keyboard = try inlineKeyboard(p)
        let file = try resolveMedia(kind: kind, p)
        try takeFloodToken(chatId: chatId)
        var content: [String: JSONValue] = [kind.rawValue: Self.mediaJSON(kind: kind, file: file)]
        if !caption.isEmpty { content["caption"] = .string(caption) }
        if !entities.isEmpty { content["caption_entities"] = .array(entities) }
        if let keyboard { content["reply_markup"] = keyboard }
        return try appendBotMessage(chatId: chatId, content: content, bot: bot, p: p, resumptions: &resumptions)
    }

    func getFile(_ p: RequestParameters) throws(BotAPIError) -> JSONValue {
        guard let id = p.string("file_id"), !id.isEmpty else { throw .badRequest("file_id not specified") }
        guard let file = files[id] else { throw .badRequest("invalid file_id") }
        return [
            "file_id": .string(file.fileId), "file_unique_id": .string(file.uniqueId),
            "file_size": .int(Int64(file.data.count)), "file_path": .string(file.path),
        ]
    }
}

extension EmulatedBot {
    /// The bytes served at `/file/bot<token>/<path>`.
    func fileData(path: String) -> Data? {
        state.withLock { state in state.fileIdsByPath[path].flatMap { state.files[$0]?.data } }
    }
}
