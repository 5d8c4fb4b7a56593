import GRDB

/// The platform database's review tables: verdicts taken in the manager bot until they are
/// applied to their course database, and which reviewer was already sent which submission.
enum ReviewTables {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("platform-v2") { db in
            try db.execute(sql: """
                CREATE TABLE review_decisions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    key TEXT NOT NULL UNIQUE,
                    reviewer_id INTEGER NOT NULL,
                    course_slug TEXT NOT NULL,
                    submission_id INTEGER NOT NULL,
                    approved INTEGER NOT NULL,
                    comment TEXT,
                    decided_at REAL NOT NULL,
                    applied_at REAL,
                    outcome TEXT
                );
                CREATE INDEX review_decisions_unapplied ON review_decisions (applied_at);
                CREATE TABLE review_notices (
                    course_slug TEXT NOT NULL,
                    submission_id INTEGER NOT NULL,
                    reviewer_id INTEGER NOT NULL,
                    notified_at REAL NOT NULL,
                    PRIMARY KEY (course_slug, submission_id, reviewer_id)
                );
                """)
        }
    }

    static func write(decisions: [ReviewDecisionRow], db: Database) throws {
        for row in decisions {
            try db.execute(sql: """
                INSERT OR IGNORE INTO review_decisions (key, reviewer_id, course_slug, submission_id, approved, comment, decided_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [row.key, row.reviewerId, row.courseSlug, row.submissionId, row.approved, row.comment, row.decidedAt])
        }
    }
}

/// A verdict stored by the manager bot and not yet applied to its course.
public struct StoredReviewDecision: Sendable, Equatable {
    public var id: Int64
    public var decision: ReviewDecisionRow
}

extension PlatformStore {
    /// Verdicts not applied yet, oldest first.
    public func unappliedDecisions(limit: Int = 100) async throws -> [StoredReviewDecision] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, key, reviewer_id, course_slug, submission_id, approved, comment, decided_at
                FROM review_decisions WHERE applied_at IS NULL ORDER BY id LIMIT ?
                """, arguments: [limit]).map { row in
                StoredReviewDecision(id: row["id"], decision: ReviewDecisionRow(
                    key: row["key"], reviewerId: row["reviewer_id"], courseSlug: row["course_slug"],
                    submissionId: row["submission_id"], approved: row["approved"], comment: row["comment"], decidedAt: row["decided_at"]))
            }
        }
    }

    /// The verdict reached its course (`outcome`: applied, already decided, unknown course…),
    /// with optional messages to the reviewer in the same transaction.
    public func markApplied(decisionId: Int64, outcome: String, botId: Int64, outbox: [NewOutboxRow], now: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE review_decisions SET applied_at = ?, outcome = ? WHERE id = ? AND applied_at IS NULL", arguments: [now, outcome, decisionId])
            guard db.changesCount > 0 else { return }
            try ChatStore.write(BatchCommit(botId: botId, outbox: outbox), now: now, db: db)
        }
    }

    /// The reviewers already sent this submission.
    public func notifiedReviewers(courseSlug: String, submissionId: Int64) async throws -> Set<Int64> {
        try await pool.read { db in
            Set(try Int64.fetchAll(db, sql: "SELECT reviewer_id FROM review_notices WHERE course_slug = ? AND submission_id = ?", arguments: [courseSlug, submissionId]))
        }
    }

    /// Queues the manager bot's messages showing a submission to a reviewer, once: false (and
    /// nothing queued) when this reviewer was already sent it.
    @discardableResult
    public func queueReviewNotice(
        courseSlug: String, submissionId: Int64, reviewerId: Int64, botId: Int64, outbox: [NewOutboxRow], now: Double
    ) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO review_notices (course_slug, submission_id, reviewer_id, notified_at) VALUES (?, ?, ?, ?)
                """, arguments: [courseSlug, submissionId, reviewerId, now])
            guard db.changesCount > 0 else { return false }
            try ChatStore.write(BatchCommit(botId: botId, outbox: outbox), now: now, db: db)
            return true
        }
    }

    /// Every verdict taken, for tests and diagnostics: (submission id, approved, outcome).
    public func decisions(courseSlug: String) async throws -> [(submissionId: Int64, approved: Bool, outcome: String?)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT submission_id, approved, outcome FROM review_decisions WHERE course_slug = ? ORDER BY id", arguments: [courseSlug])
                .map { ($0["submission_id"], $0["approved"], $0["outcome"]) }
        }
    }
}
