/// One size of a photo (`PhotoSize`); a photo message carries several, largest last.
public struct PhotoSize: Codable, Sendable, Hashable {
    public var fileId: String
    public var fileUniqueId: String
    public var width: Int
    public var height: Int
    public var fileSize: Int?

    public init(fileId: String, fileUniqueId: String, width: Int, height: Int, fileSize: Int? = nil) {
        self.fileId = fileId
        self.fileUniqueId = fileUniqueId
        self.width = width
        self.height = height
        self.fileSize = fileSize
    }

    enum CodingKeys: String, CodingKey {
        case width, height
        case fileId = "file_id"
        case fileUniqueId = "file_unique_id"
        case fileSize = "file_size"
    }
}

/// A general file (`Document`), e.g. a submitted assignment.
public struct Document: Codable, Sendable, Hashable {
    public var fileId: String
    public var fileUniqueId: String
    public var thumbnail: PhotoSize?
    public var fileName: String?
    public var mimeType: String?
    public var fileSize: Int?

    public init(
        fileId: String, fileUniqueId: String, thumbnail: PhotoSize? = nil,
        fileName: String? = nil, mimeType: String? = nil, fileSize: Int? = nil
    ) {
        self.fileId = fileId
        self.fileUniqueId = fileUniqueId
        self.thumbnail = thumbnail
        self.fileName = fileName
        self.mimeType = mimeType
        self.fileSize = fileSize
    }

    enum CodingKeys: String, CodingKey {
        case thumbnail
        case fileId = "file_id"
        case fileUniqueId = "file_unique_id"
        case fileName = "file_name"
        case mimeType = "mime_type"
        case fileSize = "file_size"
    }
}

/// A video file (`Video`).
public struct Video: Codable, Sendable, Hashable {
    public var fileId: String
    public var fileUniqueId: String
    public var width: Int
    public var height: Int
    public var duration: Int
    public var thumbnail: PhotoSize?
    public var fileName: String?
    public var mimeType: String?
    public var fileSize: Int?

    public init(
        fileId: String, fileUniqueId: String, width: Int, height: Int, duration: Int,
        thumbnail: PhotoSize? = nil, fileName: String? = nil, mimeType: String? = nil, fileSize: Int? = nil
    ) {
        self.fileId = fileId
        self.fileUniqueId = fileUniqueId
        self.width = width
        self.height = height
        self.duration = duration
        self.thumbnail = thumbnail
        self.fileName = fileName
        self.mimeType = mimeType
        self.fileSize = fileSize
    }

    enum CodingKeys: String, CodingKey {
        case width, height, duration, thumbnail
        case fileId = "file_id"
        case fileUniqueId = "file_unique_id"
        case fileName = "file_name"
        case mimeType = "mime_type"
        case fileSize = "file_size"
    }
}

/// A music file (`Audio`).
public struct Audio: Codable, Sendable, Hashable {
    public var fileId: String
    public var fileUniqueId: String
    public var duration: Int
    public var performer: String?
    public var title: String?
    public var fileName: String?
    public var mimeType: String?
    public var fileSize: Int?

    public init(
        fileId: String, fileUniqueId: String, duration: Int, performer: String? = nil, title: String? = nil,
        fileName: String? = nil, mimeType: String? = nil, fileSize: Int? = nil
    ) {
        self.fileId = fileId
        self.fileUniqueId = fileUniqueId
        self.duration = duration
        self.performer = performer
        self.title = title
        self.fileName = fileName
        self.mimeType = mimeType
        self.fileSize = fileSize
    }

    enum CodingKeys: String, CodingKey {
        case duration, performer, title
        case fileId = "file_id"
        case fileUniqueId = "file_unique_id"
        case fileName = "file_name"
        case mimeType = "mime_type"
        case fileSize = "file_size"
    }
}

/// A voice note (`Voice`).
public struct Voice: Codable, Sendable, Hashable {
    public var fileId: String
    public var fileUniqueId: String
    public var duration: Int
    public var mimeType: String?
    public var fileSize: Int?

    public init(fileId: String, fileUniqueId: String, duration: Int, mimeType: String? = nil, fileSize: Int? = nil) {
        self.fileId = fileId
        self.fileUniqueId = fileUniqueId
        self.duration = duration
        self.mimeType = mimeType
        self.fileSize = fileSize
    }

    enum CodingKeys: String, CodingKey {
        case duration
        case fileId = "file_id"
        case fileUniqueId = "file_unique_id"
        case mimeType = "mime_type"
        case fileSize = "file_size"
    }
}

/// A file ready to download (`File`, the result of `getFile`); fetch it from `file/bot<token>/<file_path>`.
public struct File: Codable, Sendable, Hashable {
    public var fileId: String
    public var fileUniqueId: String
    public var fileSize: Int?
    public var filePath: String?

    public init(fileId: String, fileUniqueId: String, fileSize: Int? = nil, filePath: String? = nil) {
        self.fileId = fileId
        self.fileUniqueId = fileUniqueId
        self.fileSize = fileSize
        self.filePath = filePath
    }

    enum CodingKeys: String, CodingKey {
        case fileId = "file_id"
        case fileUniqueId = "file_unique_id"
        case fileSize = "file_size"
        case filePath = "file_path"
    }
}
