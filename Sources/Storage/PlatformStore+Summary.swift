import Foundation
import GRDB

/// New payments of one course in one currency over a summary's period.
public struct PaymentTotal: Sendable, Equatable {
    public var courseSlug: String
    public var currency: String
    public var count: Int
    public var amount: Int

    public init(courseSlug: String, currency: String, count: Int, amount: Int) {
        self.courseSlug = courseSlug
        self.currency = currency
        self.count = count
        self.amount = amount
    }
}

/// Creators' daily payment summaries: when each creator's period starts, the ledger's totals
/// over it, and the summary recorded together with its messages.
extension PlatformStore {
    /// Per creator who has an account (they sent the manager bot /start): the start of their next
    /// summary's period, the last summary's time, else when the account was made.
    public func summaryPeriodStarts(creatorIds: Set<Int64>) async throws -> [Int64: Double] {
        guard !creatorIds.isEmpty else { return [:] }
        return try await pool.read { db in
            let marks = creatorIds.map { _ in "?" }.joined(separator: ", ")
            var starts: [Int64: Double] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT creators.user_id AS id, coalesce(creator_summaries.last_summary_at, creators.created_at) AS since
                FROM creators LEFT JOIN creator_summaries ON creator_summaries.creator_id = creators.user_id
                WHERE creators.user_id IN (\(marks))
                """, arguments: StatementArguments(Array(creatorIds))) {
                starts[row["id"]] = row["since"]
            }
            return starts
        }
    }

    /// Payments recorded in the ledger after `after` and up to `upTo` and not refunded, per
    /// course and currency, for the given courses.
    public func paymentTotals(courseSlugs: Set<String>, after: Double, upTo: Double) async throws -> [PaymentTotal] {
        guard !courseSlugs.isEmpty else { return [] }
        return try await pool.read { db in
            let marks = courseSlugs.map { _ in "?" }.joined(separator: ", ")
            var arguments = StatementArguments([after, upTo])
            arguments += StatementArguments(Array(courseSlugs))
            return try Row.fetchAll(db, sql: """
                SELECT course_slug, currency, COUNT(*) AS count, SUM(amount) AS amount FROM payments
                WHERE recorded_at > ? AND recorded_at <= ? AND refunded_at IS NULL AND course_slug IN (\(marks))
                GROUP BY course_slug, currency ORDER BY course_slug, currency
                """, arguments: arguments).map {
                PaymentTotal(courseSlug: $0["course_slug"], currency: $0["currency"], count: $0["count"], amount: $0["amount"])
            }
        }
    }

    /// Records a creator's summary at `at` with its messages for the manager bot's outbox, in one
    /// transaction; false (nothing queued) when a summary at or after `at` is already recorded.
    @discardableResult
    public func recordSummary(creatorId: Int64, at: Double, managerBotId: Int64, outbox: [NewOutboxRow]) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO creator_summaries (creator_id, last_summary_at) VALUES (?, ?)
                ON CONFLICT (creator_id) DO UPDATE SET last_summary_at = excluded.last_summary_at
                WHERE creator_summaries.last_summary_at < excluded.last_summary_at
                """, arguments: [creatorId, at])
            guard db.changesCount > 0 else { return false }
            if !outbox.isEmpty { try ChatStore.write(BatchCommit(botId: managerBotId, outbox: outbox), now: at, db: db) }
            return true
        }
    }

    /// When the creator's last summary was recorded, if ever.
    public func lastSummary(creatorId: Int64) async throws -> Double? {
        try await pool.read { db in
            try Double.fetchOne(db, sql: "SELECT last_summary_at FROM creator_summaries WHERE creator_id = ?", arguments: [creatorId])
        }
    }
}
