import Foundation

/// A user of the emulated Telegram, as bots see them in `from` and `chat`.
struct UserProfile: Sendable {
    var id: Int64
    var firstName: String
    var lastName: String?
    var username: String?
    var languageCode: String?

    var json: JSONValue {
        var members: [String: JSONValue] = ["id": .int(id), "is_bot": false, "first_name": .string(firstName)]
        if let lastName { members["last_name"] = .string(lastName) }
        if let username { members["username"] = .string(username) }
        if let languageCode { members["language_code"] = .string(languageCode) }
        return .object(members)
    }

    var privateChatJSON: JSONValue {
        var members: [String: JSONValue] = ["id": .int(id), "type": "private", "first_name": .string(firstName)]
        if let lastName { members["last_name"] = .string(lastName) }
        if let username { members["username"] = .string(username) }
        return .object(members)
    }
}

/// A message stored in a chat: the Message object plus bookkeeping.
struct StoredMessage: Sendable {
    var id: Int
    var fromBot: Bool
    var json: [String: JSONValue]
    /// The bot's change counter value when this message was last created or edited.
    var changeSeq: Int
    /// The terms of an invoice message, for scripted payments.
    var invoice: InvoiceTerms? = nil

    var chatMessage: ChatMessage { ChatMessage(messageId: id, json: .object(json)) }
}

/// One private chat between the bot and a user.
struct ChatState: Sendable {
    var user: UserProfile
    var blocked = false
    var nextMessageId = 1
    var messages: [Int: StoredMessage] = [:]
    /// Message ids in the order they were sent (deleted ones removed).
    var order: [Int] = []
    /// Change counter value at the user's latest action (send, press, pay…).
    var lastActionSeq = 0
    var bucket: TokenBucket?
    /// The reply keyboard the bot shows in this chat (its rows of KeyboardButton), if any.
    var replyKeyboard: [[JSONValue]]?

    init(user: UserProfile) { self.user = user }

    /// The transcript: bot messages, oldest first.
    var botMessages: [StoredMessage] { order.compactMap { messages[$0] }.filter(\.fromBot) }
}

/// A file the emulated server holds.
struct StoredFile: Sendable {
    var fileId: String
    var uniqueId: String
    var path: String
    var data: Data
    var fileName: String?
    var mimeType: String?
}

/// An update waiting for the bot.
struct QueuedUpdate: Sendable {
    var id: Int64
    var kind: String
    var json: String
}

/// A getUpdates request waiting for updates.
struct OpenPoll {
    var id: UInt64
    var limit: Int
    var continuation: CheckedContinuation<MethodOutcome, Never>
    var timeoutTask: Task<Void, Never>?
}

/// A callback query the bot has not answered yet, or its answer.
struct CallbackRecord: Sendable {
    var chatId: Int64
    var answer: CallbackAnswer?
}

/// An invoice's terms, from sendInvoice or createInvoiceLink.
struct InvoiceTerms: Sendable {
    var title: String
    var description: String
    var payload: String
    var currency: String
    var totalAmount: Int64
    var subscriptionPeriod: Int?
}

/// A pre-checkout query sent to the bot, and its answer.
struct PreCheckoutRecord: Sendable {
    var chatId: Int64
    var terms: InvoiceTerms
    var answer: PreCheckoutAnswer?
}

struct PreCheckoutAnswer: Sendable {
    var ok: Bool
    var errorMessage: String?
}

/// A sent poll.
struct PollRecord: Sendable {
    var chatId: Int64
    var messageId: Int
    var optionCount: Int
}

/// Something a scripted user is waiting for.
enum WaitResult: Sendable {
    case message(ChatMessage)
    case messages([ChatMessage])
    case callbackAnswer(CallbackAnswer)
    case preCheckout(PreCheckoutAnswer)
}

struct Waiter {
    var chatId: Int64
    var check: @Sendable (BotState) -> WaitResult?
    var continuation: CheckedContinuation<WaitResult, any Error>
    var timeoutTask: Task<Void, Never>?
}

/// Everything one emulated bot holds, guarded by the bot's lock.
struct BotState {
    var rateLimits: EmulatorConfiguration.RateLimits?
    var recordsCalls: Bool

    var updates: [QueuedUpdate] = []
    var nextUpdateId: Int64 = 1
    var poll: OpenPoll?
    var nextPollId: UInt64 = 1
    /// Polls whose client went away before they started waiting (answered at once when they do).
    var abandonedPollIds: Set<UInt64> = []
    var webhookURL: String?
    var allowedUpdates: Set<String>?
    /// Menu buttons set with setChatMenuButton, by chat id (0: the default one).
    var menuButtons: [Int64: JSONValue] = [:]

    var chats: [Int64: ChatState] = [:]
    var changeSeq = 0

    var files: [String: StoredFile] = [:]
    var fileIdsByPath: [String: String] = [:]
    var nextFileNumber = 1

    var calls: [RecordedCall] = []
    /// Calls refused because they are not in the Bot API schema: one line per problem.
    var schemaViolations: [String] = []
    var tooManyRequestsCount = 0
    var botBucket: TokenBucket?

    var callbacks: [String: CallbackRecord] = [:]
    var preCheckouts: [String: PreCheckoutRecord] = [:]
    var invoiceLinks: [String: InvoiceTerms] = [:]
    var payments: [PaymentRecord] = []
    var polls: [String: PollRecord] = [:]
    var nextQueryNumber = 1

    var profile = BotProfile()

    /// Waiters by chat id, then waiter id.
    var waiters: [Int64: [UInt64: Waiter]] = [:]
    var nextWaiterId: UInt64 = 1

    init(rateLimits: EmulatorConfiguration.RateLimits?, recordsCalls: Bool) {
        self.rateLimits = rateLimits
        self.recordsCalls = recordsCalls
    }

    mutating func nextChange() -> Int {
        changeSeq += 1
        return changeSeq
    }

    mutating func nextQueryId() -> String {
        defer { nextQueryNumber += 1 }
        return String(4_000_000_000_000_000 + nextQueryNumber)
    }
}

/// What the bot set about itself with setMyCommands, setMyName, setMyDescription….
public struct BotProfile: Sendable, Equatable {
    /// Commands by language code ("" for the default).
    public var commands: [String: JSONValue] = [:]
    public var names: [String: String] = [:]
    public var descriptions: [String: String] = [:]
    public var shortDescriptions: [String: String] = [:]
}

/// How the bot answered a callback query.
public struct CallbackAnswer: Sendable, Equatable {
    public var text: String?
    public var showAlert: Bool
    public var url: String?
}
