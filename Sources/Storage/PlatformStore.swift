import Foundation
import GRDB

/// The platform database, `data/gongbu.sqlite`: bots, update offsets, creators, the audit log,
/// and the manager bot's chat data.
public struct PlatformStore: Sendable {
    public let path: String
    let pool: DatabasePool

    /// The manager bot's chat data.
    public var chats: ChatStore { ChatStore(writer: pool, path: path) }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        ChatTables.register(in: &migrator)
        migrator.registerMigration("platform-v1") { db in
            try db.execute(sql: """
                CREATE TABLE bots (
                    bot_id INTEGER PRIMARY KEY,
                    username TEXT,
                    course_slug TEXT,
                    updated_at REAL NOT NULL
                );
                CREATE TABLE update_offsets (
                    bot_id INTEGER PRIMARY KEY,
                    next_offset INTEGER NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE TABLE creators (
                    user_id INTEGER PRIMARY KEY,
                    status TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at REAL NOT NULL,
                    actor_id INTEGER,
                    action TEXT NOT NULL,
                    subject TEXT,
                    details TEXT
                );
                """)
        }
        ReviewTables.register(in: &migrator)
        PaymentTables.registerPlatform(in: &migrator)
        ManagerTables.register(in: &migrator)
        BroadcastTables.registerPlatform(in: &migrator)
        AuthoringTables.registerPlatform(in: &migrator)
        JobTables.register(in: &migrator)
        BroadcastDraftTables.register(in: &migrator)
        SessionTables.register(in: &migrator)
        return migrator
    }

    /// Opens (creating and migrating) `data/gongbu.sqlite` under `dataDir`.
    public static func open(dataDir: String) throws(StorageError) -> PlatformStore {
        let path = DataPaths(dataDir: dataDir).platformDatabase
        let pool = try DatabaseOpener.openPool(path: path, migrator: migrator)
        return PlatformStore(path: path, pool: pool)
    }

    /// The offset to pass to the next getUpdates of this bot (nil: never polled).
    public func offset(botId: Int64) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT next_offset FROM update_offsets WHERE bot_id = ?", arguments: [botId])
        }
    }

    /// Saves the offset after a batch is committed; never moves it backwards.
    public func saveOffset(botId: Int64, next: Int64, now: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO update_offsets (bot_id, next_offset, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (bot_id) DO UPDATE SET next_offset = max(next_offset, excluded.next_offset), updated_at = excluded.updated_at
                """, arguments: [botId, next, now])
        }
    }

    /// Records a running bot (for health, statistics and the manager bot).
    public func registerBot(botId: Int64, username: String?, courseSlug: String?, now: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO bots (bot_id, username, course_slug, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (bot_id) DO UPDATE SET username = coalesce(excluded.username, bots.username),
                    course_slug = excluded.course_slug, updated_at = excluded.updated_at
                """, arguments: [botId, username, courseSlug, now])
        }
    }

    /// Appends to the audit log: who did what, when.
    public func audit(actorId: Int64?, action: String, subject: String?, details: String?, now: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO audit_log (at, actor_id, action, subject, details) VALUES (?, ?, ?, ?, ?)", arguments: [now, actorId, action, subject, details])
        }
    }
}
