import Foundation
import GRDB

/// The job runner's reads and writes of the `jobs` table: what is due, done, to retry or failed.
extension PlatformStore {
    /// Writes jobs outside a batch (a job asking for the next one); keys already stored are skipped.
    public func enqueueJobs(_ jobs: [NewJobRow], now: Double) async throws {
        guard !jobs.isEmpty else { return }
        try await pool.write { db in try JobTables.write(jobs, now: now, db: db) }
    }

    /// The jobs to run now, oldest first: in each lane only its oldest pending job, and only
    /// once its `not_before` came (a later job of a lane waits behind one being retried).
    public func dueJobs(now: Double, limit: Int = 50) async throws -> [JobRow] {
        try await pool.read { db in
            let rows = try JobRow.fetchAll(db, sql: """
                SELECT id, kind, lane, payload, idempotency_key, attempts, not_before, status, last_error FROM jobs
                WHERE status = 'pending' AND id IN (SELECT min(id) FROM jobs WHERE status = 'pending' GROUP BY lane)
                ORDER BY id LIMIT ?
                """, arguments: [limit])
            return rows.filter { $0.notBefore <= now }
        }
    }

    /// When the next pending job is due (nil: none waits).
    public func nextJobTime() async throws -> Double? {
        try await pool.read { db in
            try Double.fetchOne(db, sql: "SELECT min(not_before) FROM jobs WHERE status = 'pending'")
        }
    }

    /// A job's work is done: marked so in ONE transaction with the bot's outbox rows it wrote
    /// (`botId`'s outbox in this database) and the jobs it asks for next.
    public func completeJob(id: Int64, botId: Int64, outbox: [NewOutboxRow], next: [NewJobRow] = [], now: Double) async throws {
        try await pool.write { db in
            var batch = BatchCommit(botId: botId, outbox: outbox)
            batch.jobs = next
            try ChatStore.write(batch, now: now, db: db)
            try JobTables.finish(id: id, now: now, db: db)
        }
    }

    /// The job failed for now: tried again at `notBefore`.
    public func retryJob(id: Int64, notBefore: Double, error: String, now: Double) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE jobs SET attempts = attempts + 1, not_before = ?, last_error = ?, updated_at = ? WHERE id = ?",
                arguments: [notBefore, error, now, id])
        }
    }

    /// The job can never succeed: kept for inspection (its error, not its payload), not run again; `outbox` tells the user.
    public func failJob(id: Int64, error: String, botId: Int64, outbox: [NewOutboxRow], now: Double) async throws {
        try await pool.write { db in
            try ChatStore.write(BatchCommit(botId: botId, outbox: outbox), now: now, db: db)
            try db.execute(
                sql: "UPDATE jobs SET status = 'failed', payload = x'', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ?",
                arguments: [error, now, id])
        }
    }

    /// Every job, oldest first (tests and diagnostics).
    public func jobs(kind: String? = nil) async throws -> [JobRow] {
        try await pool.read { db in
            try JobRow.fetchAll(db, sql: """
                SELECT id, kind, lane, payload, idempotency_key, attempts, not_before, status, last_error FROM jobs
                WHERE ? IS NULL OR kind = ? ORDER BY id
                """, arguments: [kind, kind])
        }
    }

    /// Records that the action named `key` took place (an idempotency key of a job's step), with
    /// an audit line in the same transaction; false, and nothing written, when it already had.
    @discardableResult
    public func markApplied(_ key: String, audit: (actorId: Int64?, action: String, subject: String?, details: String?)? = nil, now: Double) async throws -> Bool {
        try await pool.write { db in
            guard try JobTables.markApplied(key, now: now, db: db) else { return false }
            if let audit {
                try db.execute(
                    sql: "INSERT INTO audit_log (at, actor_id, action, subject, details) VALUES (?, ?, ?, ?, ?)",
                    arguments: [now, audit.actorId, audit.action, audit.subject, audit.details])
            }
            return true
        }
    }

    /// What the action named `key` recorded when it took place (nil: it did not, or kept nothing).
    public func appliedValue(_ key: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM applied_actions WHERE action_key = ?", arguments: [key])
        }
    }

    /// Whether the action named `key` took place.
    public func wasApplied(_ key: String) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM applied_actions WHERE action_key = ?", arguments: [key]) ?? false
        }
    }
}
