/// A poll or quiz (`Poll`). Fields added in Bot API 9–10 are optional here so older servers still decode.
public struct Poll: Codable, Sendable, Hashable {
    public var id: String
    public var question: String
    public var options: [PollOption]
    public var totalVoterCount: Int
    public var isClosed: Bool
    public var isAnonymous: Bool
    /// `regular` or `quiz`.
    public var type: String
    public var allowsMultipleAnswers: Bool
    public var allowsRevoting: Bool?
    public var membersOnly: Bool?
    public var correctOptionIds: [Int]?
    public var explanation: String?
    public var openPeriod: Int?
    public var closeDate: Int?

    public init(
        id: String, question: String, options: [PollOption], totalVoterCount: Int = 0, isClosed: Bool = false,
        isAnonymous: Bool = false, type: String = "quiz", allowsMultipleAnswers: Bool = false,
        allowsRevoting: Bool? = nil, membersOnly: Bool? = nil, correctOptionIds: [Int]? = nil,
        explanation: String? = nil, openPeriod: Int? = nil, closeDate: Int? = nil
    ) {
        self.id = id
        self.question = question
        self.options = options
        self.totalVoterCount = totalVoterCount
        self.isClosed = isClosed
        self.isAnonymous = isAnonymous
        self.type = type
        self.allowsMultipleAnswers = allowsMultipleAnswers
        self.allowsRevoting = allowsRevoting
        self.membersOnly = membersOnly
        self.correctOptionIds = correctOptionIds
        self.explanation = explanation
        self.openPeriod = openPeriod
        self.closeDate = closeDate
    }

    enum CodingKeys: String, CodingKey {
        case id, question, options, type, explanation
        case totalVoterCount = "total_voter_count"
        case isClosed = "is_closed"
        case isAnonymous = "is_anonymous"
        case allowsMultipleAnswers = "allows_multiple_answers"
        case allowsRevoting = "allows_revoting"
        case membersOnly = "members_only"
        case correctOptionIds = "correct_option_ids"
        case openPeriod = "open_period"
        case closeDate = "close_date"
    }
}

/// One option of a poll with its vote count (`PollOption`).
public struct PollOption: Codable, Sendable, Hashable {
    public var persistentId: String?
    public var text: String
    public var voterCount: Int

    public init(persistentId: String? = nil, text: String, voterCount: Int = 0) {
        self.persistentId = persistentId
        self.text = text
        self.voterCount = voterCount
    }

    enum CodingKeys: String, CodingKey {
        case text
        case persistentId = "persistent_id"
        case voterCount = "voter_count"
    }
}

/// A user's answer in a non-anonymous poll (`PollAnswer`).
public struct PollAnswer: Codable, Sendable, Hashable {
    public var pollId: String
    public var voterChat: Chat?
    public var user: User?
    public var optionIds: [Int]
    public var optionPersistentIds: [String]?

    public init(
        pollId: String, voterChat: Chat? = nil, user: User? = nil, optionIds: [Int],
        optionPersistentIds: [String]? = nil
    ) {
        self.pollId = pollId
        self.voterChat = voterChat
        self.user = user
        self.optionIds = optionIds
        self.optionPersistentIds = optionPersistentIds
    }

    enum CodingKeys: String, CodingKey {
        case user
        case pollId = "poll_id"
        case voterChat = "voter_chat"
        case optionIds = "option_ids"
        case optionPersistentIds = "option_persistent_ids"
    }
}

/// An option to send in `sendPoll` (`InputPollOption`).
public struct InputPollOption: Codable, Sendable, Hashable {
    public var text: String
    public var textParseMode: String?

    public init(text: String, textParseMode: String? = nil) {
        self.text = text
        self.textParseMode = textParseMode
    }

    enum CodingKeys: String, CodingKey {
        case text
        case textParseMode = "text_parse_mode"
    }
}
