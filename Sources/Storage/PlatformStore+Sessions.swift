import Foundation
import GRDB

/// Web workspace sessions (contract §9): the signing secret, revocations, used sign-in payloads
/// and archived courses.
extension PlatformStore {
    /// The install's session-signing secret: made by `generate` the first time, then always the same.
    public func sessionSecret(generate: @Sendable () -> [UInt8]) async throws -> [UInt8] {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO settings (key, value) VALUES ('session_secret', ?)", arguments: [Data(generate())])
            let data = try Data.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'session_secret'") ?? Data()
            return [UInt8](data)
        }
    }

    /// Marks a session revoked until `expiresAt` (expired revocations are dropped on the way).
    public func revokeSession(id: String, expiresAt: Double, now: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM revoked_sessions WHERE expires_at < ?", arguments: [now])
            try db.execute(sql: "INSERT OR IGNORE INTO revoked_sessions (session_id, expires_at) VALUES (?, ?)", arguments: [id, expiresAt])
        }
    }

    public func isSessionRevoked(id: String) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM revoked_sessions WHERE session_id = ?", arguments: [id]) ?? false
        }
    }

    /// Records a sign-in payload's hash as used: true the first time, false when it was used before.
    public func useSignIn(hash: String, expiresAt: Double, now: Double) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM used_sign_ins WHERE expires_at < ?", arguments: [now])
            try db.execute(sql: "INSERT OR IGNORE INTO used_sign_ins (hash, expires_at) VALUES (?, ?)", arguments: [hash, expiresAt])
            return db.changesCount > 0
        }
    }

    /// Archives (true) or restores (false) a course built in the workspace or the manager bot.
    public func setArchived(courseSlug: String, _ archived: Bool, now: Double) async throws {
        try await pool.write { db in
            if archived {
                try db.execute(sql: "INSERT OR REPLACE INTO archived_courses (course_slug, archived_at) VALUES (?, ?)", arguments: [courseSlug, now])
            } else {
                try db.execute(sql: "DELETE FROM archived_courses WHERE course_slug = ?", arguments: [courseSlug])
            }
        }
    }

    public func archivedCourses() async throws -> Set<String> {
        try await pool.read { db in Set(try String.fetchAll(db, sql: "SELECT course_slug FROM archived_courses")) }
    }
}
