import GRDB

/// The tables of one course database beyond chat data: the course itself, enrollments and
/// progress by step id (so progress survives edits and reordering).
enum CourseTables {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("course-v1") { db in
            try db.execute(sql: """
                CREATE TABLE course (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    slug TEXT NOT NULL,
                    definition BLOB NOT NULL,
                    loaded_at REAL NOT NULL
                );
                CREATE TABLE enrollments (
                    user_id INTEGER PRIMARY KEY,
                    chat_id INTEGER NOT NULL,
                    locale TEXT,
                    enrolled_at REAL NOT NULL,
                    completed_at REAL
                );
                CREATE TABLE progress (
                    user_id INTEGER NOT NULL,
                    step_id TEXT NOT NULL,
                    done_at REAL NOT NULL,
                    score INTEGER,
                    PRIMARY KEY (user_id, step_id)
                );
                """)
        }
    }

    static func write(progress: [ProgressRow], enrollments: [EnrollmentRow], db: Database) throws {
        for row in enrollments {
            try db.execute(sql: """
                INSERT INTO enrollments (user_id, chat_id, locale, enrolled_at, completed_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET locale = excluded.locale,
                    completed_at = coalesce(enrollments.completed_at, excluded.completed_at)
                """, arguments: [row.userId, row.chatId, row.locale, row.enrolledAt, row.completedAt])
        }
        for row in progress {
            try db.execute(sql: """
                INSERT INTO progress (user_id, step_id, done_at, score) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, step_id) DO UPDATE SET score = coalesce(excluded.score, progress.score)
                """, arguments: [row.userId, row.stepId, row.doneAt, row.score])
        }
    }
}
