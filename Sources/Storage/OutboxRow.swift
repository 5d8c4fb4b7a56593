import Foundation
import GRDB

/// A Bot API call waiting to be sent: written in the same transaction as the state that caused
/// it, deleted only once Telegram accepted it, so a crash or a 429 loses and duplicates nothing.
public struct OutboxRow: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: Int64
    public var botId: Int64
    public var chatId: Int64
    /// Bot API method name, e.g. `sendMessage`.
    public var method: String
    /// JSON body of the call.
    public var payload: Data
    /// A local file to upload as field `mediaField` (multipart), unless a cached file_id exists.
    public var mediaPath: String?
    public var mediaField: String?
    /// Answers to callback and pre-checkout queries: sent at once, outside the per-chat queue.
    public var urgent: Bool
    public var notBefore: Double
    public var attempts: Int
    /// The broadcast this row belongs to (its outcome is then recorded), nil for other rows.
    public var broadcastId: Int64?

    enum CodingKeys: String, CodingKey {
        case id, method, payload, urgent, attempts
        case botId = "bot_id", chatId = "chat_id", mediaPath = "media_path", mediaField = "media_field"
        case notBefore = "not_before", broadcastId = "broadcast_id"
    }

    public init(id: Int64, botId: Int64, chatId: Int64, method: String, payload: Data, mediaPath: String? = nil, mediaField: String? = nil, urgent: Bool = false, notBefore: Double = 0, attempts: Int = 0, broadcastId: Int64? = nil) {
        self.id = id
        self.botId = botId
        self.chatId = chatId
        self.method = method
        self.payload = payload
        self.mediaPath = mediaPath
        self.mediaField = mediaField
        self.urgent = urgent
        self.notBefore = notBefore
        self.attempts = attempts
        self.broadcastId = broadcastId
    }
}

/// How the sender ended (or put off) one outbox row, written with many others in one
/// transaction once Telegram answered: the durable half of the sender's in-memory schedule.
public struct OutboxSettlement: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Telegram accepted the call: the row is deleted.
        case delivered
        /// The call can never succeed (400, a missing file): kept as failed for inspection.
        case failed(String)
        /// The user blocked the bot (403): kept as failed, the chat remembered as blocked.
        case blocked(String)
        /// To be tried again at this time (429, 5xx, network): `not_before` and `attempts` move on.
        case retry(notBefore: Double, error: String)
    }

    public var id: Int64
    public var chatId: Int64
    /// The broadcast of the row: its outcome is then recorded for the creator's counts.
    public var broadcastId: Int64?
    public var outcome: Outcome

    public init(id: Int64, chatId: Int64, broadcastId: Int64? = nil, outcome: Outcome) {
        self.id = id
        self.chatId = chatId
        self.broadcastId = broadcastId
        self.outcome = outcome
    }

    public init(_ row: OutboxRow, _ outcome: Outcome) {
        self.init(id: row.id, chatId: row.chatId, broadcastId: row.broadcastId, outcome: outcome)
    }
}

/// A new outbox row, before it has an id.
public struct NewOutboxRow: Sendable, Equatable {
    public var chatId: Int64
    public var method: String
    public var payload: Data
    public var mediaPath: String?
    public var mediaField: String?
    public var urgent: Bool
    public var updateId: Int64?

    public init(chatId: Int64, method: String, payload: Data, mediaPath: String? = nil, mediaField: String? = nil, urgent: Bool = false, updateId: Int64? = nil) {
        self.chatId = chatId
        self.method = method
        self.payload = payload
        self.mediaPath = mediaPath
        self.mediaField = mediaField
        self.urgent = urgent
        self.updateId = updateId
    }
}

/// One chat's new state after a batch.
public struct ChatStateRow: Sendable, Equatable {
    public var chatId: Int64
    public var userId: Int64
    public var state: Data

    public init(chatId: Int64, userId: Int64, state: Data) {
        self.chatId = chatId
        self.userId = userId
        self.state = state
    }
}

/// Everything one batch of updates changes, committed in one transaction.
public struct BatchCommit: Sendable {
    public var botId: Int64
    public var processedUpdateIds: [Int64]
    public var states: [ChatStateRow]
    public var outbox: [NewOutboxRow]
    /// Course progress rows (course databases only).
    public var progress: [ProgressRow]
    public var enrollments: [EnrollmentRow]
    /// Quiz statistics and submissions (course databases only).
    public var quizAnswers: [QuizAnswerRow] = []
    public var quizPasses: [QuizPassRow] = []
    public var submissions: [NewSubmissionRow] = []
    /// Review verdicts (the platform database only).
    public var reviewDecisions: [ReviewDecisionRow] = []
    /// Payments received and charge ids refunded (course databases only).
    public var payments: [CoursePaymentRow] = []
    public var paymentRefunds: [String] = []
    /// Refunds asked for in the manager bot (the platform database only).
    public var refundRequests: [RefundRequestRow] = []
    /// Durable jobs asked for by this batch (the platform database only).
    public var jobs: [NewJobRow] = []

    public init(botId: Int64, processedUpdateIds: [Int64] = [], states: [ChatStateRow] = [], outbox: [NewOutboxRow] = [], progress: [ProgressRow] = [], enrollments: [EnrollmentRow] = []) {
        self.botId = botId
        self.processedUpdateIds = processedUpdateIds
        self.states = states
        self.outbox = outbox
        self.progress = progress
        self.enrollments = enrollments
    }
}

/// A step a student finished.
public struct ProgressRow: Sendable, Equatable {
    public var userId: Int64
    public var stepId: String
    public var doneAt: Double
    /// Quiz score in percent, when the step is a quiz.
    public var score: Int?

    public init(userId: Int64, stepId: String, doneAt: Double, score: Int? = nil) {
        self.userId = userId
        self.stepId = stepId
        self.doneAt = doneAt
        self.score = score
    }
}

/// A student's enrollment in a course.
public struct EnrollmentRow: Sendable, Equatable {
    public var userId: Int64
    public var chatId: Int64
    public var locale: String?
    public var enrolledAt: Double
    public var completedAt: Double?

    public init(userId: Int64, chatId: Int64, locale: String?, enrolledAt: Double, completedAt: Double? = nil) {
        self.userId = userId
        self.chatId = chatId
        self.locale = locale
        self.enrolledAt = enrolledAt
        self.completedAt = completedAt
    }
}
