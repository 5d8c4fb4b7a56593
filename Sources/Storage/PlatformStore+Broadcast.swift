import Foundation
import GRDB

/// A broadcast a creator sent to a course's students, as the platform database keeps it.
public struct BroadcastRecord: Sendable, Equatable {
    public var id: Int64
    public var courseSlug: String
    public var creatorId: Int64
    public var text: String
    public var createdAt: Double
    public var locale: String
    /// The manager-bot message that shows the progress.
    public var statusChatId: Int64?
    public var statusMessageId: Int?
    public var total: Int
    public var delivered: Int
    public var blocked: Int
    public var failed: Int
    public var finishedAt: Double?
}

extension PlatformStore {
    static func broadcast(_ row: Row) -> BroadcastRecord {
        BroadcastRecord(
            id: row["id"], courseSlug: row["course_slug"], creatorId: row["creator_id"], text: row["text"], createdAt: row["created_at"],
            locale: row["locale"], statusChatId: row["status_chat_id"], statusMessageId: row["status_message_id"], total: row["total"],
            delivered: row["delivered"], blocked: row["blocked"], failed: row["failed"], finishedAt: row["finished_at"])
    }

    /// Records a confirmed broadcast and returns its id.
    public func createBroadcast(courseSlug: String, creatorId: Int64, text: String, total: Int, locale: String, statusChatId: Int64?, statusMessageId: Int?, now: Double) async throws -> Int64 {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO broadcasts (course_slug, creator_id, text, created_at, locale, status_chat_id, status_message_id, total)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [courseSlug, creatorId, text, now, locale, statusChatId, statusMessageId, total])
            return db.lastInsertedRowID
        }
    }

    /// Stores the final counts.
    public func finishBroadcast(id: Int64, delivered: Int, blocked: Int, failed: Int, now: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE broadcasts SET delivered = ?, blocked = ?, failed = ?, finished_at = ? WHERE id = ?
                """, arguments: [delivered, blocked, failed, now, id])
        }
    }

    public func broadcast(id: Int64) async throws -> BroadcastRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM broadcasts WHERE id = ?", arguments: [id]).map(Self.broadcast)
        }
    }

    /// Broadcasts still going out (watched again after a restart), oldest first.
    public func unfinishedBroadcasts() async throws -> [BroadcastRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM broadcasts WHERE finished_at IS NULL ORDER BY id").map(Self.broadcast)
        }
    }

    /// A course's broadcasts, newest first.
    public func broadcasts(courseSlug: String) async throws -> [BroadcastRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM broadcasts WHERE course_slug = ? ORDER BY id DESC", arguments: [courseSlug]).map(Self.broadcast)
        }
    }
}
