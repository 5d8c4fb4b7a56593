import CourseFlows
import Foundation
import Localization
import Logging
import SceneEngine
import Storage
import TelegramBotAPI

/// The review relay, a background job of the process (not of the manager bot's worker, so a
/// refused manager token leaves submissions queued for review, not lost), durable at every step:
/// - keeps each course's pending submissions (the snapshot `/reviews` lists and presses check);
/// - sends every new submission to its reviewers who have sent the manager bot /start, through
///   the manager's outbox (files re-uploaded from disk: file_ids belong to one bot), once per
///   reviewer (`review_notices`), and marks it notified when all were sent it;
/// - applies each verdict stored by the manager scene to its course database in one
///   transaction with the student's scene (`.reviewVerdict`), then marks the verdict applied.
///
/// Nothing polls: at start every course is read once (a closed, quiet database is not opened);
/// after that the relay sleeps on `news` and reads only the courses named there, plus the
/// platform database when the manager bot committed something.
struct ReviewService: Sendable {
    let platform: PlatformStore
    let managerBotId: Int64
    /// Every course served now (courses built in the manager bot join while running).
    let courses: ServedCourses
    let snapshot: ReviewQueueSnapshot
    let news: CourseNews
    /// The manager bot's outbox bell (its sender, when it runs, looks at once).
    let managerBell: Signal
    let catalog: LocaleCatalog
    let logger: Logger
    /// The wait before trying again after a failure.
    let interval: Double
    let now: @Sendable () -> Double

    func run(stop: Signal) async {
        var dirty = Set(courses.all.map(\.slug))
        var manager = true
        // Courses with a submission some reviewer has not been sent (one may /start later).
        var unnotified = Set<String>()
        var pending: [String: [PendingReview]] = [:]
        while !stop.isRung {
            let posted = news.take()
            dirty.formUnion(posted.slugs)
            manager = manager || posted.manager
            do {
                if manager { dirty.formUnion(unnotified) }
                // The snapshot is taken after the notices are queued and before they go out, so a
                // reviewer never gets a notice that /reviews does not list yet.
                let notified = try await notifyReviewers(slugs: dirty, unnotified: &unnotified)
                try await refresh(dirty, into: &pending)
                if notified { managerBell.ring() }
                dirty = []
                if manager {
                    let (queued, decided) = try await applyDecisions()
                    try await refresh(decided, into: &pending)
                    if queued { managerBell.ring() }
                    manager = false
                }
            } catch {
                logger.warning("review relay failed; trying again", metadata: ["error": "\(error)"])
                await news.bell.wait(upTo: interval, orUntil: stop)
                continue
            }
            await news.bell.wait(orUntil: stop)
        }
    }

    /// Reads the pending submissions of these courses again and publishes the snapshot.
    func refresh(_ slugs: Set<String>, into pending: inout [String: [PendingReview]]) async throws {
        guard !slugs.isEmpty else { return }
        for slug in slugs {
            guard let entry = courses[slug] else {
                pending[slug] = nil
                continue
            }
            pending[slug] = try await entry.store.pendingSubmissions().map {
                PendingReview(slug: slug, submissionId: $0.id, stepId: $0.stepId, studentName: $0.userName)
            }
        }
        snapshot.replace(pending.sorted { $0.key < $1.key }.flatMap(\.value))
    }

    /// Queues notices for new submissions; true when something was queued.
    func notifyReviewers(slugs: Set<String>, unnotified: inout Set<String>) async throws -> Bool {
        var queued = false
        guard !slugs.isEmpty else { return false }
        let policy = courses.policy
        for slug in slugs.sorted() {
            guard let entry = courses[slug] else {
                unnotified.remove(slug)
                continue
            }
            let submissions = try await entry.store.submissionsToNotify()
            // Kept until every reviewer was sent each one (the rest may /start the manager bot later).
            if submissions.isEmpty { unnotified.remove(slug) } else { unnotified.insert(slug) }
            let reviewers = policy.reviewers(of: slug)
            guard !reviewers.isEmpty, !submissions.isEmpty else { continue }
            let states = try await platform.chats.states(botId: managerBotId, chatIds: reviewers)
            let reachable = states.compactMapValues { try? JSONDecoder().decode(ManagerScene.State.self, from: $0) }.filter(\.value.started)
            var allSent = true
            for submission in submissions {
                var notified = try await platform.notifiedReviewers(courseSlug: slug, submissionId: submission.id)
                for reviewer in reviewers.sorted() where !notified.contains(reviewer) {
                    guard let state = reachable[reviewer] else { continue }
                    let rows = notice(submission, course: policy.courses[slug], slug: slug, chatId: reviewer, locale: locale(state))
                    if try await platform.queueReviewNotice(
                        courseSlug: slug, submissionId: submission.id, reviewerId: reviewer, botId: managerBotId, outbox: rows, now: now())
                    {
                        queued = true
                    }
                    notified.insert(reviewer)
                }
                if reviewers.isSubset(of: notified) {
                    try await entry.store.markNotified(submissionId: submission.id, now: now())
                } else {
                    allSent = false
                }
            }
            if allSent { unnotified.remove(slug) }
        }
        return queued
    }

