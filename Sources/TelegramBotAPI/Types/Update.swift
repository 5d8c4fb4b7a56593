/// One incoming update (`Update`) with the kind Gongbu handles, or `.unknown` for any other kind.
///
/// Decoding never fails for an update kind Gongbu does not know: such updates keep their id
/// (so the poll offset advances) and callers skip them.
public struct Update: Codable, Sendable, Hashable {
    public var updateId: Int64
    public var kind: Kind

    /// What an update carries.
    public enum Kind: Sendable, Hashable {
        case message(Message)
        case editedMessage(Message)
        case callbackQuery(CallbackQuery)
        case preCheckoutQuery(PreCheckoutQuery)
        case poll(Poll)
        case pollAnswer(PollAnswer)
        case myChatMember(ChatMemberUpdated)
        case managedBot(ManagedBotUpdated)
        /// A kind Gongbu does not handle, or a malformed update (see `TelegramClient`).
        case unknown
    }

    public init(updateId: Int64, kind: Kind) {
        self.updateId = updateId
        self.kind = kind
    }

    /// The JSON key of the kind (`message`, `callback_query`, …), or `unknown`; for logs and metrics.
    public var kindName: String {
        switch kind {
        case .message: CodingKeys.message.rawValue
        case .editedMessage: CodingKeys.editedMessage.rawValue
        case .callbackQuery: CodingKeys.callbackQuery.rawValue
        case .preCheckoutQuery: CodingKeys.preCheckoutQuery.rawValue
        case .poll: CodingKeys.poll.rawValue
        case .pollAnswer: CodingKeys.pollAnswer.rawValue
        case .myChatMember: CodingKeys.myChatMember.rawValue
        case .managedBot: CodingKeys.managedBot.rawValue
        case .unknown: "unknown"
        }
    }

    /// The message of a `message` update.
    public var message: Message? {
        if case .message(let message) = kind { return message }
        return nil
    }

    /// The callback query of a `callback_query` update.
    public var callbackQuery: CallbackQuery? {
        if case .callbackQuery(let query) = kind { return query }
        return nil
    }

    /// The user who caused the update, when there is one.
    public var sender: User? {
        switch kind {
        case .message(let message), .editedMessage(let message): message.from
        case .callbackQuery(let query): query.from
        case .preCheckoutQuery(let query): query.from
        case .pollAnswer(let answer): answer.user
        case .myChatMember(let change): change.from
        case .managedBot(let change): change.user
        case .poll, .unknown: nil
        }
    }

    /// The chat the update belongs to, when there is one (a private chat's id equals the user's id).
    public var chatId: Int64? {
        switch kind {
        case .message(let message), .editedMessage(let message): message.chat.id
        case .callbackQuery(let query): query.message?.chat.id ?? query.from.id
        case .preCheckoutQuery(let query): query.from.id
        case .pollAnswer(let answer): answer.voterChat?.id ?? answer.user?.id
        case .myChatMember(let change): change.chat.id
        case .managedBot(let change): change.user.id
        case .poll, .unknown: nil
        }
    }

    /// The update kinds Gongbu handles, for `getUpdates(allowed_updates:)`.
    public static let handledKinds: [String] = [
        CodingKeys.message, .editedMessage, .callbackQuery, .preCheckoutQuery, .poll, .pollAnswer,
        .myChatMember, .managedBot,
    ].map(\.rawValue)

    enum CodingKeys: String, CodingKey {
        case updateId = "update_id"
        case message
        case editedMessage = "edited_message"
        case callbackQuery = "callback_query"
        case preCheckoutQuery = "pre_checkout_query"
        case poll
        case pollAnswer = "poll_answer"
        case myChatMember = "my_chat_member"
        case managedBot = "managed_bot"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        updateId = try container.decode(Int64.self, forKey: .updateId)
        if let value = try container.decodeIfPresent(Message.self, forKey: .message) {
            kind = .message(value)
        } else if let value = try container.decodeIfPresent(Message.self, forKey: .editedMessage) {
            kind = .editedMessage(value)
        } else if let value = try container.decodeIfPresent(CallbackQuery.self, forKey: .callbackQuery) {
            kind = .callbackQuery(value)
        } else if let value = try container.decodeIfPresent(PreCheckoutQuery.self, forKey: .preCheckoutQuery) {
            kind = .preCheckoutQuery(value)
        } else if let value = try container.decodeIfPresent(Poll.self, forKey: .poll) {
            kind = .poll(value)
        } else if let value = try container.decodeIfPresent(PollAnswer.self, forKey: .pollAnswer) {
            kind = .pollAnswer(value)
        } else if let value = try container.decodeIfPresent(ChatMemberUpdated.self, forKey: .myChatMember) {
            kind = .myChatMember(value)
        } else if let value = try container.decodeIfPresent(ManagedBotUpdated.self, forKey: .managedBot) {
            kind = .managedBot(value)
        } else {
            kind = .unknown
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(updateId, forKey: .updateId)
        switch kind {
        case .message(let value): try container.encode(value, forKey: .message)
        case .editedMessage(let value): try container.encode(value, forKey: .editedMessage)
        case .callbackQuery(let value): try container.encode(value, forKey: .callbackQuery)
        case .preCheckoutQuery(let value): try container.encode(value, forKey: .preCheckoutQuery)
        case .poll(let value): try container.encode(value, forKey: .poll)
        case .pollAnswer(let value): try container.encode(value, forKey: .pollAnswer)
        case .myChatMember(let value): try container.encode(value, forKey: .myChatMember)
        case .managedBot(let value): try container.encode(value, forKey: .managedBot)
        case .unknown: break
        }
    }
}
