import Foundation
import GRDB

/// One row of the platform payment ledger (`data/gongbu.sqlite`, table `payments`).
public struct LedgerEntry: Sendable, Equatable {
    public var id: Int64
    public var chargeId: String
    public var providerChargeId: String?
    public var courseSlug: String
    public var botId: Int64
    public var userId: Int64
    /// `course`, `all`, `plan`, `step:<id>` or `unknown`.
    public var item: String
    public var amount: Int
    public var currency: String
    /// The platform's commission, in the payment's currency units (amount × percent / 100, rounded down).
    public var commission: Int
    public var paidAt: Double
    public var refundedAt: Double?

    public var refunded: Bool { refundedAt != nil }
}

/// A refund asked for in the manager bot and not finished yet.
public struct StoredRefundRequest: Sendable, Equatable {
    public var id: Int64
    public var paymentId: Int64
    public var requesterId: Int64
    /// `pending` (Telegram not asked yet) or `refunded` (Telegram refunded; the course still to update).
    public var status: String
}

extension PlatformStore {
    static let ledgerColumns = """
        id, telegram_payment_charge_id, provider_payment_charge_id, course_slug, bot_id, user_id, item, amount, currency,
        commission, paid_at, refunded_at
        """

    static func ledgerEntry(_ row: Row) -> LedgerEntry {
        LedgerEntry(
            id: row["id"], chargeId: row["telegram_payment_charge_id"], providerChargeId: row["provider_payment_charge_id"],
            courseSlug: row["course_slug"], botId: row["bot_id"], userId: row["user_id"], item: row["item"],
            amount: row["amount"], currency: row["currency"], commission: row["commission"], paidAt: row["paid_at"],
            refundedAt: row["refunded_at"])
    }

    /// The install's invoice-signing secret: made by `generate` the first time, then always the same.
    public func paymentSecret(generate: @Sendable () -> [UInt8]) async throws -> [UInt8] {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO settings (key, value) VALUES ('payment_secret', ?)", arguments: [Data(generate())])
            let data = try Data.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'payment_secret'") ?? Data()
            return [UInt8](data)
        }
    }

    /// Writes a payment to the ledger once: true (and `outbox` queued for the manager bot in the
    /// same transaction) when the charge id is new, false for one already there.
    public func recordPayment(
        _ payment: CoursePaymentRow, courseSlug: String, botId: Int64, commissionPercent: Int,
        managerBotId: Int64?, outbox: @Sendable (Int64) -> [NewOutboxRow], now: Double
    ) async throws -> Bool {
        try await pool.write { db in
            let step: String? = payment.item.hasPrefix("step:") ? String(payment.item.dropFirst(5)) : nil
            try db.execute(sql: """
                INSERT OR IGNORE INTO payments (telegram_payment_charge_id, provider_payment_charge_id, course_slug, bot_id, user_id,
                    item, step_id, amount, currency, commission, paid_at, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    payment.chargeId, payment.providerChargeId, courseSlug, botId, payment.userId, payment.item, step,
                    payment.amount, payment.currency, payment.amount * max(commissionPercent, 0) / 100, payment.paidAt, now,
                ])
            guard db.changesCount > 0 else { return false }
            let id = db.lastInsertedRowID
            if let managerBotId {
                let rows = outbox(id)
                if !rows.isEmpty { try ChatStore.write(BatchCommit(botId: managerBotId, outbox: rows), now: now, db: db) }
            }
            return true
        }
    }

    /// The ledger of one course (or every course), oldest first.
    public func ledger(courseSlug: String? = nil) async throws -> [LedgerEntry] {
        try await pool.read { db in
            if let courseSlug {
                return try Row.fetchAll(db, sql: "SELECT \(Self.ledgerColumns) FROM payments WHERE course_slug = ? ORDER BY id", arguments: [courseSlug])
                    .map(Self.ledgerEntry)
            }
            return try Row.fetchAll(db, sql: "SELECT \(Self.ledgerColumns) FROM payments ORDER BY id").map(Self.ledgerEntry)
        }
    }

    public func ledgerEntry(id: Int64) async throws -> LedgerEntry? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.ledgerColumns) FROM payments WHERE id = ?", arguments: [id]).map(Self.ledgerEntry)
        }
    }

    /// Refunds not finished, oldest first.
    public func openRefundRequests(limit: Int = 50) async throws -> [StoredRefundRequest] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, payment_id, requester_id, status FROM refund_requests WHERE status IN ('pending', 'refunded') ORDER BY id LIMIT ?
                """, arguments: [limit]).map {
                StoredRefundRequest(id: $0["id"], paymentId: $0["payment_id"], requesterId: $0["requester_id"], status: $0["status"])
            }
        }
    }

    /// Telegram refunded the payment: the ledger row and the request marked, the manager's
    /// messages queued, in one transaction.
    public func markRefunded(requestId: Int64, paymentId: Int64, botId: Int64, outbox: [NewOutboxRow], now: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE payments SET refunded_at = coalesce(refunded_at, ?) WHERE id = ?", arguments: [now, paymentId])
            try db.execute(sql: "UPDATE refund_requests SET status = 'refunded' WHERE id = ? AND status = 'pending'", arguments: [requestId])
            guard db.changesCount > 0 else { return }
            try ChatStore.write(BatchCommit(botId: botId, outbox: outbox), now: now, db: db)
        }
    }

    /// The request is over (`applied`, `failed`, `refused`), with optional manager messages.
    public func finishRefund(requestId: Int64, status: String, error: String?, botId: Int64, outbox: [NewOutboxRow], now: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE refund_requests SET status = ?, error = ?, done_at = ? WHERE id = ? AND status IN ('pending', 'refunded')
                """, arguments: [status, error, now, requestId])
            guard db.changesCount > 0 else { return }
            try ChatStore.write(BatchCommit(botId: botId, outbox: outbox), now: now, db: db)
        }
    }
}
