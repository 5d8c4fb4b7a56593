/// `getManagedBotToken`: the token of a bot this bot manages (after a `managed_bot` update).
/// The answer is a secret: wrap it in `BotToken` at once and never log it.
public struct GetManagedBotToken: BotMethod, Codable, Hashable {
    public typealias Response = String
    public static let name = "getManagedBotToken"
    /// The managed bot's user id.
    public var userId: Int64

    public init(userId: Int64) {
        self.userId = userId
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
    }
}

/// `replaceManagedBotToken`: revokes a managed bot's token and returns a new one (a secret).
public struct ReplaceManagedBotToken: BotMethod, Codable, Hashable {
    public typealias Response = String
    public static let name = "replaceManagedBotToken"
    /// The managed bot's user id.
    public var userId: Int64

    public init(userId: Int64) {
        self.userId = userId
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
    }
}
