/// One answer to one quiz question in one pass, for statistics (a pass asks each question once).
public struct QuizAnswerRow: Sendable, Equatable {
    public var userId: Int64
    public var stepId: String
    /// The student's pass of this quiz, from 1.
    public var pass: Int
    /// The question's position in the quiz, from 0.
    public var question: Int
    public var correct: Bool
    public var answeredAt: Double

    public init(userId: Int64, stepId: String, pass: Int, question: Int, correct: Bool, answeredAt: Double) {
        self.userId = userId
        self.stepId = stepId
        self.pass = pass
        self.question = question
        self.correct = correct
        self.answeredAt = answeredAt
    }
}

/// One finished pass of a quiz: the number of right answers and whether it reached the pass score.
public struct QuizPassRow: Sendable, Equatable {
    public var userId: Int64
    public var stepId: String
    public var pass: Int
    /// Right answers in this pass.
    public var score: Int
    public var questions: Int
    public var passed: Bool
    public var finishedAt: Double

    public init(userId: Int64, stepId: String, pass: Int, score: Int, questions: Int, passed: Bool, finishedAt: Double) {
        self.userId = userId
        self.stepId = stepId
        self.pass = pass
        self.score = score
        self.questions = questions
        self.passed = passed
        self.finishedAt = finishedAt
    }
}

/// A submission a student just made to an assignment, before it has an id.
public struct NewSubmissionRow: Sendable, Equatable {
    public var userId: Int64
    public var chatId: Int64
    /// How the reviewer sees the student (first name, @username).
    public var userName: String
    public var stepId: String
    /// `text`, `photo`, `document`, `voice` or `video`.
    public var kind: String
    public var text: String?
    /// The course bot's file_id (downloaded later into the course's files folder).
    public var fileId: String?
    public var fileName: String?
    public var fileSize: Int?
    /// `review: auto`: stored as approved at once.
    public var autoApproved: Bool
    public var createdAt: Double

    public init(
        userId: Int64, chatId: Int64, userName: String, stepId: String, kind: String, text: String?, fileId: String?,
        fileName: String?, fileSize: Int?, autoApproved: Bool, createdAt: Double
    ) {
        self.userId = userId
        self.chatId = chatId
        self.userName = userName
        self.stepId = stepId
        self.kind = kind
        self.text = text
        self.fileId = fileId
        self.fileName = fileName
        self.fileSize = fileSize
        self.autoApproved = autoApproved
        self.createdAt = createdAt
    }
}

/// A reviewer's verdict taken by the manager bot, kept in the platform database until the
/// runtime has applied it to the course database (idempotent by `key`).
public struct ReviewDecisionRow: Sendable, Equatable {
    /// Unique per decision (reviewer and their decision counter), so a replay inserts nothing.
    public var key: String
    public var reviewerId: Int64
    public var courseSlug: String
    public var submissionId: Int64
    public var approved: Bool
    public var comment: String?
    public var decidedAt: Double

    public init(key: String, reviewerId: Int64, courseSlug: String, submissionId: Int64, approved: Bool, comment: String?, decidedAt: Double) {
        self.key = key
        self.reviewerId = reviewerId
        self.courseSlug = courseSlug
        self.submissionId = submissionId
        self.approved = approved
        self.comment = comment
        self.decidedAt = decidedAt
    }
}
