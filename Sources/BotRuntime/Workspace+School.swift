import CourseModel
import Foundation
import Manifests
import Storage

/// Running a school over HTTP (contract §9, §11): statistics, students, the review queue,
/// payments and refunds. Verdicts and refunds are stored as the manager bot stores them and
/// carried out by the same services (the review relay, the refund service), audit included.
extension Workspace {
    /// `GET /courses/:id/stats`: students, active in 7 days, completed, the funnel per step,
    /// quiz results per question, revenue per currency.
    public func statistics(_ user: User, id: String) async throws -> ManifestValue {
        let entry = try await entry(id, for: user)
        let course = entry.live?.authored.course ?? entry.course
        let activity = try await entry.store.activity(since: now - ManagerDesk.activeWindow)
        let quizzes = try await entry.store.quizStatistics()
        let pending = try await entry.store.pendingSubmissions().count
        let ledger = try await platform.ledger(courseSlug: id).filter { !$0.refunded }
        let funnel: [ManifestValue] = course.steps.map { step in
            .fields([("step_id", .string(step.id)), ("title", .string(step.title ?? step.type.rawValue)), ("done", .int(Int64(activity.doneByStep[step.id] ?? 0)))])
        }
        let quizValues: [ManifestValue] = quizzes.steps.map { stats in
            .fields([
                ("step_id", .string(stats.stepId)), ("students", .int(Int64(stats.students))), ("passes", .int(Int64(stats.passes))),
                ("passed", .int(Int64(stats.passed))),
                ("questions", .array(stats.questions.map { question in
                    .fields([("question", .int(Int64(question.question))), ("attempts", .int(Int64(question.attempts))), ("correct", .int(Int64(question.correct)))])
                })),
            ])
        }
        let byCurrency = Dictionary(grouping: ledger, by: \.currency)
        let revenue: [ManifestValue] = byCurrency.keys.sorted().map { currency in
            let entries = byCurrency[currency, default: []]
            return .fields([("currency", .string(currency)), ("amount", .int(Int64(entries.reduce(0) { $0 + $1.amount }))), ("payments", .int(Int64(entries.count)))])
        }
        return .fields([
            ("students", .int(Int64(activity.students))), ("active_7d", .int(Int64(activity.activeSince))),
            ("completed", .int(Int64(activity.completed))), ("pending_reviews", .int(Int64(pending))),
            ("funnel", .array(funnel)), ("quizzes", .array(quizValues)), ("revenue", .array(revenue)),
        ])
    }

    /// `GET /courses/:id/students?search=`: every enrolled student with their progress.
    public func students(_ user: User, id: String, search: String?) async throws -> [ManifestValue] {
        let entry = try await entry(id, for: user)
        let course = entry.live?.authored.course ?? entry.course
        let names = try await studentNames(entry)
        let needle = search?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return try await entry.store.studentSummaries(stepIds: course.steps.map(\.id)).filter { summary in
            needle.isEmpty || String(summary.userId).contains(needle) || (names[summary.userId]?.lowercased().contains(needle) ?? false)
        }.map { student($0, name: names[$0.userId], total: course.steps.count) }
    }

    /// `GET /courses/:id/students/:userId`: one student's steps done, quiz answers, submissions and payments.
    public func student(_ user: User, id: String, userId: Int64) async throws -> ManifestValue {
        let entry = try await entry(id, for: user)
        let course = entry.live?.authored.course ?? entry.course
        guard let summary = try await entry.store.studentSummaries(stepIds: course.steps.map(\.id)).first(where: { $0.userId == userId }) else {
            throw WorkspaceError.notFound("no student \(userId) in course \(id)")
        }
        let done = try await entry.store.progress()[userId] ?? []
        let submissions = try await entry.store.submissions().filter { $0.userId == userId }
        let payments = try await platform.ledger(courseSlug: id).filter { $0.userId == userId }
        let answers: [ManifestValue] = try await entry.store.quizAnswers(userId: userId).map { answer in
            .fields([
                ("step_id", .string(answer.stepId)), ("pass", .int(Int64(answer.pass))), ("question", .int(Int64(answer.question))),
                ("correct", .bool(answer.correct)), ("answered_at", .string(Self.iso(answer.answeredAt))),
            ])
        }
        let names = try await studentNames(entry)
        let base = student(summary, name: names[userId], total: course.steps.count)
        let steps: [ManifestValue] = course.steps.map { .fields([("id", .string($0.id)), ("done", .bool(done.contains($0.id)))]) }
        return (base.members ?? []).reduce(into: ManifestValue.object([])) { $0 = $0.setting($1.key, $1.value) }
            .setting("steps", .array(steps))
            .setting("quiz_answers", .array(answers))
            .setting("submissions", .array(submissions.map { submissionValue($0, slug: id) }))
            .setting("payments", .array(payments.map(paymentValue)))
    }

