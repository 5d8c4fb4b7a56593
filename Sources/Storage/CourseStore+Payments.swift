import Foundation
import GRDB

/// A course database's payments: the ones the ledger does not have yet, and refunds applied
/// together with the student's state.
extension CourseStore {
    static let paymentColumns = """
        telegram_payment_charge_id, user_id, chat_id, item, amount, currency, provider_payment_charge_id,
        subscription_expires_at, paid_at, refunded_at
        """

    static func paymentRow(_ row: Row) -> CoursePaymentRow {
        CoursePaymentRow(
            chargeId: row["telegram_payment_charge_id"], userId: row["user_id"], chatId: row["chat_id"], item: row["item"],
            amount: row["amount"], currency: row["currency"], providerChargeId: row["provider_payment_charge_id"],
            expiresAt: row["subscription_expires_at"], paidAt: row["paid_at"], refundedAt: row["refunded_at"])
    }

    /// Payments not yet copied to the platform ledger, oldest first.
    public func unledgeredPayments(limit: Int = 100) async throws -> [CoursePaymentRow] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.paymentColumns) FROM payments WHERE ledgered_at IS NULL ORDER BY paid_at LIMIT ?", arguments: [limit])
                .map(Self.paymentRow)
        }
    }

    /// The ledger has this payment.
    public func markLedgered(chargeId: String, now: Double) async throws {
        try await queue.write { db in
            try db.execute(sql: "UPDATE payments SET ledgered_at = ? WHERE telegram_payment_charge_id = ? AND ledgered_at IS NULL", arguments: [now, chargeId])
        }
    }

    /// Every payment this course's bot received (tests, diagnostics).
    public func payments() async throws -> [CoursePaymentRow] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.paymentColumns) FROM payments ORDER BY paid_at").map(Self.paymentRow)
        }
    }

    /// Applies a refund to the student once, in one transaction: `student` gets the payment and
    /// the student's stored state and returns the batch (new state, messages). False when the
    /// payment is unknown here or was already refunded (nothing written).
    public func applyRefund(
        chargeId: String, botId: Int64, now: Double, student: @Sendable (CoursePaymentRow, Data?) -> BatchCommit
    ) async throws -> Bool {
        try await queue.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.paymentColumns) FROM payments WHERE telegram_payment_charge_id = ?", arguments: [chargeId])
            else { return false }
            let payment = Self.paymentRow(row)
            guard payment.refundedAt == nil else { return false }
            let state = try Data.fetchOne(db, sql: "SELECT state FROM chat_states WHERE bot_id = ? AND chat_id = ?", arguments: [botId, payment.chatId])
            var batch = student(payment, state)
            if !batch.paymentRefunds.contains(chargeId) { batch.paymentRefunds.append(chargeId) }
            try ChatStore.write(batch, now: now, db: db)
            return true
        }
    }

    /// Students' progress for `gongbu export`: per enrolled student, steps done (of the steps
    /// still in the course), the mean of their quiz scores, and whether they completed.
    public func studentSummaries(stepIds: [String]) async throws -> [StudentSummary] {
        try await queue.read { db in
            let ids = Set(stepIds)
            var summaries: [Int64: StudentSummary] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT user_id, completed_at FROM enrollments ORDER BY user_id") {
                let user: Int64 = row["user_id"]
                summaries[user] = StudentSummary(userId: user, stepsDone: 0, score: nil, completed: (row["completed_at"] as Double?) != nil)
            }
            for row in try Row.fetchAll(db, sql: "SELECT user_id, step_id FROM progress") {
                let user: Int64 = row["user_id"]
                let step: String = row["step_id"]
                guard ids.contains(step) else { continue }
                summaries[user, default: StudentSummary(userId: user, stepsDone: 0, score: nil, completed: false)].stepsDone += 1
            }
            // The mean over quizzes of each quiz's best pass, in percent (as /progress shows it).
            var best: [Int64: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT user_id, step_id, score, questions FROM quiz_passes") {
                let user: Int64 = row["user_id"]
                let step: String = row["step_id"]
                let questions: Int = row["questions"]
                let score: Int = row["score"]
                let percent = questions == 0 ? 100 : score * 100 / questions
                best[user, default: [:]][step] = max(best[user]?[step] ?? 0, percent)
            }
            for (user, quizzes) in best where !quizzes.isEmpty {
                summaries[user]?.score = quizzes.values.reduce(0, +) / quizzes.count
            }
            return summaries.values.sorted { $0.userId < $1.userId }
        }
    }
}

/// One student's line in `gongbu export`.
public struct StudentSummary: Sendable, Equatable {
    public var userId: Int64
    public var stepsDone: Int
    /// Mean quiz score in percent (nil: no quiz taken).
    public var score: Int?
    public var completed: Bool
}
