import Foundation
import GRDB

/// A creator's account in the manager bot (`creators` table).
public struct CreatorRecord: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// May manage their courses.
        case active
        /// Waiting for an admin (`manager.creators: invite`).
        case pending
        case rejected
    }

    public var userId: Int64
    public var name: String?
    public var status: Status
    public var createdAt: Double
    public var decidedBy: Int64?
}

/// A course bot connected from the manager bot by pasting its token (`connected_bots`).
public struct ConnectedBot: Sendable, Equatable {
    public var botId: Int64
    /// The bot's token: kept only here, never shown or logged.
    public var token: String
    public var username: String?
    public var courseSlug: String
    public var connectedBy: Int64
    public var connectedAt: Double

    public init(botId: Int64, token: String, username: String?, courseSlug: String, connectedBy: Int64, connectedAt: Double) {
        self.botId = botId
        self.token = token
        self.username = username
        self.courseSlug = courseSlug
        self.connectedBy = connectedBy
        self.connectedAt = connectedAt
    }
}

/// One row of the audit log.
public struct AuditEntry: Sendable, Equatable {
    public var at: Double
    public var actorId: Int64?
    public var action: String
    public var subject: String?
    public var details: String?
}

extension PlatformStore {
    static func creator(_ row: Row) -> CreatorRecord {
        CreatorRecord(
            userId: row["user_id"], name: row["name"], status: CreatorRecord.Status(rawValue: row["status"]) ?? .pending,
            createdAt: row["created_at"], decidedBy: row["decided_by"])
    }

    public func creator(userId: Int64) async throws -> CreatorRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT user_id, name, status, created_at, decided_by FROM creators WHERE user_id = ?", arguments: [userId])
                .map(Self.creator)
        }
    }

    /// Adds a creator with `status` unless they already have an account; returns the account as stored.
    public func addCreator(userId: Int64, name: String?, status: CreatorRecord.Status, now: Double) async throws -> (CreatorRecord, inserted: Bool) {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO creators (user_id, name, status, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [userId, name, status.rawValue, now])
            let inserted = db.changesCount > 0
            let row = try Row.fetchOne(db, sql: "SELECT user_id, name, status, created_at, decided_by FROM creators WHERE user_id = ?", arguments: [userId])
            return (row.map(Self.creator) ?? CreatorRecord(userId: userId, name: name, status: status, createdAt: now), inserted)
        }
    }

    /// An admin's decision on a pending creator: true when it was pending (and now is not).
    public func decideCreator(userId: Int64, approve: Bool, by admin: Int64, now: Double) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE creators SET status = ?, decided_by = ?, decided_at = ? WHERE user_id = ? AND status = 'pending'",
                           arguments: [approve ? "active" : "rejected", admin, now, userId])
            return db.changesCount > 0
        }
    }

    /// Every connected course bot, oldest first.
    public func connectedBots() async throws -> [ConnectedBot] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT bot_id, token, username, course_slug, connected_by, connected_at FROM connected_bots ORDER BY connected_at, bot_id")
                .map {
                    ConnectedBot(botId: $0["bot_id"], token: $0["token"], username: $0["username"], courseSlug: $0["course_slug"],
                                 connectedBy: $0["connected_by"], connectedAt: $0["connected_at"])
                }
        }
    }

    /// Stores a connected bot; false when this bot (or token) is already connected. With an
    /// `actionKey` (the desk job's step), the same transaction records the step as applied, uses
    /// up the creator's Connect request and writes the audit line, so a replay knows it happened.
    public func connectBot(_ bot: ConnectedBot, actionKey: String? = nil, audit: (action: String, details: String)? = nil, now: Double = 0) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO connected_bots (bot_id, token, username, course_slug, connected_by, connected_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [bot.botId, bot.token, bot.username, bot.courseSlug, bot.connectedBy, bot.connectedAt])
            guard db.changesCount > 0 else { return false }
            if let actionKey { _ = try JobTables.markApplied(actionKey, now: now, db: db) }
            try db.execute(sql: "DELETE FROM managed_bot_requests WHERE user_id = ?", arguments: [bot.connectedBy])
            if let audit {
                try db.execute(
                    sql: "INSERT INTO audit_log (at, actor_id, action, subject, details) VALUES (?, ?, ?, ?, ?)",
                    arguments: [now, bot.connectedBy, audit.action, bot.courseSlug, audit.details])
            }
            return true
        }
    }

    /// Forgets a connected bot; true when it was there.
    public func disconnectBot(botId: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM connected_bots WHERE bot_id = ?", arguments: [botId])
            return db.changesCount > 0
        }
    }

    /// Courses whose published flag was set in the manager bot (absent: published).
    public func publishFlags() async throws -> [String: Bool] {
        try await pool.read { db in
            var flags: [String: Bool] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT course_slug, published FROM course_flags") {
                flags[row["course_slug"]] = row["published"]
            }
            return flags
        }
    }

    public func setPublished(courseSlug: String, _ published: Bool, now: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO course_flags (course_slug, published, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (course_slug) DO UPDATE SET published = excluded.published, updated_at = excluded.updated_at
                """, arguments: [courseSlug, published, now])
        }
    }

    /// The audit log, oldest first.
    public func auditLog() async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT at, actor_id, action, subject, details FROM audit_log ORDER BY id").map {
                AuditEntry(at: $0["at"], actorId: $0["actor_id"], action: $0["action"], subject: $0["subject"], details: $0["details"])
            }
        }
    }
}
