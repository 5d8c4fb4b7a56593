/// `sendPhoto`: a photo step or a re-sent submission.
public struct SendPhoto: BotMethod, Codable, Hashable {
    public typealias Response = Message
    public static let name = "sendPhoto"
    public var chatId: ChatID
    public var photo: InputFile
    public var caption: String?
    public var parseMode: ParseMode?
    public var captionEntities: [MessageEntity]?
    public var showCaptionAboveMedia: Bool?
    public var hasSpoiler: Bool?
    public var protectContent: Bool?
    public var replyParameters: ReplyParameters?
    public var replyMarkup: ReplyMarkup?

    public init(
        chatId: ChatID, photo: InputFile, caption: String? = nil, parseMode: ParseMode? = nil,
        captionEntities: [MessageEntity]? = nil, showCaptionAboveMedia: Bool? = nil, hasSpoiler: Bool? = nil,
        protectContent: Bool? = nil, replyParameters: ReplyParameters? = nil, replyMarkup: ReplyMarkup? = nil
    ) {
        self.chatId = chatId
        self.photo = photo
        self.caption = caption
        self.parseMode = parseMode
        self.captionEntities = captionEntities
        self.showCaptionAboveMedia = showCaptionAboveMedia
        self.hasSpoiler = hasSpoiler
        self.protectContent = protectContent
        self.replyParameters = replyParameters
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case photo, caption
        case chatId = "chat_id"
        case parseMode = "parse_mode"
        case captionEntities = "caption_entities"
        case showCaptionAboveMedia = "show_caption_above_media"
        case hasSpoiler = "has_spoiler"
        case protectContent = "protect_content"
        case replyParameters = "reply_parameters"
        case replyMarkup = "reply_markup"
    }
}

/// `sendVideo`: a video step.
public struct SendVideo: BotMethod, Codable, Hashable {
    public typealias Response = Message
    public static let name = "sendVideo"
    public var chatId: ChatID
    public var video: InputFile
    public var duration: Int?
    public var width: Int?
    public var height: Int?
    public var thumbnail: InputFile?
    public var caption: String?
    public var parseMode: ParseMode?
    public var captionEntities: [MessageEntity]?
    public var supportsStreaming: Bool?
    public var protectContent: Bool?
    public var replyParameters: ReplyParameters?
    public var replyMarkup: ReplyMarkup?

    public init(
        chatId: ChatID, video: InputFile, duration: Int? = nil, width: Int? = nil, height: Int? = nil,
        thumbnail: InputFile? = nil, caption: String? = nil, parseMode: ParseMode? = nil,
        captionEntities: [MessageEntity]? = nil, supportsStreaming: Bool? = nil, protectContent: Bool? = nil,
        replyParameters: ReplyParameters? = nil, replyMarkup: ReplyMarkup? = nil
    ) {
        self.chatId = chatId
        self.video = video
        self.duration = duration
        self.width = width
        self.height = height
        self.thumbnail = thumbnail
        self.caption = caption
        self.parseMode = parseMode
        self.captionEntities = captionEntities
        self.supportsStreaming = supportsStreaming
        self.protectContent = protectContent
        self.replyParameters = replyParameters
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case video, duration, width, height, thumbnail, caption
        case chatId = "chat_id"
        case parseMode = "parse_mode"
        case captionEntities = "caption_entities"
        case supportsStreaming = "supports_streaming"
        case protectContent = "protect_content"
        case replyParameters = "reply_parameters"
        case replyMarkup = "reply_markup"
    }
}

/// `sendDocument`: a document step or a re-sent submitted file.
public struct SendDocument: BotMethod, Codable, Hashable {
    public typealias Response = Message
    public static let name = "sendDocument"
    public var chatId: ChatID
    public var document: InputFile
    public var thumbnail: InputFile?
    public var caption: String?
    public var parseMode: ParseMode?
    public var captionEntities: [MessageEntity]?
    public var disableContentTypeDetection: Bool?
    public var protectContent: Bool?
    public var replyParameters: ReplyParameters?
    public var replyMarkup: ReplyMarkup?