    func locale(_ state: ManagerScene.State) -> String {
        let primary = state.languageCode?.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? "en"
        return catalog.hasLocale(primary) ? primary : "en"
    }

    /// The manager bot's messages showing one submission: its details (and text) with Approve /
    /// Reject, or for a file, the details and then the file re-uploaded with the buttons.
    func notice(_ submission: SubmissionRecord, course: ReviewPolicy.CourseInfo?, slug: String, chatId: Int64, locale: String) -> [NewOutboxRow] {
        func text(_ key: String, _ arguments: [String: String] = [:]) -> String {
            TelegramHTML.escape(catalog.text(key, locale: locale, arguments))
        }
        var lines = [
            "<b>\(text("manager.new_submission", ["id": String(submission.id), "course": course?.title ?? slug]))</b>",
            text("manager.step", ["step": course?.stepTitles[submission.stepId] ?? submission.stepId]),
            text("manager.student", ["student": submission.userName.isEmpty ? String(submission.userId) : submission.userName]),
        ]
        if let body = submission.text, !body.isEmpty {
            lines.append("")
            lines.append(TelegramHTML.escape(String(body.prefix(3000))))
        }
        let hash = ReviewCallback.hash(of: slug)
        let buttons: [[Button]] = [[
            .callback(catalog.text("manager.approve", locale: locale), ReviewCallback.approve(courseHash: hash, submissionId: submission.id).encoded),
            .callback(catalog.text("manager.reject", locale: locale), ReviewCallback.reject(courseHash: hash, submissionId: submission.id).encoded),
        ]]
        let kind: Media.Kind? = switch submission.kind {
        case "photo": .photo
        case "video": .video
        case "voice": .voice
        case "document": .document
        default: nil
        }
        guard submission.fileId != nil else {
            return EffectRenderer.rows(for: .send(OutgoingMessage(text: lines.joined(separator: "\n"), buttons: buttons)), chatId: chatId, updateId: nil)
        }
        guard let path = submission.localPath, let kind, FileManager.default.fileExists(atPath: path) else {
            lines.append(text("manager.file_missing"))
            return EffectRenderer.rows(for: .send(OutgoingMessage(text: lines.joined(separator: "\n"), buttons: buttons)), chatId: chatId, updateId: nil)
        }
        let media = OutgoingMessage(text: "#\(submission.id)", buttons: buttons, media: Media(kind: kind, source: .localFile(path)))
        return EffectRenderer.rows(for: .send(OutgoingMessage(text: lines.joined(separator: "\n"))), chatId: chatId, updateId: nil)
            + EffectRenderer.rows(for: .send(media), chatId: chatId, updateId: nil)
    }

