/// `sendMessage`: a text message, HTML-formatted by Gongbu.
public struct SendMessage: BotMethod, Codable, Hashable {
    public typealias Response = Message
    public static let name = "sendMessage"
    public var chatId: ChatID
    public var messageThreadId: Int?
    public var text: String
    public var parseMode: ParseMode?
    public var entities: [MessageEntity]?
    public var linkPreviewOptions: LinkPreviewOptions?
    public var disableNotification: Bool?
    public var protectContent: Bool?
    public var replyParameters: ReplyParameters?
    public var replyMarkup: ReplyMarkup?

    public init(
        chatId: ChatID, messageThreadId: Int? = nil, text: String, parseMode: ParseMode? = nil,
        entities: [MessageEntity]? = nil, linkPreviewOptions: LinkPreviewOptions? = nil,
        disableNotification: Bool? = nil, protectContent: Bool? = nil, replyParameters: ReplyParameters? = nil,
        replyMarkup: ReplyMarkup? = nil
    ) {
        self.chatId = chatId
        self.messageThreadId = messageThreadId
        self.text = text
        self.parseMode = parseMode
        self.entities = entities
        self.linkPreviewOptions = linkPreviewOptions
        self.disableNotification = disableNotification
        self.protectContent = protectContent
        self.replyParameters = replyParameters
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case text, entities
        case chatId = "chat_id"
        case messageThreadId = "message_thread_id"
        case parseMode = "parse_mode"
        case linkPreviewOptions = "link_preview_options"
        case disableNotification = "disable_notification"
        case protectContent = "protect_content"
        case replyParameters = "reply_parameters"
        case replyMarkup = "reply_markup"
    }
}

/// `editMessageText`: replaces a message's text (e.g. a quiz question marked right or wrong).
public struct EditMessageText: BotMethod, Codable, Hashable {
    public typealias Response = EditResult
    public static let name = "editMessageText"
    public var chatId: ChatID?
    public var messageId: Int?
    public var inlineMessageId: String?
    public var text: String
    public var parseMode: ParseMode?
    public var entities: [MessageEntity]?
    public var linkPreviewOptions: LinkPreviewOptions?
    public var replyMarkup: InlineKeyboardMarkup?

    public init(
        chatId: ChatID?, messageId: Int?, inlineMessageId: String? = nil, text: String,
        parseMode: ParseMode? = nil, entities: [MessageEntity]? = nil,
        linkPreviewOptions: LinkPreviewOptions? = nil, replyMarkup: InlineKeyboardMarkup? = nil
    ) {
        self.chatId = chatId
        self.messageId = messageId
        self.inlineMessageId = inlineMessageId
        self.text = text
        self.parseMode = parseMode
        self.entities = entities
        self.linkPreviewOptions = linkPreviewOptions
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case text, entities
        case chatId = "chat_id"
        case messageId = "message_id"
        case inlineMessageId = "inline_message_id"
        case parseMode = "parse_mode"
        case linkPreviewOptions = "link_preview_options"
        case replyMarkup = "reply_markup"
    }
}

/// `editMessageReplyMarkup`: replaces or removes (nil) a message's inline keyboard.
public struct EditMessageReplyMarkup: BotMethod, Codable, Hashable {
    public typealias Response = EditResult
    public static let name = "editMessageReplyMarkup"
    public var chatId: ChatID?
    public var messageId: Int?
    public var inlineMessageId: String?
    public var replyMarkup: InlineKeyboardMarkup?

    public init(
        chatId: ChatID?, messageId: Int?, inlineMessageId: String? = nil, replyMarkup: InlineKeyboardMarkup? = nil
    ) {
        self.chatId = chatId
        self.messageId = messageId
        self.inlineMessageId = inlineMessageId
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case chatId = "chat_id"
        case messageId = "message_id"
        case inlineMessageId = "inline_message_id"
        case replyMarkup = "reply_markup"
    }
}

/// `editMessageCaption`: replaces a media message's caption.
public struct EditMessageCaption: BotMethod, Codable, Hashable {
    public typealias Response = EditResult
    public static let name = "editMessageCaption"
    public var chatId: ChatID?
    public var messageId: Int?
    public var inlineMessageId: String?
    public var caption: String?
    public var parseMode: ParseMode?
    public var captionEntities: [MessageEntity]?
    public var replyMarkup: InlineKeyboardMarkup?

    public init(
        chatId: ChatID?, messageId: Int?, inlineMessageId: String? = nil, caption: String?,
        parseMode: ParseMode? = nil, captionEntities: [MessageEntity]? = nil,
        replyMarkup: InlineKeyboardMarkup? = nil
    ) {
        self.chatId = chatId
        self.messageId = messageId
        self.inlineMessageId = inlineMessageId
        self.caption = caption
        self.parseMode = parseMode
        self.captionEntities = captionEntities
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case caption
        case chatId = "chat_id"
        case messageId = "message_id"
        case inlineMessageId = "inline_message_id"
        case parseMode = "parse_mode"
        case captionEntities = "caption_entities"
        case replyMarkup = "reply_markup"
    }
}

/// `deleteMessage`: deletes a message (only within 48 hours for the bot's own messages).
public struct DeleteMessage: BotMethod, Codable, Hashable {
    public typealias Response = Bool
    public static let name = "deleteMessage"
    public var chatId: ChatID
    public var messageId: Int

    public init(chatId: ChatID, messageId: Int) {
        self.chatId = chatId
        self.messageId = messageId
    }

    enum CodingKeys: String, CodingKey {
        case chatId = "chat_id"
        case messageId = "message_id"
    }
}

/// `answerCallbackQuery`: stops the button's spinner, optionally with a toast or an alert.
public struct AnswerCallbackQuery: BotMethod, Codable, Hashable {
    public typealias Response = Bool
    public static let name = "answerCallbackQuery"
    public var callbackQueryId: String
    public var text: String?
    public var showAlert: Bool?
    public var url: String?
    public var cacheTime: Int?

    public init(
        callbackQueryId: String, text: String? = nil, showAlert: Bool? = nil, url: String? = nil,
        cacheTime: Int? = nil
    ) {
        self.callbackQueryId = callbackQueryId
        self.text = text
        self.showAlert = showAlert
        self.url = url
        self.cacheTime = cacheTime
    }

    enum CodingKeys: String, CodingKey {
        case text, url
        case callbackQueryId = "callback_query_id"
        case showAlert = "show_alert"
        case cacheTime = "cache_time"
    }
}
