/// A message (`Message`), also used for an `InaccessibleMessage` (then `date` is 0).
///
/// Keeps the fields Gongbu reads; every other field of Bot API 10.1 is ignored when decoding.
public struct Message: Codable, Sendable, Hashable {
    public var messageId: Int
    public var messageThreadId: Int?
    public var from: User?
    public var senderChat: Chat?
    public var date: Int
    public var chat: Chat
    public var editDate: Int?
    public var mediaGroupId: String?
    public var text: String?
    public var entities: [MessageEntity]?
    public var caption: String?
    public var captionEntities: [MessageEntity]?
    public var photo: [PhotoSize]?
    public var document: Document?
    public var video: Video?
    public var audio: Audio?
    public var voice: Voice?
    public var sticker: Sticker?
    public var poll: Poll?
    public var invoice: Invoice?
    public var successfulPayment: SuccessfulPayment?
    public var refundedPayment: RefundedPayment?
    public var webAppData: WebAppData?
    public var replyMarkup: InlineKeyboardMarkup?
    /// Service message: the user created a bot managed by this bot.
    public var managedBotCreated: ManagedBotCreated?

    public init(
        messageId: Int, messageThreadId: Int? = nil, from: User? = nil, senderChat: Chat? = nil, date: Int,
        chat: Chat, editDate: Int? = nil, mediaGroupId: String? = nil, text: String? = nil,
        entities: [MessageEntity]? = nil, caption: String? = nil, captionEntities: [MessageEntity]? = nil,
        photo: [PhotoSize]? = nil, document: Document? = nil, video: Video? = nil, audio: Audio? = nil,
        voice: Voice? = nil, poll: Poll? = nil, invoice: Invoice? = nil,
        successfulPayment: SuccessfulPayment? = nil, refundedPayment: RefundedPayment? = nil,
        webAppData: WebAppData? = nil, replyMarkup: InlineKeyboardMarkup? = nil,
        managedBotCreated: ManagedBotCreated? = nil, sticker: Sticker? = nil
    ) {
        self.messageId = messageId
        self.messageThreadId = messageThreadId
        self.from = from
        self.senderChat = senderChat
        self.date = date
        self.chat = chat
        self.editDate = editDate
        self.mediaGroupId = mediaGroupId
        self.text = text
        self.entities = entities
        self.caption = caption
        self.captionEntities = captionEntities
        self.photo = photo
        self.document = document
        self.video = video
        self.audio = audio
        self.voice = voice
        self.sticker = sticker
        self.poll = poll
        self.invoice = invoice
        self.successfulPayment = successfulPayment
        self.refundedPayment = refundedPayment
        self.webAppData = webAppData
        self.replyMarkup = replyMarkup
        self.managedBotCreated = managedBotCreated
    }

    /// `false` for an `InaccessibleMessage` (a callback's message too old for the bot to see).
    public var isAccessible: Bool { date != 0 }

    /// The bot command at the start of the text (`/start` → `start`, `/start@MyBot x` → `start`).
    public var command: String? {
        guard let text, text.hasPrefix("/") else { return nil }
        let word = text.dropFirst().prefix { !$0.isWhitespace }
        let name = word.split(separator: "@", maxSplits: 1).first.map(String.init) ?? ""
        return name.isEmpty ? nil : name
    }

    /// The text after the command (`/start abc` → `abc`), empty when none.
    public var commandArgument: String? {
        guard command != nil, let text else { return nil }
        guard let space = text.firstIndex(where: \.isWhitespace) else { return "" }
        return text[space...].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    enum CodingKeys: String, CodingKey {
        case from, date, chat, text, entities, caption, photo, document, video, audio, voice, sticker, poll, invoice
        case messageId = "message_id"
        case messageThreadId = "message_thread_id"
        case senderChat = "sender_chat"
        case editDate = "edit_date"
        case mediaGroupId = "media_group_id"
        case captionEntities = "caption_entities"
        case successfulPayment = "successful_payment"
        case refundedPayment = "refunded_payment"
        case webAppData = "web_app_data"
        case managedBotCreated = "managed_bot_created"
        case replyMarkup = "reply_markup"
    }
}

/// A formatting or special entity in a text (`MessageEntity`): bold, link, bot_command, …
public struct MessageEntity: Codable, Sendable, Hashable {
    public var type: String
    /// Offset in UTF-16 code units.
    public var offset: Int
    /// Length in UTF-16 code units.
    public var length: Int
    public var url: String?
    public var user: User?
    public var language: String?
    public var customEmojiId: String?

    public init(
        type: String, offset: Int, length: Int, url: String? = nil, user: User? = nil,
        language: String? = nil, customEmojiId: String? = nil
    ) {
        self.type = type
        self.offset = offset
        self.length = length
        self.url = url
        self.user = user
        self.language = language
        self.customEmojiId = customEmojiId
    }

    enum CodingKeys: String, CodingKey {
        case type, offset, length, url, user, language
        case customEmojiId = "custom_emoji_id"
    }
}

/// Data sent from a Mini App by `Telegram.WebApp.sendData` (`WebAppData`).
public struct WebAppData: Codable, Sendable, Hashable {
    public var data: String
    public var buttonText: String

    public init(data: String, buttonText: String) {
        self.data = data
        self.buttonText = buttonText
    }

    enum CodingKeys: String, CodingKey {
        case data
        case buttonText = "button_text"
    }
}

/// A press on an inline button (`CallbackQuery`); must be answered with `answerCallbackQuery`.
public struct CallbackQuery: Codable, Sendable, Hashable {
    public var id: String
    public var from: User
    /// The message the button was on; `isAccessible` is false when it is too old.
    public var message: Message?
    public var inlineMessageId: String?
    public var chatInstance: String
    public var data: String?
    public var gameShortName: String?

    public init(
        id: String, from: User, message: Message? = nil, inlineMessageId: String? = nil,
        chatInstance: String, data: String? = nil, gameShortName: String? = nil
    ) {
        self.id = id
        self.from = from
        self.message = message
        self.inlineMessageId = inlineMessageId
        self.chatInstance = chatInstance
        self.data = data
        self.gameShortName = gameShortName
    }

    enum CodingKeys: String, CodingKey {
        case id, from, message, data
        case inlineMessageId = "inline_message_id"
        case chatInstance = "chat_instance"
        case gameShortName = "game_short_name"
    }
}
