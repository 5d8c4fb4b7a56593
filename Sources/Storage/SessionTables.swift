import GRDB

/// The platform tables of the web workspace's sessions (contract §9): session tokens revoked
/// before they expire (`POST /auth/logout`, `POST /auth/refresh`), and the hashes of Mini App
/// sign-in payloads already exchanged, so a replayed `initData` is refused. Rows are kept until
/// the token or payload would have expired anyway. The signing secret lives in `settings`.
enum SessionTables {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("platform-sessions-v1") { db in
            try db.execute(sql: """
                CREATE TABLE revoked_sessions (
                    session_id TEXT PRIMARY KEY,
                    expires_at REAL NOT NULL
                );
                CREATE TABLE used_sign_ins (
                    hash TEXT PRIMARY KEY,
                    expires_at REAL NOT NULL
                );
                CREATE TABLE archived_courses (
                    course_slug TEXT PRIMARY KEY,
                    archived_at REAL NOT NULL
                );
                """)
        }
    }
}
