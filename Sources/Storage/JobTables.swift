import Foundation
import GRDB

/// A side effect asked for by a committed state change and not yet carried out (a creator's
/// command for the manager desk, a call to Telegram that is not a message): written in the same
/// transaction as the state that asks for it, so a crash after the commit never loses it, and
/// run by the job runner until it is done or fails for good.
public struct NewJobRow: Sendable, Equatable {
    /// What to do, e.g. `desk.event`; the runner picks the handler by it.
    public var kind: String
    /// Jobs of one lane run one at a time, in the order they were written (e.g. one creator's chat).
    public var lane: String
    /// The job's input as JSON.
    public var payload: Data
    /// Unique: a job asked for twice (a replayed batch) is written once.
    public var idempotencyKey: String
    /// Not before this time (nil: at once).
    public var notBefore: Double?

    public init(kind: String, lane: String, payload: Data, idempotencyKey: String, notBefore: Double? = nil) {
        self.kind = kind
        self.lane = lane
        self.payload = payload
        self.idempotencyKey = idempotencyKey
        self.notBefore = notBefore
    }
}

/// A stored job as the runner reads it.
public struct JobRow: Sendable, Equatable, FetchableRecord, Decodable {
    public enum Status: String, Sendable, Codable {
        case pending, done, failed
    }

    public var id: Int64
    public var kind: String
    public var lane: String
    public var payload: Data
    public var idempotencyKey: String
    /// Runs already tried and failed (0 on the first run).
    public var attempts: Int
    public var notBefore: Double
    public var status: Status
    public var lastError: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, lane, payload, attempts, status
        case idempotencyKey = "idempotency_key", notBefore = "not_before", lastError = "last_error"
    }
}

/// The `jobs` table of the platform database and its writes inside an open transaction.
public enum JobTables {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("platform-jobs-v1") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    lane TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    idempotency_key TEXT NOT NULL UNIQUE,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    not_before REAL NOT NULL DEFAULT 0,
                    status TEXT NOT NULL DEFAULT 'pending',
                    last_error TEXT,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX jobs_pending ON jobs (status, id);
                CREATE TABLE applied_actions (
                    action_key TEXT PRIMARY KEY,
                    value TEXT,
                    applied_at REAL NOT NULL
                );
                """)
        }
    }

    /// The course database's record of applied actions: a desk job's change to a course (an
    /// added step, a new price) is marked in the same transaction as the change itself.
    static func registerCourse(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("course-applied-actions-v1") { db in
            try db.execute(sql: """
                CREATE TABLE applied_actions (
                    action_key TEXT PRIMARY KEY,
                    value TEXT,
                    applied_at REAL NOT NULL
                );
                """)
        }
    }

    /// Writes new jobs; one whose idempotency key is already stored is skipped.
    static func write(_ jobs: [NewJobRow], now: Double, db: Database) throws {
        for job in jobs {
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO jobs (kind, lane, payload, idempotency_key, not_before, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [job.kind, job.lane, job.payload, job.idempotencyKey, job.notBefore ?? 0, now, now])
        }
    }

    /// Marks a job done (inside the transaction that stores what it did). Its payload is
    /// emptied: a creator's event may hold a pasted bot token, kept no longer than needed.
    static func finish(id: Int64, now: Double, db: Database) throws {
        try db.execute(sql: "UPDATE jobs SET status = 'done', payload = x'', updated_at = ? WHERE id = ?", arguments: [now, id])
    }

    /// Records that an action named by `key` took place (with what a replay needs to know of
    /// it, e.g. the slug it gave a new course); false when it already had (a replay).
    static func markApplied(_ key: String, value: String? = nil, now: Double, db: Database) throws -> Bool {
        if value != nil {
            try db.execute(sql: "INSERT OR IGNORE INTO applied_actions (action_key, value, applied_at) VALUES (?, ?, ?)", arguments: [key, value, now])
            return db.changesCount > 0
        }
        try db.execute(sql: "INSERT OR IGNORE INTO applied_actions (action_key, applied_at) VALUES (?, ?)", arguments: [key, now])
        return db.changesCount > 0
    }
}