    /// `GET /reviews`: the pending submissions of the courses the user reviews, oldest first.
    public func reviews(_ user: User) async throws -> [ManifestValue] {
        var items: [(Double, ManifestValue)] = []
        for entry in desk.manageable(by: user.id) {
            for submission in try await entry.store.pendingSubmissions() {
                items.append((submission.createdAt, submissionValue(submission, slug: entry.course.slug)))
            }
        }
        return items.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// `POST /reviews/:id {"verdict": "approve"|"reject", "comment"?}`: the verdict stored as the
    /// manager bot stores one; the review relay applies it to the student's chat at once.
    public func decide(_ user: User, reviewId: String, body: ManifestValue) async throws -> ManifestValue {
        try Self.checkKeys(body, allowed: ["verdict", "comment"])
        guard let dot = reviewId.lastIndex(of: "."), let submissionId = Int64(reviewId[reviewId.index(after: dot)...]) else {
            throw WorkspaceError.notFound("no review \(reviewId)")
        }
        let slug = String(reviewId[..<dot])
        let entry = try await entry(slug, for: user)
        guard let verdict = body["verdict"]?.stringValue, ["approve", "reject"].contains(verdict) else {
            throw WorkspaceError.invalid("verdict must be approve or reject", field: "verdict")
        }
        if let given = body["comment"], given != .null, given.stringValue == nil {
            throw WorkspaceError.invalid("comment must be a string", field: "comment")
        }
        let comment = body["comment"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if verdict == "reject", comment == nil { throw WorkspaceError.invalid("a rejection needs a comment for the student", field: "comment") }
        guard let submission = try await entry.store.submission(id: submissionId) else { throw WorkspaceError.notFound("no review \(reviewId)") }
        guard submission.status == .pending else { throw WorkspaceError.conflict("submission #\(submissionId) was already decided") }
        let row = ReviewDecisionRow(
            key: "web-\(user.id)-\(slug)-\(submissionId)", reviewerId: user.id, courseSlug: slug, submissionId: submissionId,
            approved: verdict == "approve", comment: comment, decidedAt: now)
        var batch = BatchCommit(botId: desk.managerBotId)
        batch.reviewDecisions = [row]
        _ = try await platform.chats.commit(batch, now: now)
        news.postManager()
        return .fields([("id", .string(reviewId)), ("verdict", .string(verdict)), ("status", .string("queued"))])
    }

    /// `GET /reviews/:id/file`: the file a student submitted (downloaded by the runtime), for
    /// the review queue to show: its path on disk and its name.
    public func reviewFile(_ user: User, reviewId: String) async throws -> (path: String, fileName: String) {
        guard let dot = reviewId.lastIndex(of: "."), let submissionId = Int64(reviewId[reviewId.index(after: dot)...]) else {
            throw WorkspaceError.notFound("no review \(reviewId)")
        }
        let entry = try await entry(String(reviewId[..<dot]), for: user)
        guard let submission = try await entry.store.submission(id: submissionId) else { throw WorkspaceError.notFound("no review \(reviewId)") }
        guard let path = submission.localPath, FileManager.default.fileExists(atPath: path) else {
            throw WorkspaceError.notFound("submission #\(submissionId) has no stored file (yet)")
        }
        return (path, submission.fileName ?? (path as NSString).lastPathComponent)
    }

    /// `GET /courses/:id/payments`: the course's ledger.
    public func payments(_ user: User, id: String) async throws -> [ManifestValue] {
        _ = try await entry(id, for: user)
        return try await platform.ledger(courseSlug: id).map(paymentValue)
    }

    /// `POST /payments/:chargeId/refund`: asked as the manager bot's Refund button asks; the
    /// refund service refunds the Stars and withdraws what they bought.
    public func refund(_ user: User, chargeId: String) async throws -> ManifestValue {
        guard let payment = try await platform.ledger().first(where: { $0.chargeId == chargeId }) else {
            throw WorkspaceError.notFound("no payment \(chargeId)")
        }
        _ = try await entry(payment.courseSlug, for: user)
        guard !payment.refunded else { throw WorkspaceError.conflict("payment \(chargeId) was already refunded") }
        guard payment.currency == "XTR" else { throw WorkspaceError.conflict("only Telegram Stars payments are refunded here") }
        var batch = BatchCommit(botId: desk.managerBotId)
        batch.refundRequests = [RefundRequestRow(key: "web-\(user.id)-\(payment.id)", paymentId: payment.id, requesterId: user.id, requestedAt: now)]
        _ = try await platform.chats.commit(batch, now: now)
        refundsBell.ring()
        return .fields([("telegram_payment_charge_id", .string(chargeId)), ("status", .string("requested"))])
    }

    // MARK: JSON

    func studentNames(_ entry: ManagedCourse) async throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        for submission in try await entry.store.submissions() where !submission.userName.isEmpty { names[submission.userId] = submission.userName }
        return names
    }

    func student(_ summary: StudentSummary, name: String?, total: Int) -> ManifestValue {
        .fields([
            ("user_id", .int(summary.userId)), ("name", name.map { .string($0) } ?? .null), ("steps_done", .int(Int64(summary.stepsDone))),
            ("steps_total", .int(Int64(total))), ("score", summary.score.map { .int(Int64($0)) } ?? .null), ("completed", .bool(summary.completed)),
        ])
    }

    func submissionValue(_ submission: SubmissionRecord, slug: String) -> ManifestValue {
        .fields([
            ("id", .string("\(slug).\(submission.id)")), ("course", .string(slug)), ("submission_id", .int(submission.id)),
            ("user_id", .int(submission.userId)), ("user_name", .string(submission.userName)), ("step_id", .string(submission.stepId)),
            ("kind", .string(submission.kind)), ("text", submission.text.map { .string($0) } ?? .null),
            ("file_name", submission.fileName.map { .string($0) } ?? .null), ("has_file", .bool(submission.localPath != nil)),
            ("status", .string(submission.status.rawValue)), ("comment", submission.comment.map { .string($0) } ?? .null),
            ("created_at", .string(Self.iso(submission.createdAt))),
        ])
    }

    func paymentValue(_ payment: LedgerEntry) -> ManifestValue {
        .fields([
            ("telegram_payment_charge_id", .string(payment.chargeId)), ("user_id", .int(payment.userId)), ("item", .string(payment.item)),
            ("amount", .int(Int64(payment.amount))), ("currency", .string(payment.currency)), ("refunded", .bool(payment.refunded)),
            ("paid_at", .string(Self.iso(payment.paidAt))),
        ])
    }

    static func iso(_ time: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: time))
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
