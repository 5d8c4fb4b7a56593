import Foundation
import GRDB

/// Managed bots in the platform database: the course a creator is connecting, the bots created
/// through the manager bot, and their token changes.
extension PlatformStore {
    /// Remembers that `userId` was offered the "create a bot" button for `courseSlug` (the latest wins).
    public func requestManagedBot(userId: Int64, courseSlug: String, now: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO managed_bot_requests (user_id, course_slug, requested_at) VALUES (?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET course_slug = excluded.course_slug, requested_at = excluded.requested_at
                """, arguments: [userId, courseSlug, now])
        }
    }

    /// The course `userId` was last offered the "create a bot" button for, if not used yet.
    public func managedBotRequest(userId: Int64) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT course_slug FROM managed_bot_requests WHERE user_id = ?", arguments: [userId])
        }
    }

    /// Stores a bot created through the manager bot as a connected bot of its course and marks it
    /// managed, in one transaction that also uses up the owner's request; false when the bot (or
    /// its token) is already connected.
    /// With an `actionKey` (the desk job's step) the step is marked applied in the same transaction.
    public func connectManagedBot(_ bot: ConnectedBot, actionKey: String? = nil, now: Double) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO connected_bots (bot_id, token, username, course_slug, connected_by, connected_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [bot.botId, bot.token, bot.username, bot.courseSlug, bot.connectedBy, bot.connectedAt])
            guard db.changesCount > 0 else { return false }
            if let actionKey { _ = try JobTables.markApplied(actionKey, now: now, db: db) }
            try db.execute(sql: """
                INSERT INTO managed_bots (bot_id, owner_id, created_at, token_updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (bot_id) DO UPDATE SET owner_id = excluded.owner_id, token_updated_at = excluded.token_updated_at
                """, arguments: [bot.botId, bot.connectedBy, now, now])
            try db.execute(sql: "DELETE FROM managed_bot_requests WHERE user_id = ?", arguments: [bot.connectedBy])
            return true
        }
    }

    /// Ids of the connected bots created through the manager bot.
    public func managedBotIds() async throws -> Set<Int64> {
        try await pool.read { db in
            Set(try Int64.fetchAll(db, sql: """
                SELECT managed_bots.bot_id FROM managed_bots JOIN connected_bots ON connected_bots.bot_id = managed_bots.bot_id
                """))
        }
    }

    /// Stores a managed bot's new token (after `replaceManagedBotToken` or a `managed_bot`
    /// update); false when the bot is not connected or already has this token.
    /// With an `actionKey` (the desk job's step) the step is marked applied in the same transaction.
    public func replaceConnectedBotToken(botId: Int64, token: String, actionKey: String? = nil, now: Double) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "UPDATE connected_bots SET token = ? WHERE bot_id = ? AND token <> ?", arguments: [token, botId, token])
            guard db.changesCount > 0 else { return false }
            if let actionKey { _ = try JobTables.markApplied(actionKey, now: now, db: db) }
            try db.execute(sql: "UPDATE managed_bots SET token_updated_at = ? WHERE bot_id = ?", arguments: [now, botId])
            return true
        }
    }
}
