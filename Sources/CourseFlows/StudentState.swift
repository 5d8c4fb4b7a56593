import CourseModel

/// Everything a course bot remembers about one student, so any button on any old message
/// keeps working after a restart: the runtime stores it per chat and hands it back.
public struct StudentState: Codable, Equatable, Sendable {
    public var progress: Progress
    /// The step the student last opened.
    public var currentStepId: String?
    /// The locale chosen with /language; nil follows Telegram's language_code.
    public var locale: String?
    public var enrolled: Bool
    public var startedAt: Double?
    /// When the completion message was sent (it is sent once).
    public var completedAt: Double?
    /// The quiz pass under way, if any.
    public var quizPass: QuizPass?
    /// Finished passes per quiz step id.
    public var quizResults: [String: QuizRecord]
    /// The assignment step whose submission the next message is.
    public var awaitingAssignment: String?
    /// Submissions waiting for a creator's review, by step id.
    public var pendingSubmissions: [String: Submission]
    /// Counts the passes started, so buttons of an abandoned pass are told apart.
    public var passCounter: Int
    /// Payments received from this student, by `telegram_payment_charge_id` (each credited once).
    public var purchases: [String: Purchase]
    /// Counts invoices sent (the nonce of the next one).
    public var invoiceCounter: Int
    /// Subscription notices already given for the current access end (`<end>:3`, `<end>:1`,
    /// `<end>:end`), so each reminder goes out once whatever is redelivered.
    public var subscriptionNotices: Set<String>

    public init(
        progress: Progress = Progress(), currentStepId: String? = nil, locale: String? = nil,
        enrolled: Bool = false, startedAt: Double? = nil, completedAt: Double? = nil,
        quizPass: QuizPass? = nil, quizResults: [String: QuizRecord] = [:], awaitingAssignment: String? = nil,
        pendingSubmissions: [String: Submission] = [:], passCounter: Int = 0, purchases: [String: Purchase] = [:],
        invoiceCounter: Int = 0, subscriptionNotices: Set<String> = []
    ) {
        self.subscriptionNotices = subscriptionNotices
        self.purchases = purchases
        self.invoiceCounter = invoiceCounter
        self.progress = progress
        self.currentStepId = currentStepId
        self.locale = locale
        self.enrolled = enrolled
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.quizPass = quizPass
        self.quizResults = quizResults
        self.awaitingAssignment = awaitingAssignment
        self.pendingSubmissions = pendingSubmissions
        self.passCounter = passCounter
    }
}

extension StudentState {
    enum CodingKeys: String, CodingKey {
        case progress, currentStepId, locale, enrolled, startedAt, completedAt, quizPass, quizResults
        case awaitingAssignment, pendingSubmissions, passCounter, purchases, invoiceCounter, subscriptionNotices
    }

    /// Decodes states stored by earlier versions too (fields added later take their defaults).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            progress: try c.decodeIfPresent(Progress.self, forKey: .progress) ?? Progress(),
            currentStepId: try c.decodeIfPresent(String.self, forKey: .currentStepId),
            locale: try c.decodeIfPresent(String.self, forKey: .locale),
            enrolled: try c.decodeIfPresent(Bool.self, forKey: .enrolled) ?? false,
            startedAt: try c.decodeIfPresent(Double.self, forKey: .startedAt),
            completedAt: try c.decodeIfPresent(Double.self, forKey: .completedAt),
            quizPass: try c.decodeIfPresent(QuizPass.self, forKey: .quizPass),
            quizResults: try c.decodeIfPresent([String: QuizRecord].self, forKey: .quizResults) ?? [:],
            awaitingAssignment: try c.decodeIfPresent(String.self, forKey: .awaitingAssignment),
            pendingSubmissions: try c.decodeIfPresent([String: Submission].self, forKey: .pendingSubmissions) ?? [:],
            passCounter: try c.decodeIfPresent(Int.self, forKey: .passCounter) ?? 0,
            purchases: try c.decodeIfPresent([String: Purchase].self, forKey: .purchases) ?? [:],
            invoiceCounter: try c.decodeIfPresent(Int.self, forKey: .invoiceCounter) ?? 0,
            subscriptionNotices: try c.decodeIfPresent(Set<String>.self, forKey: .subscriptionNotices) ?? [])
    }

    /// Ownership as the purchases not refunded give it (`progress.ownsCourse`, `boughtSteps`).
    mutating func recomputeOwnership(now: Double) {
        let live = purchases.values.filter { purchase in
            !purchase.refunded && (purchase.expiresAt.map { $0 > now } ?? true)
        }
        let items = live.compactMap { PurchaseItem(code: $0.item) }
        progress.ownsCourse = items.contains { $0 == .course || $0 == .all || $0 == .plan }
        progress.boughtSteps = Set(items.compactMap(\.stepId))
    }
}

/// One payment received in the course bot (the course database and the platform ledger keep it too).
public struct Purchase: Codable, Equatable, Sendable {
    /// `PurchaseItem.code`, or `unknown` when the payload did not verify (the money is still recorded).
    public var item: String
    public var amount: Int
    public var currency: String
    public var providerChargeId: String?
    public var paidAt: Double
    /// Subscription access end (Unix time), from `subscription_expiration_date`.
    public var expiresAt: Double?
    public var refunded: Bool

    public init(item: String, amount: Int, currency: String, providerChargeId: String?, paidAt: Double, expiresAt: Double? = nil, refunded: Bool = false) {
        self.item = item
        self.amount = amount
        self.currency = currency
        self.providerChargeId = providerChargeId
        self.paidAt = paidAt
        self.expiresAt = expiresAt
        self.refunded = refunded
    }
}

/// One pass through a quiz: every question asked once, in order.
public struct QuizPass: Codable, Equatable, Sendable {
    public var stepId: String
    /// A number unique to this pass for this student (it goes on the answer buttons).
    public var number: Int
    /// The question being asked (0-based).
    public var question: Int
    /// Whether each answered question was right, in order.
    public var answers: [Bool]
    /// Options ticked so far on the current multiple-choice question.
    public var selected: [Int]

    public init(stepId: String, number: Int, question: Int = 0, answers: [Bool] = [], selected: [Int] = []) {
        self.stepId = stepId
        self.number = number
        self.question = question
        self.answers = answers
        self.selected = selected
    }

    public var correctCount: Int { answers.count { $0 } }
}

/// The finished passes of one quiz.
public struct QuizRecord: Codable, Equatable, Sendable {
    /// Right answers per finished pass, oldest first.
    public var scores: [Int]
    public var questionCount: Int
    public var passed: Bool

    public init(scores: [Int] = [], questionCount: Int = 0, passed: Bool = false) {
        self.scores = scores
        self.questionCount = questionCount
        self.passed = passed
    }

    public var passesUsed: Int { scores.count }
    public var bestScore: Int? { scores.max() }
}

/// An assignment submission awaiting review (files are stored by the runtime, by file id).
public struct Submission: Codable, Equatable, Sendable {
    public var kind: Assignment.Kind
    public var text: String?
    public var fileId: String?
    public var fileName: String?
    public var submittedAt: Double

    public init(kind: Assignment.Kind, text: String? = nil, fileId: String? = nil, fileName: String? = nil, submittedAt: Double) {
        self.kind = kind
        self.text = text
        self.fileId = fileId
        self.fileName = fileName
        self.submittedAt = submittedAt
    }
}
