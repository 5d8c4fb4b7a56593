import GRDB

/// The tables of one course database beyond chat data: the course itself, enrollments and
/// progress by step id (so progress survives edits and reordering), quiz answers and passes,
/// and assignment submissions with their review.
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
        migrator.registerMigration("course-v2") { db in
            try db.execute(sql: """
                CREATE TABLE quiz_answers (
                    user_id INTEGER NOT NULL,
                    step_id TEXT NOT NULL,
                    pass INTEGER NOT NULL,
                    question INTEGER NOT NULL,
                    correct INTEGER NOT NULL,
                    answered_at REAL NOT NULL,
                    PRIMARY KEY (user_id, step_id, pass, question)
                );
                CREATE TABLE quiz_passes (
                    user_id INTEGER NOT NULL,
                    step_id TEXT NOT NULL,
                    pass INTEGER NOT NULL,
                    score INTEGER NOT NULL,
                    questions INTEGER NOT NULL,
                    passed INTEGER NOT NULL,
                    finished_at REAL NOT NULL,
                    PRIMARY KEY (user_id, step_id, pass)
                );
                CREATE TABLE submissions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id INTEGER NOT NULL,
                    chat_id INTEGER NOT NULL,
                    user_name TEXT NOT NULL DEFAULT '',
                    step_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    text TEXT,
                    file_id TEXT,
                    file_name TEXT,
                    file_size INTEGER,
                    local_path TEXT,
                    file_status TEXT,
                    download_attempts INTEGER NOT NULL DEFAULT 0,
                    download_error TEXT,
                    status TEXT NOT NULL,
                    comment TEXT,
                    reviewer_id INTEGER,
                    created_at REAL NOT NULL,
                    decided_at REAL,
                    notified_at REAL
                );
                CREATE INDEX submissions_status ON submissions (status, notified_at);
                CREATE INDEX submissions_files ON submissions (file_status);
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

    /// Quiz answers and passes: keyed by (user, step, pass, question), so a replay never counts twice.
    static func write(answers: [QuizAnswerRow], passes: [QuizPassRow], db: Database) throws {
        for row in answers {
            try db.execute(sql: """
                INSERT OR IGNORE INTO quiz_answers (user_id, step_id, pass, question, correct, answered_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [row.userId, row.stepId, row.pass, row.question, row.correct, row.answeredAt])
        }
        for row in passes {
            try db.execute(sql: """
                INSERT OR IGNORE INTO quiz_passes (user_id, step_id, pass, score, questions, passed, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [row.userId, row.stepId, row.pass, row.score, row.questions, row.passed, row.finishedAt])
        }
    }

    /// New submissions: pending (creator review) or approved at once (auto review); files wait for download.
    static func write(submissions: [NewSubmissionRow], db: Database) throws {
        for row in submissions {
            try db.execute(sql: """
                INSERT INTO submissions (user_id, chat_id, user_name, step_id, kind, text, file_id, file_name, file_size,
                    file_status, status, created_at, decided_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    row.userId, row.chatId, row.userName, row.stepId, row.kind, row.text, row.fileId, row.fileName, row.fileSize,
                    row.fileId == nil ? nil : "downloading", row.autoApproved ? "approved" : "pending", row.createdAt,
                    row.autoApproved ? row.createdAt : nil,
                ])
        }
    }
}
