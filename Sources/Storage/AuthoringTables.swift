import GRDB

/// The tables of courses built in the manager bot: in the platform database, which courses were
/// authored and by whom, and each creator's open editor dialog (so a restart keeps it); in the
/// course database, the course as course.yaml text and the next step number (ids never reused).
enum AuthoringTables {
    static func registerPlatform(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("platform-authoring-v1") { db in
            try db.execute(sql: """
                CREATE TABLE authored_courses (
                    slug TEXT PRIMARY KEY,
                    creator_id INTEGER NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE TABLE editor_sessions (
                    user_id INTEGER PRIMARY KEY,
                    state BLOB NOT NULL,
                    updated_at REAL NOT NULL
                );
                """)
        }
    }

    static func registerCourse(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("course-authoring-v1") { db in
            try db.execute(sql: """
                CREATE TABLE course_source (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    yaml TEXT NOT NULL,
                    next_step INTEGER NOT NULL,
                    updated_at REAL NOT NULL
                );
                """)
        }
        JobTables.registerCourse(in: &migrator)
    }
}
