/// `getMe`: checks a token and returns the bot's own user (used by `/connect`).
public struct GetMe: BotMethod, Codable, Hashable {
    public typealias Response = User
    public static let name = "getMe"
    public init() {}
}

/// `getUpdates`: long polling for new updates.
public struct GetUpdates: BotMethod, Codable, Hashable {
    public typealias Response = [Update]
    public static let name = "getUpdates"
    public var offset: Int64?
    public var limit: Int?
    public var timeout: Int?
    public var allowedUpdates: [String]?

    public init(offset: Int64? = nil, limit: Int? = nil, timeout: Int? = nil, allowedUpdates: [String]? = nil) {
        self.offset = offset
        self.limit = limit
        self.timeout = timeout
        self.allowedUpdates = allowedUpdates
    }

    enum CodingKeys: String, CodingKey {
        case offset, limit, timeout
        case allowedUpdates = "allowed_updates"
    }
}

/// `deleteWebhook`: long polling fails with 409 while a webhook is set.
public struct DeleteWebhook: BotMethod, Codable, Hashable {
    public typealias Response = Bool
    public static let name = "deleteWebhook"
    public var dropPendingUpdates: Bool?

    public init(dropPendingUpdates: Bool? = nil) {
        self.dropPendingUpdates = dropPendingUpdates
    }

    enum CodingKeys: String, CodingKey {
        case dropPendingUpdates = "drop_pending_updates"
    }
}

/// `getFile`: the `file_path` to download a file a user sent.
public struct GetFile: BotMethod, Codable, Hashable {
    public typealias Response = File
    public static let name = "getFile"
    public var fileId: String

    public init(fileId: String) {
        self.fileId = fileId
    }

    enum CodingKeys: String, CodingKey {
        case fileId = "file_id"
    }
}

/// `setMyCommands`: the command menu of the bot.
public struct SetMyCommands: BotMethod, Codable, Hashable {
    public typealias Response = Bool
    public static let name = "setMyCommands"
    public var commands: [BotCommand]
    public var scope: BotCommandScope?
    public var languageCode: String?

    public init(commands: [BotCommand], scope: BotCommandScope? = nil, languageCode: String? = nil) {
        self.commands = commands
        self.scope = scope
        self.languageCode = languageCode
    }

    enum CodingKeys: String, CodingKey {
        case commands, scope
        case languageCode = "language_code"
    }
}

/// `setMyName`: the bot's display name (per language).
public struct SetMyName: BotMethod, Codable, Hashable {
    public typealias Response = Bool
    public static let name = "setMyName"
    public var name: String?
    public var languageCode: String?

    public init(name: String?, languageCode: String? = nil) {
        self.name = name
        self.languageCode = languageCode
    }

    enum CodingKeys: String, CodingKey {
        case name
        case languageCode = "language_code"
    }
}

/// `setMyDescription`: the text shown in an empty chat with the bot.
public struct SetMyDescription: BotMethod, Codable, Hashable {
    public typealias Response = Bool
    public static let name = "setMyDescription"
    public var description: String?
    public var languageCode: String?

    public init(description: String?, languageCode: String? = nil) {
        self.description = description
        self.languageCode = languageCode
    }

    enum CodingKeys: String, CodingKey {
        case description
        case languageCode = "language_code"
    }
}

/// `setMyShortDescription`: the text on the bot's profile page.
public struct SetMyShortDescription: BotMethod, Codable, Hashable {
    public typealias Response = Bool
    public static let name = "setMyShortDescription"
    public var shortDescription: String?
    public var languageCode: String?

    public init(shortDescription: String?, languageCode: String? = nil) {
        self.shortDescription = shortDescription
        self.languageCode = languageCode
    }

    enum CodingKeys: String, CodingKey {
        case shortDescription = "short_description"
        case languageCode = "language_code"
    }
}

/// `sendChatAction`: shows "typing…" or "sending photo…" for up to 5 seconds.
public struct SendChatAction: BotMethod, Codable, Hashable {
    public typealias Response = Bool
    public static let name = "sendChatAction"
    public var chatId: ChatID
    /// `typing`, `upload_photo`, `upload_video`, `upload_voice`, `upload_document`, …
    public var action: String

    public init(chatId: ChatID, action: String = "typing") {
        self.chatId = chatId
        self.action = action
    }

    enum CodingKeys: String, CodingKey {
        case action
        case chatId = "chat_id"
    }
}
