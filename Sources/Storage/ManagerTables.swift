import GRDB

/// The platform tables of the manager bot's creator features: creators' names and who
/// approved them, course bots connected from Telegram (their tokens live only here), and
/// whether each course is published.
enum ManagerTables {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("platform-manager-v1") { db in
            try db.execute(sql: """
                ALTER TABLE creators ADD COLUMN name TEXT;
                ALTER TABLE creators ADD COLUMN decided_by INTEGER;
                ALTER TABLE creators ADD COLUMN decided_at REAL;
                CREATE TABLE connected_bots (
                    bot_id INTEGER PRIMARY KEY,
                    token TEXT NOT NULL UNIQUE,
                    username TEXT,
                    course_slug TEXT NOT NULL,
                    connected_by INTEGER NOT NULL,
                    connected_at REAL NOT NULL
                );
                CREATE TABLE course_flags (
                    course_slug TEXT PRIMARY KEY,
                    published INTEGER NOT NULL,
                    updated_at REAL NOT NULL
                );
                """)
        }
        ManagedBotTables.register(in: &migrator)
        SummaryTables.register(in: &migrator)
    }
}
