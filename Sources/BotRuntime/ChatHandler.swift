import Foundation
import SceneEngine
import Storage

/// What a bot does with one chat's events of a batch: the bridge between the pure scene and the
/// worker, with the state stored as bytes so the worker stays generic.
public protocol ChatHandler: Sendable {
    /// Handles a chat's events in order, starting from its stored state (nil: new chat).
    func handle(_ events: [ChatEvent], stored: Data?, now: Double) -> ChatOutcome
}

/// Rows derived from what a scene decided (course progress, quiz answers, submissions, review
/// verdicts), written in the same transaction as the chat's new state.
public struct ChatRecords: Sendable {
    public var progress: [ProgressRow] = []
    public var enrollments: [EnrollmentRow] = []
    public var quizAnswers: [QuizAnswerRow] = []
    public var quizPasses: [QuizPassRow] = []
    public var submissions: [NewSubmissionRow] = []
    public var reviewDecisions: [ReviewDecisionRow] = []
    public var payments: [CoursePaymentRow] = []
    public var paymentRefunds: [String] = []
    public var refundRequests: [RefundRequestRow] = []
    /// Durable jobs (the platform database only: the manager desk's events).
    public var jobs: [NewJobRow] = []

    public init(progress: [ProgressRow] = [], enrollments: [EnrollmentRow] = []) {
        self.progress = progress
        self.enrollments = enrollments
    }

    mutating func append(_ other: ChatRecords) {
        progress += other.progress
        enrollments += other.enrollments
        quizAnswers += other.quizAnswers
        quizPasses += other.quizPasses
        submissions += other.submissions
        reviewDecisions += other.reviewDecisions
        payments += other.payments
        paymentRefunds += other.paymentRefunds
        refundRequests += other.refundRequests
        jobs += other.jobs
    }

    /// Adds these rows to a batch.
    func add(to batch: inout BatchCommit) {
        batch.progress += progress
        batch.enrollments += enrollments
        batch.quizAnswers += quizAnswers
        batch.quizPasses += quizPasses
        batch.submissions += submissions
        batch.reviewDecisions += reviewDecisions
        batch.payments += payments
        batch.paymentRefunds += paymentRefunds
        batch.refundRequests += refundRequests
        batch.jobs += jobs
    }
}

/// The result of handling one chat's events.
public struct ChatOutcome: Sendable {
    /// The new state (nil: unchanged, nothing to write).
    public var state: Data?
    /// Effects with the update that caused each.
    public var effects: [(effect: Effect, updateId: Int64)]
    public var records: ChatRecords

    public var progress: [ProgressRow] { records.progress }
    public var enrollments: [EnrollmentRow] { records.enrollments }

    public init(state: Data?, effects: [(effect: Effect, updateId: Int64)], records: ChatRecords = ChatRecords()) {
        self.state = state
        self.effects = effects
        self.records = records
    }
}

/// Runs any `Scene` as a `ChatHandler`, its state kept as JSON.
public struct SceneChatHandler<S: Scene>: ChatHandler {
    public let scene: S
    /// Extra rows to record when the state changes (course progress…), given the event, the
    /// state before and after it, and the time.
    let records: @Sendable (ChatEvent, S.State?, S.State, Double) -> ChatRecords

    public init(scene: S, records: @escaping @Sendable (ChatEvent, S.State?, S.State, Double) -> ChatRecords = { _, _, _, _ in ChatRecords() }) {
        self.scene = scene
        self.records = records
    }

    public func handle(_ events: [ChatEvent], stored: Data?, now: Double) -> ChatOutcome {
        guard let first = events.first else { return ChatOutcome(state: nil, effects: []) }
        let decoder = JSONDecoder()
        let previous = stored.flatMap { try? decoder.decode(S.State.self, from: $0) }
        var state = previous ?? scene.initialState(for: first)
        var effects: [(effect: Effect, updateId: Int64)] = []
        var records = ChatRecords()
        var before: S.State? = previous
        for event in events {
            for effect in scene.handle(event, state: &state, now: now) {
                effects.append((effect, event.updateId))
            }
            records.append(self.records(event, before, state, now))
            before = state
        }
        if let previous, previous == state {
            return ChatOutcome(state: nil, effects: effects, records: records)
        }
        let data = try? JSONEncoder().encode(state)
        return ChatOutcome(state: data, effects: effects, records: records)
    }
}
