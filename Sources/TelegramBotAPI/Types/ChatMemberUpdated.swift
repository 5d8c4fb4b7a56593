/// A change of a member's status in a chat (`ChatMemberUpdated`); for `my_chat_member` it tells
/// when a student blocked (`kicked`) or unblocked (`member`) the bot.
public struct ChatMemberUpdated: Codable, Sendable, Hashable {
    public var chat: Chat
    public var from: User
    public var date: Int
    public var oldChatMember: ChatMember
    public var newChatMember: ChatMember

    public init(chat: Chat, from: User, date: Int, oldChatMember: ChatMember, newChatMember: ChatMember) {
        self.chat = chat
        self.from = from
        self.date = date
        self.oldChatMember = oldChatMember
        self.newChatMember = newChatMember
    }

    enum CodingKeys: String, CodingKey {
        case chat, from, date
        case oldChatMember = "old_chat_member"
        case newChatMember = "new_chat_member"
    }
}

/// A chat member (`ChatMember`), kept loose: the status and user shared by all six variants.
public struct ChatMember: Codable, Sendable, Hashable {
    /// `creator`, `administrator`, `member`, `restricted`, `left` or `kicked`.
    public var status: String
    public var user: User
    public var untilDate: Int?
    public var isMember: Bool?

    public init(status: String, user: User, untilDate: Int? = nil, isMember: Bool? = nil) {
        self.status = status
        self.user = user
        self.untilDate = untilDate
        self.isMember = isMember
    }

    /// Whether the user has left or banned (for a bot in a private chat: blocked) the chat.
    public var isGone: Bool {
        status == "left" || status == "kicked" || (status == "restricted" && isMember == false)
    }

    enum CodingKeys: String, CodingKey {
        case status, user
        case untilDate = "until_date"
        case isMember = "is_member"
    }
}

/// A bot created or changed by a user for a manager bot (`ManagedBotUpdated`, Bot API 9.x).
public struct ManagedBotUpdated: Codable, Sendable, Hashable {
    public var user: User
    public var bot: User

    public init(user: User, bot: User) {
        self.user = user
        self.bot = bot
    }
}
