import CourseModel
import SceneEngine

/// A student's course bot as a pure reducer: a Telegram event and the student's state in,
/// the new state and the messages to send out. No clock, disk or network: the runtime stores
/// `StudentState` per chat, so every button keeps working after a restart.
public struct CourseBotScene: Scene {
    public typealias State = StudentState

    public let course: Course
    /// Absolute path of the course folder; media `file:` paths resolve against it.
    public let courseDirectory: String
    public let published: Bool
    let rendering: CourseRendering
    let access: StepAccess
    let prepared: PreparedCourse
    /// How this bot sells; nil: it takes no payments (nothing priced can be bought).
    public let payments: CoursePayments?

    public init(
        course: Course, courseDirectory: String, rendering: CourseRendering, published: Bool = true,
        access: StepAccess = .priced, payments: CoursePayments? = nil
    ) {
        self.payments = payments
        self.course = course
        self.courseDirectory = courseDirectory
        self.published = published
        self.rendering = rendering
        self.access = access
        self.prepared = PreparedCourse(course: course, directory: courseDirectory, source: rendering)
    }

    public func initialState(for event: ChatEvent) -> StudentState {
        StudentState()
    }

    public func handle(_ event: ChatEvent, state: inout StudentState, now: Double) -> [Effect] {
        // A subscription that ended meanwhile closes its steps before the event is handled.
        let notices = Turn(scene: self, event: event, now: now)
            .subscriptionNotices(state: &state, remind: event.kind == .subscriptionCheck)
        let effects = respond(to: event, state: &state, now: now)
        guard !notices.isEmpty else { return effects }
        if case .answerCallback? = effects.first { return [effects[0]] + notices + effects.dropFirst() }
        return notices + effects
    }

    func respond(to event: ChatEvent, state: inout StudentState, now: Double) -> [Effect] {
        if case .callback(let queryId, let data, let messageId) = event.kind {
            let turn = Turn(scene: self, event: event, now: now)
            let (toast, effects) = published
                ? turn.callback(data: data, messageId: messageId, state: &state)
                : (turn.words(state).plain("course.coming_soon"), [])
            return [.answerCallback(queryId: queryId, text: toast, alert: false)] + effects
        }
        let turn = Turn(scene: self, event: event, now: now)
        switch event.kind {
        case .preCheckout(let query): return turn.preCheckout(query, state: state)
        case .successfulPayment(let payment): return turn.paymentReceived(payment, state: &state)
        case .paymentRefunded(let chargeId): return turn.refunded(chargeId, state: &state)
        case .subscriptionCheck: return []
        default: break
        }
        if case .reviewVerdict(let stepId, let approved, let comment) = event.kind {
            return turn.verdict(stepId: stepId, approved: approved, comment: comment, state: &state)
        }
        guard published else {
            switch event.kind {
            case .command, .text, .attachment: return turn.comingSoon(state)
            default: return []
            }
        }
        switch event.kind {
        case .command(let name, _): return turn.command(name, state: &state)
        case .text(let text): return turn.text(text, state: &state)
        case .attachment(let attachment): return turn.attachment(attachment, state: &state)
        case .pollAnswer(_, let optionIds): return turn.answerPoll(optionIds, state: &state)
        case .reviewVerdict(let stepId, let approved, let comment):
            return turn.verdict(stepId: stepId, approved: approved, comment: comment, state: &state)
        case .callback, .preCheckout, .successfulPayment, .paymentRefunded, .subscriptionCheck, .managedBot: return []
        }
    }

    /// The locale rule: the one chosen with /language, else the primary subtag of the user's
    /// Telegram language when the catalog has it, else the course language, else `en`.
    public func locale(for user: ChatUser, state: StudentState) -> String {
        let source = rendering
        if let chosen = state.locale, source.hasLocale(chosen) { return chosen }
        if let tag = user.languageCode {
            let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
            if !primary.isEmpty, source.hasLocale(primary) { return primary }
        }
        if source.hasLocale(course.language) { return course.language }
        return "en"
    }
}
