/// `sendPoll`: a native quiz (`type: quiz` with `correct_option_ids`) or a regular poll.
public struct SendPoll: BotMethod, Codable, Hashable {
    public typealias Response = Message
    public static let name = "sendPoll"
    public var chatId: ChatID
    public var question: String
    public var options: [InputPollOption]
    public var isAnonymous: Bool?
    /// `quiz` or `regular`.
    public var type: String?
    public var allowsMultipleAnswers: Bool?
    public var correctOptionIds: [Int]?
    public var explanation: String?
    public var explanationParseMode: ParseMode?
    public var openPeriod: Int?
    public var isClosed: Bool?
    public var protectContent: Bool?
    public var replyMarkup: ReplyMarkup?

    public init(
        chatId: ChatID, question: String, options: [InputPollOption], isAnonymous: Bool? = nil,
        type: String? = nil, allowsMultipleAnswers: Bool? = nil, correctOptionIds: [Int]? = nil,
        explanation: String? = nil, explanationParseMode: ParseMode? = nil, openPeriod: Int? = nil,
        isClosed: Bool? = nil, protectContent: Bool? = nil, replyMarkup: ReplyMarkup? = nil
    ) {
        self.chatId = chatId
        self.question = question
        self.options = options
        self.isAnonymous = isAnonymous
        self.type = type
        self.allowsMultipleAnswers = allowsMultipleAnswers
        self.correctOptionIds = correctOptionIds
        self.explanation = explanation
        self.explanationParseMode = explanationParseMode
        self.openPeriod = openPeriod
        self.isClosed = isClosed
        self.protectContent = protectContent
        self.replyMarkup = replyMarkup
    }

    /// A non-anonymous quiz with one or more correct options.
    public static func quiz(
        chatId: ChatID, question: String, options: [String], correct: [Int], explanation: String? = nil
    ) -> SendPoll {
        SendPoll(
            chatId: chatId, question: question, options: options.map { InputPollOption(text: $0) },
            isAnonymous: false, type: "quiz", allowsMultipleAnswers: correct.count > 1 ? true : nil,
            correctOptionIds: correct, explanation: explanation)
    }

    enum CodingKeys: String, CodingKey {
        case question, options, type, explanation
        case chatId = "chat_id"
        case isAnonymous = "is_anonymous"
        case allowsMultipleAnswers = "allows_multiple_answers"
        case correctOptionIds = "correct_option_ids"
        case explanationParseMode = "explanation_parse_mode"
        case openPeriod = "open_period"
        case isClosed = "is_closed"
        case protectContent = "protect_content"
        case replyMarkup = "reply_markup"
    }
}

/// `stopPoll`: closes a poll and returns its final state.
public struct StopPoll: BotMethod, Codable, Hashable {
    public typealias Response = Poll
    public static let name = "stopPoll"
    public var chatId: ChatID
    public var messageId: Int
    public var replyMarkup: InlineKeyboardMarkup?

    public init(chatId: ChatID, messageId: Int, replyMarkup: InlineKeyboardMarkup? = nil) {
        self.chatId = chatId
        self.messageId = messageId
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case chatId = "chat_id"
        case messageId = "message_id"
        case replyMarkup = "reply_markup"
    }
}
