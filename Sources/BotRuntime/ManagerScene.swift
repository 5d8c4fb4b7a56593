import Foundation
import Localization
import SceneEngine
import TelegramBotAPI

/// The manager bot as a pure scene, for what the review of assignments needs (contract §5, §8):
/// `/start` greets creators and admins (and marks them reachable for review notices), `/reviews`
/// lists the pending submissions this user may review, **Approve** takes an optional comment
/// (**Skip**), **Reject** asks for one. A verdict becomes `State.lastDecision`, which the handler
/// records in the platform database in the same transaction; the runtime then applies it to the
/// course. Authorization is checked on every press against the `ReviewPolicy`.
struct ManagerScene: Scene {
    struct State: Codable, Sendable, Equatable {
        /// Sent /start: review notices may be sent to this chat.
        var started = false
        /// The Telegram language of the user's last message (for notices sent later).
        var languageCode: String?
        /// The verdict whose comment the next text message is.
        var verdict: PendingVerdict?
        /// Counts verdicts taken in this chat (their key is `<user>-<count>`).
        var decisionCount = 0
        var lastDecision: Decision?
        /// `slug#id` of recently decided submissions, so a second press is refused at once.
        var decided: [String] = []
        /// Counts refunds asked for in this chat (their key is `<user>-f<count>`).
        var refundCount = 0
        var lastRefund: RefundAsk?
        /// Ledger ids of payments whose refund was asked for here (a second press is refused).
        var refundsAsked: [Int64] = []

