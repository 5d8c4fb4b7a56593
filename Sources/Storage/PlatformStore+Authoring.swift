import Foundation
import GRDB

/// A course built in the manager bot (`authored_courses`): its definition lives in its course database.
public struct AuthoredCourseRecord: Sendable, Equatable {
    public var slug: String
    public var creatorId: Int64
    public var createdAt: Double

    public init(slug: String, creatorId: Int64, createdAt: Double) {
        self.slug = slug
        self.creatorId = creatorId
        self.createdAt = createdAt
    }
}

extension PlatformStore {
    /// Every authored course, oldest first.
    public func authoredCourses() async throws -> [AuthoredCourseRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT slug, creator_id, created_at FROM authored_courses ORDER BY created_at, slug").map {
                AuthoredCourseRecord(slug: $0["slug"], creatorId: $0["creator_id"], createdAt: $0["created_at"])
            }
        }
    }

    /// Records a new authored course; false when the slug is taken. With an `actionKey` (the
    /// desk job's step) the step is marked applied in the same transaction.
    public func addAuthoredCourse(_ record: AuthoredCourseRecord, actionKey: String? = nil) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO authored_courses (slug, creator_id, created_at) VALUES (?, ?, ?)",
                           arguments: [record.slug, record.creatorId, record.createdAt])
            guard db.changesCount > 0 else { return false }
            if let actionKey { _ = try JobTables.markApplied(actionKey, value: record.slug, now: record.createdAt, db: db) }
            return true
        }
    }

    /// A creator's open editor dialog (opaque bytes), nil when none.
    public func editorSession(userId: Int64) async throws -> Data? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT state FROM editor_sessions WHERE user_id = ?", arguments: [userId])
        }
    }

    /// Every open editor dialog by user id (read at start to route the creators' messages).
    public func editorSessions() async throws -> [Int64: Data] {
        try await pool.read { db in
            var sessions: [Int64: Data] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT user_id, state FROM editor_sessions") { sessions[row["user_id"]] = row["state"] }
            return sessions
        }
    }

    /// Stores (or with nil, ends) a creator's editor dialog.
    public func saveEditorSession(userId: Int64, state: Data?, now: Double) async throws {
        try await pool.write { db in
            if let state {
                try db.execute(sql: """
                    INSERT INTO editor_sessions (user_id, state, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
                    """, arguments: [userId, state, now])
            } else {
                try db.execute(sql: "DELETE FROM editor_sessions WHERE user_id = ?", arguments: [userId])
            }
        }
    }
}
