/// A sticker (`Sticker`): a user may send one where the bot waits for a file, so Gongbu has to
/// see it to answer (an assignment step or the course editor says what it accepts instead).
///
/// Keeps the fields Gongbu reads or the emulator sends; `premium_animation` and `mask_position`
/// are ignored when decoding.
public struct Sticker: Codable, Sendable, Hashable {
    public var fileId: String
    public var fileUniqueId: String
    /// "regular", "mask" or "custom_emoji".
    public var type: String
    public var width: Int
    public var height: Int
    public var isAnimated: Bool
    public var isVideo: Bool
    public var thumbnail: PhotoSize?
    public var emoji: String?
    public var setName: String?
    public var customEmojiId: String?
    public var needsRepainting: Bool?
    public var fileSize: Int?

    public init(
        fileId: String, fileUniqueId: String, type: String = "regular", width: Int = 512, height: Int = 512,
        isAnimated: Bool = false, isVideo: Bool = false, thumbnail: PhotoSize? = nil, emoji: String? = nil,
        setName: String? = nil, customEmojiId: String? = nil, needsRepainting: Bool? = nil, fileSize: Int? = nil
    ) {
        self.fileId = fileId
        self.fileUniqueId = fileUniqueId
        self.type = type
        self.width = width
        self.height = height
        self.isAnimated = isAnimated
        self.isVideo = isVideo
        self.thumbnail = thumbnail
        self.emoji = emoji
        self.setName = setName
        self.customEmojiId = customEmojiId
        self.needsRepainting = needsRepainting
        self.fileSize = fileSize
    }

    /// The sticker file's MIME type, from its format (animated: TGS, video: WEBM, else WEBP).
    public var mimeType: String {
        isAnimated ? "application/x-tgsticker" : isVideo ? "video/webm" : "image/webp"
    }

    enum CodingKeys: String, CodingKey {
        case type, width, height, thumbnail, emoji
        case fileId = "file_id"
        case fileUniqueId = "file_unique_id"
        case isAnimated = "is_animated"
        case isVideo = "is_video"
        case setName = "set_name"
        case customEmojiId = "custom_emoji_id"
        case needsRepainting = "needs_repainting"
        case fileSize = "file_size"
    }
}
