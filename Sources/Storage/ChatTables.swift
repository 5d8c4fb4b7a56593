import GRDB

/// The tables every bot needs, in the database that holds its chats (a course database for a
/// course bot, the platform database for the manager bot): chat states, processed update ids,
/// the outbox and the media file_id cache. Created by numbered migrations.
enum ChatTables {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("chat-v1") { db in
            try db.execute(sql: """
                CREATE TABLE chat_states (
                    bot_id INTEGER NOT NULL,
                    chat_id INTEGER NOT NULL,
                    user_id INTEGER NOT NULL,
                    state BLOB NOT NULL,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY (bot_id, chat_id)
                );
                CREATE TABLE processed_updates (
                    bot_id INTEGER NOT NULL,
                    update_id INTEGER NOT NULL,
                    processed_at REAL NOT NULL,
                    PRIMARY KEY (bot_id, update_id)
                );
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    bot_id INTEGER NOT NULL,
                    chat_id INTEGER NOT NULL,
                    method TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    media_path TEXT,
                    media_field TEXT,
                    urgent INTEGER NOT NULL DEFAULT 0,
                    not_before REAL NOT NULL DEFAULT 0,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    status TEXT NOT NULL DEFAULT 'pending',
                    last_error TEXT,
                    update_id INTEGER,
                    created_at REAL NOT NULL
                );
                CREATE INDEX outbox_pending ON outbox (bot_id, status, id);
                CREATE TABLE media_cache (
                    bot_id INTEGER NOT NULL,
                    path TEXT NOT NULL,
                    signature TEXT NOT NULL,
                    file_id TEXT NOT NULL,
                    PRIMARY KEY (bot_id, path)
                );
                CREATE TABLE blocked_chats (
                    bot_id INTEGER NOT NULL,
                    chat_id INTEGER NOT NULL,
                    blocked_at REAL NOT NULL,
                    PRIMARY KEY (bot_id, chat_id)
                );
                """)
        }
        BroadcastTables.registerChat(in: &migrator)
    }
}