    public init(
        chatId: ChatID, document: InputFile, thumbnail: InputFile? = nil, caption: String? = nil,
        parseMode: ParseMode? = nil, captionEntities: [MessageEntity]? = nil,
        disableContentTypeDetection: Bool? = nil, protectContent: Bool? = nil,
        replyParameters: ReplyParameters? = nil, replyMarkup: ReplyMarkup? = nil
    ) {
        self.chatId = chatId
        self.document = document
        self.thumbnail = thumbnail
        self.caption = caption
        self.parseMode = parseMode
        self.captionEntities = captionEntities
        self.disableContentTypeDetection = disableContentTypeDetection
        self.protectContent = protectContent
        self.replyParameters = replyParameters
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case document, thumbnail, caption
        case chatId = "chat_id"
        case parseMode = "parse_mode"
        case captionEntities = "caption_entities"
        case disableContentTypeDetection = "disable_content_type_detection"
        case protectContent = "protect_content"
        case replyParameters = "reply_parameters"
        case replyMarkup = "reply_markup"
    }
}

/// `sendAudio`: an audio step (shown in the music player).
public struct SendAudio: BotMethod, Codable, Hashable {
    public typealias Response = Message
    public static let name = "sendAudio"
    public var chatId: ChatID
    public var audio: InputFile
    public var caption: String?
    public var parseMode: ParseMode?
    public var captionEntities: [MessageEntity]?
    public var duration: Int?
    public var performer: String?
    public var title: String?
    public var thumbnail: InputFile?
    public var protectContent: Bool?
    public var replyParameters: ReplyParameters?
    public var replyMarkup: ReplyMarkup?

    public init(
        chatId: ChatID, audio: InputFile, caption: String? = nil, parseMode: ParseMode? = nil,
        captionEntities: [MessageEntity]? = nil, duration: Int? = nil, performer: String? = nil,
        title: String? = nil, thumbnail: InputFile? = nil, protectContent: Bool? = nil,
        replyParameters: ReplyParameters? = nil, replyMarkup: ReplyMarkup? = nil
    ) {
        self.chatId = chatId
        self.audio = audio
        self.caption = caption
        self.parseMode = parseMode
        self.captionEntities = captionEntities
        self.duration = duration
        self.performer = performer
        self.title = title
        self.thumbnail = thumbnail
        self.protectContent = protectContent
        self.replyParameters = replyParameters
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case audio, caption, duration, performer, title, thumbnail
        case chatId = "chat_id"
        case parseMode = "parse_mode"
        case captionEntities = "caption_entities"
        case protectContent = "protect_content"
        case replyParameters = "reply_parameters"
        case replyMarkup = "reply_markup"
    }
}

/// `sendVoice`: a voice note (OGG/Opus, MP3 or M4A).
public struct SendVoice: BotMethod, Codable, Hashable {
    public typealias Response = Message
    public static let name = "sendVoice"
    public var chatId: ChatID
    public var voice: InputFile
    public var caption: String?
    public var parseMode: ParseMode?
    public var captionEntities: [MessageEntity]?
    public var duration: Int?
    public var protectContent: Bool?
    public var replyParameters: ReplyParameters?
    public var replyMarkup: ReplyMarkup?

    public init(
        chatId: ChatID, voice: InputFile, caption: String? = nil, parseMode: ParseMode? = nil,
        captionEntities: [MessageEntity]? = nil, duration: Int? = nil, protectContent: Bool? = nil,
        replyParameters: ReplyParameters? = nil, replyMarkup: ReplyMarkup? = nil
    ) {
        self.chatId = chatId
        self.voice = voice
        self.caption = caption
        self.parseMode = parseMode
        self.captionEntities = captionEntities
        self.duration = duration
        self.protectContent = protectContent
        self.replyParameters = replyParameters
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case voice, caption, duration
        case chatId = "chat_id"
        case parseMode = "parse_mode"
        case captionEntities = "caption_entities"
        case protectContent = "protect_content"
        case replyParameters = "reply_parameters"
        case replyMarkup = "reply_markup"
    }
}
