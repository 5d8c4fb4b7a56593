import GRDB

/// Tables of broadcasts to a course's students: in every chat database (course and platform)
/// the outbox rows of a broadcast carry its id and each finished row leaves its outcome
/// (delivered, blocked by the user, failed); in the platform database, the broadcast itself.
enum BroadcastTables {
    /// Registered by `ChatTables`, so every database with an outbox has the column.
    static func registerChat(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("chat-broadcast-v1") { db in
            try db.execute(sql: """
                ALTER TABLE outbox ADD COLUMN broadcast_id INTEGER;
                CREATE INDEX outbox_plain ON outbox (bot_id, status, id) WHERE broadcast_id IS NULL;
                CREATE INDEX outbox_broadcast ON outbox (bot_id, status, id) WHERE broadcast_id IS NOT NULL;
                CREATE TABLE broadcast_outcomes (
                    broadcast_id INTEGER NOT NULL,
                    chat_id INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    at REAL NOT NULL,
                    PRIMARY KEY (broadcast_id, chat_id)
                );
                """)
        }
    }

    static func registerPlatform(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("platform-broadcast-v1") { db in
            try db.execute(sql: """
                CREATE TABLE broadcasts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    course_slug TEXT NOT NULL,
                    creator_id INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    locale TEXT NOT NULL DEFAULT 'en',
                    status_chat_id INTEGER,
                    status_message_id INTEGER,
                    total INTEGER NOT NULL DEFAULT 0,
                    delivered INTEGER NOT NULL DEFAULT 0,
                    blocked INTEGER NOT NULL DEFAULT 0,
                    failed INTEGER NOT NULL DEFAULT 0,
                    finished_at REAL
                );
                """)
        }
    }
}