        init() {}

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            started = try c.decodeIfPresent(Bool.self, forKey: .started) ?? false
            languageCode = try c.decodeIfPresent(String.self, forKey: .languageCode)
            verdict = try c.decodeIfPresent(PendingVerdict.self, forKey: .verdict)
            decisionCount = try c.decodeIfPresent(Int.self, forKey: .decisionCount) ?? 0
            lastDecision = try c.decodeIfPresent(Decision.self, forKey: .lastDecision)
            decided = try c.decodeIfPresent([String].self, forKey: .decided) ?? []
            refundCount = try c.decodeIfPresent(Int.self, forKey: .refundCount) ?? 0
            lastRefund = try c.decodeIfPresent(RefundAsk.self, forKey: .lastRefund)
            refundsAsked = try c.decodeIfPresent([Int64].self, forKey: .refundsAsked) ?? []
        }
    }

    /// A refund asked for with the button on a payment notice (the runtime carries it out).
    struct RefundAsk: Codable, Sendable, Equatable {
        var key: String
        var slug: String
        var paymentId: Int64
    }

    struct PendingVerdict: Codable, Sendable, Equatable {
        var slug: String
        var submissionId: Int64
        var approve: Bool
    }

    struct Decision: Codable, Sendable, Equatable {
        var key: String
        var slug: String
        var submissionId: Int64
        var approved: Bool
        var comment: String?
    }

    let policy: ReviewPolicy
    /// The review queue as last read from the course databases.
    let pending: [PendingReview]
    let catalog: LocaleCatalog

    func initialState(for event: ChatEvent) -> State { State() }

    func handle(_ event: ChatEvent, state: inout State, now: Double) -> [Effect] {
        if let code = event.user.languageCode { state.languageCode = code }
        let user = event.user.id
        switch event.kind {
        case .command("start", _):
            state.started = true
            return send(escaped(policy.isStaff(user) ? "manager.welcome" : "manager.not_staff", state))
        case .command("help", _):
            return send(escaped(policy.isStaff(user) ? "manager.help" : "manager.not_staff", state))
        case .command("reviews", _):
            state.started = true
            return reviews(for: user, state)
        case .callback(let queryId, let data, _):
            let (toast, alert, effects) = press(data, user: user, state: &state)
            return [.answerCallback(queryId: queryId, text: toast, alert: alert)] + effects
        case .text(let comment):
            guard let verdict = state.verdict else { return send(escaped("manager.help", state)) }
            return decide(verdict, comment: comment, user: user, state: &state)
        case .attachment:
            return state.verdict == nil ? send(escaped("manager.help", state)) : send(escaped("manager.comment_needed", state))
        case .preCheckout(let query):
            return [.answerPreCheckout(queryId: query.queryId, ok: false, errorMessage: text("error.not_available", state))]
        case .command, .successfulPayment, .pollAnswer, .reviewVerdict, .paymentRefunded, .subscriptionCheck, .managedBot:
            return []
        }
    }

    // MARK: Reviews

    func reviews(for user: Int64, _ state: State) -> [Effect] {
        guard policy.isStaff(user) else { return send(escaped("manager.not_staff", state)) }
        let mine = pending.filter { policy.mayReview(user, slug: $0.slug) }
        guard !mine.isEmpty else { return send(escaped("manager.no_reviews", state)) }
        let shown = mine.prefix(30)
        var lines = ["<b>\(escaped("manager.reviews_title", state, ["count": String(mine.count)]))</b>"]
        var buttons: [[Button]] = []
        for item in shown {
            let course = policy.courses[item.slug]
            lines.append(escaped("manager.review_line", state, [
                "id": String(item.submissionId), "course": course?.title ?? item.slug,
                "step": course?.stepTitles[item.stepId] ?? item.stepId, "student": item.studentName,
            ]))
            let hash = ReviewCallback.hash(of: item.slug)
            buttons.append([
                .callback(text("manager.approve_short", state, ["id": String(item.submissionId)]),
                          ReviewCallback.approve(courseHash: hash, submissionId: item.submissionId).encoded),
                .callback(text("manager.reject_short", state, ["id": String(item.submissionId)]),
                          ReviewCallback.reject(courseHash: hash, submissionId: item.submissionId).encoded),
            ])
        }
        return [.send(OutgoingMessage(text: lines.joined(separator: "\n"), buttons: buttons))]
    }

    /// The toast (and whether it is an alert) and the effects of a button press.
    func press(_ data: String, user: Int64, state: inout State) -> (String?, Bool, [Effect]) {
        guard let callback = ReviewCallback(decoding: data) else { return (text("manager.stale", state), false, []) }
        let (hash, id): (String, Int64) = switch callback {
        case .approve(let hash, let id), .reject(let hash, let id), .skip(let hash, let id), .refund(let hash, let id): (hash, id)
        }
        guard let slug = policy.slug(forHash: hash) else { return (text("manager.stale", state), false, []) }
        guard policy.mayReview(user, slug: slug) else { return (text("manager.not_yours", state), true, []) }
        if case .refund = callback {
            guard !state.refundsAsked.contains(id) else { return (text("manager.refund_already", state), false, []) }
            state.refundCount += 1
            state.lastRefund = RefundAsk(key: "\(user)-f\(state.refundCount)", slug: slug, paymentId: id)
            state.refundsAsked = Array((state.refundsAsked + [id]).suffix(200))
            return (nil, false, send(escaped("manager.refund_asked", state, ["id": String(id)])))
        }
        let key = "\(slug)#\(id)"
        guard !state.decided.contains(key), pending.contains(where: { $0.slug == slug && $0.submissionId == id }) else {
            return (text("manager.already_decided", state), false, [])
        }
        switch callback {
        case .approve:
            state.verdict = PendingVerdict(slug: slug, submissionId: id, approve: true)
            let skip = Button.callback(text("manager.skip", state), ReviewCallback.skip(courseHash: hash, submissionId: id).encoded)
            return (nil, false, [.send(OutgoingMessage(text: escaped("manager.approve_prompt", state, ["id": String(id)]), buttons: [[skip]]))])
        case .reject:
            state.verdict = PendingVerdict(slug: slug, submissionId: id, approve: false)
            return (nil, false, send(escaped("manager.reject_prompt", state, ["id": String(id)])))
        case .refund:
            return (text("manager.stale", state), false, [])
        case .skip:
            guard let verdict = state.verdict, verdict.slug == slug, verdict.submissionId == id, verdict.approve else {
                return (text("manager.stale", state), false, [])
            }
            return (nil, false, decide(verdict, comment: nil, user: user, state: &state))
        }
    }

    /// Takes the verdict: recorded as `lastDecision` (the runtime stores and applies it).
    func decide(_ verdict: PendingVerdict, comment: String?, user: Int64, state: inout State) -> [Effect] {
        state.verdict = nil
        guard policy.mayReview(user, slug: verdict.slug) else { return send(escaped("manager.not_yours", state)) }
        let key = "\(verdict.slug)#\(verdict.submissionId)"
        guard !state.decided.contains(key) else { return send(escaped("manager.already_decided", state)) }
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        state.decisionCount += 1
        state.lastDecision = Decision(
            key: "\(user)-\(state.decisionCount)", slug: verdict.slug, submissionId: verdict.submissionId,
            approved: verdict.approve, comment: trimmed?.isEmpty == false ? trimmed : nil)
        state.decided = Array((state.decided + [key]).suffix(200))
        return send(escaped(verdict.approve ? "manager.approved" : "manager.rejected", state, ["id": String(verdict.submissionId)]))
    }

    // MARK: Texts

    func locale(_ state: State) -> String {
        let primary = state.languageCode?.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? "en"
        return catalog.hasLocale(primary) ? primary : "en"
    }

    func text(_ key: String, _ state: State, _ arguments: [String: String] = [:]) -> String {
        catalog.text(key, locale: locale(state), arguments)
    }

    func escaped(_ key: String, _ state: State, _ arguments: [String: String] = [:]) -> String {
        TelegramHTML.escape(text(key, state, arguments))
    }

    func send(_ html: String) -> [Effect] {
        [.send(OutgoingMessage(text: html))]
    }
}
