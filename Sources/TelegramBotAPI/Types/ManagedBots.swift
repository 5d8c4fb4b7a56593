/// The request inside a `request_managed_bot` reply-keyboard button
/// (`KeyboardButtonRequestManagedBot`, Bot API 9.6+ Managed Bots): pressing the button asks the
/// user to create a bot that the current bot will manage. Gongbu's manager bot offers it from
/// `/connect`, with the course title and a username derived from the course slug.
public struct KeyboardButtonRequestManagedBot: Codable, Sendable, Hashable {
    /// Signed 32-bit identifier of the request, unique within the message.
    public var requestId: Int32
    public var suggestedName: String?
    public var suggestedUsername: String?

    public init(requestId: Int32, suggestedName: String? = nil, suggestedUsername: String? = nil) {
        self.requestId = requestId
        self.suggestedName = suggestedName
        self.suggestedUsername = suggestedUsername
    }

    enum CodingKeys: String, CodingKey {
        case requestId = "request_id"
        case suggestedName = "suggested_name"
        case suggestedUsername = "suggested_username"
    }

    /// A username Telegram accepts for a new bot, derived from `base` (e.g. a course slug):
    /// 5–32 characters of `a-z`, `0-9` and `_`, starting with a letter, ending in `bot`.
    public static func suggestedUsername(from base: String) -> String {
        var word = ""
        for character in base.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                word.append(character)
            } else if !word.isEmpty, !word.hasSuffix("_") {
                word += "_"
            }
        }
        func trimmed(_ text: String, to length: Int) -> String {
            var text = String(text.prefix(length))
            while text.hasSuffix("_") { text.removeLast() }
            return text
        }
        word = trimmed(word, to: 32)
        if !(word.first?.isLetter ?? false) { word = trimmed("course_" + word, to: 32) }
        if !word.hasSuffix("bot") { word = trimmed(word, to: 28) + "_bot" }
        if word.count < 5 { word = "course_" + word }
        return word
    }
}

/// The service message of a managed bot's creation (`ManagedBotCreated`, field
/// `Message.managed_bot_created`): the user created `bot` for the current bot to manage.
public struct ManagedBotCreated: Codable, Sendable, Hashable {
    /// The new bot; its token is fetched with `getManagedBotToken`.
    public var bot: User

    public init(bot: User) {
        self.bot = bot
    }
}
