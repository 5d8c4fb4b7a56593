/// How a link preview is shown (`LinkPreviewOptions`); Gongbu mostly disables previews.
public struct LinkPreviewOptions: Codable, Sendable, Hashable {
    public var isDisabled: Bool?
    public var url: String?
    public var preferSmallMedia: Bool?
    public var preferLargeMedia: Bool?
    public var showAboveText: Bool?

    public init(
        isDisabled: Bool? = nil, url: String? = nil, preferSmallMedia: Bool? = nil,
        preferLargeMedia: Bool? = nil, showAboveText: Bool? = nil
    ) {
        self.isDisabled = isDisabled
        self.url = url
        self.preferSmallMedia = preferSmallMedia
        self.preferLargeMedia = preferLargeMedia
        self.showAboveText = showAboveText
    }

    /// No preview at all.
    public static let disabled = LinkPreviewOptions(isDisabled: true)

    enum CodingKeys: String, CodingKey {
        case url
        case isDisabled = "is_disabled"
        case preferSmallMedia = "prefer_small_media"
        case preferLargeMedia = "prefer_large_media"
        case showAboveText = "show_above_text"
    }
}

/// The message a sent message replies to (`ReplyParameters`).
public struct ReplyParameters: Codable, Sendable, Hashable {
    public var messageId: Int
    public var chatId: ChatID?
    public var allowSendingWithoutReply: Bool?

    public init(messageId: Int, chatId: ChatID? = nil, allowSendingWithoutReply: Bool? = nil) {
        self.messageId = messageId
        self.chatId = chatId
        self.allowSendingWithoutReply = allowSendingWithoutReply
    }

    enum CodingKeys: String, CodingKey {
        case messageId = "message_id"
        case chatId = "chat_id"
        case allowSendingWithoutReply = "allow_sending_without_reply"
    }
}

/// A command shown in the bot's menu (`BotCommand`).
public struct BotCommand: Codable, Sendable, Hashable {
    public var command: String
    public var description: String

    public init(command: String, description: String) {
        self.command = command
        self.description = description
    }
}

/// Which chats a command list applies to (`BotCommandScope`, flattened: `type` plus its ids).
public struct BotCommandScope: Codable, Sendable, Hashable {
    /// `default`, `all_private_chats`, `all_group_chats`, `all_chat_administrators`, `chat`,
    /// `chat_administrators` or `chat_member`.
    public var type: String
    public var chatId: ChatID?
    public var userId: Int64?

    public init(type: String, chatId: ChatID? = nil, userId: Int64? = nil) {
        self.type = type
        self.chatId = chatId
        self.userId = userId
    }

    public static let `default` = BotCommandScope(type: "default")
    public static let allPrivateChats = BotCommandScope(type: "all_private_chats")

    /// Commands for one chat only (e.g. an admin's extra commands).
    public static func chat(_ chatId: ChatID) -> BotCommandScope {
        BotCommandScope(type: "chat", chatId: chatId)
    }

    enum CodingKeys: String, CodingKey {
        case type
        case chatId = "chat_id"
        case userId = "user_id"
    }
}

/// The `parse_mode` of a text; Gongbu sends HTML.
public enum ParseMode: String, Codable, Sendable, Hashable {
    case html = "HTML"
    case markdownV2 = "MarkdownV2"
    case markdown = "Markdown"
}
