import GRDB

/// The platform tables of Managed Bots (Bot API 9.6+): which connected course bots were created
/// through the manager bot (so their tokens can be fetched and rotated with
/// `getManagedBotToken` / `replaceManagedBotToken`), and which course each creator was
/// connecting when they were offered the "create a bot" button (kept across restarts, as the
/// `managed_bot` update names only the creator and the bot).
enum ManagedBotTables {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("platform-managed-bots-v1") { db in
            try db.execute(sql: """
                CREATE TABLE managed_bots (
                    bot_id INTEGER PRIMARY KEY,
                    owner_id INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    token_updated_at REAL NOT NULL
                );
                CREATE TABLE managed_bot_requests (
                    user_id INTEGER PRIMARY KEY,
                    course_slug TEXT NOT NULL,
                    requested_at REAL NOT NULL
                );
                """)
        }
    }
}

/// The platform table of creators' daily payment summaries: when each creator was last sent one
/// (the next covers the payments recorded after it), so a restart never sends one twice.
enum SummaryTables {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("platform-summary-v1") { db in
            try db.execute(sql: """
                CREATE TABLE creator_summaries (
                    creator_id INTEGER PRIMARY KEY,
                    last_summary_at REAL NOT NULL
                );
                """)
        }
    }
}