    /// Applies stored verdicts: whether a message to a reviewer was queued, and the courses whose
    /// pending submissions changed.
    func applyDecisions() async throws -> (queued: Bool, courses: Set<String>) {
        var queued = false
        var decided = Set<String>()
        let policy = courses.policy
        for stored in try await platform.unappliedDecisions() {
            let decision = stored.decision
            var outbox: [NewOutboxRow] = []
            let outcome: String
            if let entry = courses[decision.courseSlug], policy.mayReview(decision.reviewerId, slug: decision.courseSlug) {
                guard let result = try await apply(decision, to: entry) else {
                    logger.debug("no bot runs the course; the verdict waits", metadata: ["course": "\(decision.courseSlug)"])
                    continue
                }
                outcome = result.rawValue
                decided.insert(decision.courseSlug)
                if result == .applied {
                    entry.bell.ring()
                } else {
                    let state = try await platform.chats.states(botId: managerBotId, chatIds: [decision.reviewerId])[decision.reviewerId]
                        .flatMap { try? JSONDecoder().decode(ManagerScene.State.self, from: $0) }
                    let text = TelegramHTML.escape(catalog.text("manager.already_decided", locale: state.map(locale) ?? "en"))
                    outbox = EffectRenderer.rows(for: .send(OutgoingMessage(text: "#\(decision.submissionId): \(text)")), chatId: decision.reviewerId, updateId: nil)
                    queued = true
                }
            } else {
                outcome = "refused"
            }
            try await platform.markApplied(decisionId: stored.id, outcome: outcome, botId: managerBotId, outbox: outbox, now: now())
            // The audit log has every verdict (the comment stays out of it: it is the student's business).
            try await platform.audit(
                actorId: decision.reviewerId, action: outcome == "refused" ? "denied" : (decision.approved ? "review.approve" : "review.reject"),
                subject: decision.courseSlug, details: "submission #\(decision.submissionId) \(outcome)", now: now())
            logger.info("review verdict applied", metadata: [
                "course": "\(decision.courseSlug)", "submission": "\(decision.submissionId)", "approved": "\(decision.approved)", "outcome": "\(outcome)",
            ])
        }
        return (queued, decided)
    }

    /// The verdict in the course database: the submission row and the student's scene (as the
    /// course's bot that talks with them holds it, the live scene of a course built in the manager
    /// bot), one transaction. Nil when no bot runs the course.
    func apply(_ decision: ReviewDecisionRow, to entry: ServedCourse) async throws -> VerdictOutcome? {
        let submission = try await entry.store.submission(id: decision.submissionId)
        var languageCode: String?
        if let submission { languageCode = try await entry.store.studentLocale(userId: submission.userId) }
        let studentLanguage = languageCode
        let bots = courses.bots(serving: entry)
        guard let first = bots.first else { return nil }
        var chosen = first.botId
        if let submission, let bot = try await courses.bot(for: submission.chatId, in: entry) { chosen = bot.botId }
        let botId = chosen
        let handler = entry.handler(published: true)
        let time = now()
        return try await entry.lock.withLock {
            try await entry.store.applyVerdict(
                submissionId: decision.submissionId, approved: decision.approved, comment: decision.comment,
                reviewerId: decision.reviewerId, botId: botId, now: time
            ) { submission, stored in
                let event = ChatEvent(
                    updateId: 0, chatId: submission.chatId,
                    user: ChatUser(id: submission.userId, languageCode: studentLanguage),
                    kind: .reviewVerdict(stepId: submission.stepId, approved: decision.approved, comment: decision.comment))
                let outcome = handler.handle([event], stored: stored, now: time)
                var batch = BatchCommit(botId: botId)
                if let state = outcome.state {
                    batch.states.append(ChatStateRow(chatId: submission.chatId, userId: submission.userId, state: state))
                }
                for (effect, _) in outcome.effects {
                    batch.outbox += EffectRenderer.rows(for: effect, chatId: submission.chatId, updateId: nil)
                }
                outcome.records.add(to: &batch)
                return batch
            }
        }
    }
}

/// The manager bot's handler: the pure `ManagerScene` given the review queue as last read, and
/// each verdict it takes recorded as a `review_decisions` row in the same transaction.
struct ManagerChatHandler: ChatHandler {
    /// Read for each batch: courses created while running are reviewed at once.
    let policy: @Sendable () -> ReviewPolicy
    let snapshot: ReviewQueueSnapshot
    let catalog: LocaleCatalog

    func handle(_ events: [ChatEvent], stored: Data?, now: Double) -> ChatOutcome {
        let scene = ManagerScene(policy: policy(), pending: snapshot.current, catalog: catalog)
        return SceneChatHandler(scene: scene) { event, before, after, now in
            var records = ChatRecords()
            if after.decisionCount > (before?.decisionCount ?? 0), let decision = after.lastDecision {
                records.reviewDecisions.append(ReviewDecisionRow(
                    key: decision.key, reviewerId: event.user.id, courseSlug: decision.slug, submissionId: decision.submissionId,
                    approved: decision.approved, comment: decision.comment, decidedAt: now))
            }
            if after.refundCount > (before?.refundCount ?? 0), let refund = after.lastRefund {
                records.refundRequests.append(RefundRequestRow(key: refund.key, paymentId: refund.paymentId, requesterId: event.user.id, requestedAt: now))
            }
            return records
        }.handle(events, stored: stored, now: now)
    }
}
