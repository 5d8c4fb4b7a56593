/// Something a user did in a chat, in the terms scenes understand (no Bot API types).
///
/// The runtime maps each Telegram update to one `ChatEvent`; scenes never see the wire.
public struct ChatEvent: Sendable, Equatable, Codable {
    public var updateId: Int64
    public var chatId: Int64
    public var user: ChatUser
    public var kind: Kind
    /// The Telegram message this event came from, when it came from one (a message the runtime
    /// may have to delete, such as a pasted bot token); nil for presses and runtime events.
    public var messageId: Int?
    /// For a button press: what the pressed message showed, as the callback query carried it
    /// (nil when it did not, e.g. a message too old to be accessible).
    public var pressed: PressedMessage?

    public init(updateId: Int64, chatId: Int64, user: ChatUser, kind: Kind, messageId: Int? = nil, pressed: PressedMessage? = nil) {
        self.updateId = updateId
        self.chatId = chatId
        self.user = user
        self.kind = kind
        self.messageId = messageId
        self.pressed = pressed
    }

    public enum Kind: Sendable, Equatable, Codable {
        /// `/name args` (the bot's @username suffix already removed, name lowercased).
        case command(String, arguments: String)
        case text(String)
        /// An inline button press; `messageId` is the message the button sat on.
        case callback(queryId: String, data: String, messageId: Int?)
        case attachment(Attachment)
        case preCheckout(PreCheckout)
        case successfulPayment(Payment)
        case pollAnswer(pollId: String, optionIds: [Int])
        /// A reviewer's verdict on the student's submission to an assignment step (not from
        /// Telegram: the runtime delivers it from the manager bot, with `updateId` 0).
        case reviewVerdict(stepId: String, approved: Bool, comment: String?)
        /// A payment of this student was refunded (not from Telegram: the runtime delivers it
        /// after `refundStarPayment` succeeded, with `updateId` 0).
        case paymentRefunded(telegramChargeId: String)
        /// A subscription's access end is near or past (not from Telegram: the runtime's reminder
        /// scheduler delivers it when a due time stored with the payment comes, with `updateId` 0).
        case subscriptionCheck
        /// A user created a bot for the manager bot to manage, or its token changed (Telegram's
        /// `managed_bot` update; `chatId` and `user` are the bot's owner).
        case managedBot(botId: Int64, username: String?)
    }
}

/// The message an inline button was pressed on, as the callback query showed it, so a scene can
/// tell a press on the message that carries the button from a stale or forged one elsewhere
/// (and never edits the text of a media message).
public struct PressedMessage: Sendable, Equatable, Codable {
    /// A text message (edited with `editMessageText`); false for media with a caption.
    public var hasText: Bool
    /// The callback data of every button on it.
    public var callbackData: [String]

    public init(hasText: Bool, callbackData: [String]) {
        self.hasText = hasText
        self.callbackData = callbackData
    }
}

/// The user behind an event.
public struct ChatUser: Sendable, Equatable, Codable {
    public var id: Int64
    public var firstName: String
    public var username: String?
    /// Telegram's IETF language tag, e.g. "ru" or "en-US".
    public var languageCode: String?

    public init(id: Int64, firstName: String = "", username: String? = nil, languageCode: String? = nil) {
        self.id = id
        self.firstName = firstName
        self.username = username
        self.languageCode = languageCode
    }
}

/// A file or media a user sent.
public struct Attachment: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case photo, video, document, audio, voice, sticker, other
    }

    public var kind: Kind
    public var fileId: String
    public var fileUniqueId: String?
    public var fileSize: Int?
    public var mimeType: String?
    public var fileName: String?
    public var caption: String?

    public init(
        kind: Kind, fileId: String, fileUniqueId: String? = nil, fileSize: Int? = nil,
        mimeType: String? = nil, fileName: String? = nil, caption: String? = nil
    ) {
        self.kind = kind
        self.fileId = fileId
        self.fileUniqueId = fileUniqueId
        self.fileSize = fileSize
        self.mimeType = mimeType
        self.fileName = fileName
        self.caption = caption
    }
}

/// A pre-checkout query: Telegram asks whether to go on with a payment (answer within 10 s).
public struct PreCheckout: Sendable, Equatable, Codable {
    public var queryId: String
    public var currency: String
    public var totalAmount: Int
    public var payload: String

    public init(queryId: String, currency: String, totalAmount: Int, payload: String) {
        self.queryId = queryId
        self.currency = currency
        self.totalAmount = totalAmount
        self.payload = payload
    }
}

/// A successful payment, credited once per `telegramChargeId`.
public struct Payment: Sendable, Equatable, Codable {
    public var currency: String
    public var totalAmount: Int
    public var payload: String
    public var telegramChargeId: String
    public var providerChargeId: String?
    public var subscriptionExpiration: Int?
    public var isRecurring: Bool
    public var isFirstRecurring: Bool

    public init(
        currency: String, totalAmount: Int, payload: String, telegramChargeId: String,
        providerChargeId: String? = nil, subscriptionExpiration: Int? = nil,
        isRecurring: Bool = false, isFirstRecurring: Bool = false
    ) {
        self.currency = currency
        self.totalAmount = totalAmount
        self.payload = payload
        self.telegramChargeId = telegramChargeId
        self.providerChargeId = providerChargeId
        self.subscriptionExpiration = subscriptionExpiration
        self.isRecurring = isRecurring
        self.isFirstRecurring = isFirstRecurring
    }
}
