import Foundation
import GRDB

/// Opens SQLite files the way Gongbu wants them: WAL, a busy timeout, foreign keys,
/// migrations run at start, and a readable `StorageError` for every failure.
enum DatabaseOpener {
    static func configuration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return config
    }

    /// Creates the folder of `path` (with a clear error when it cannot be written).
    static func ensureDirectory(for path: String) throws(StorageError) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StorageError(code: .unwritableDirectory, path: folder, message: "cannot create the data directory: \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw StorageError(code: .unwritableDirectory, path: folder, message: "the data directory is not writable")
        }
    }

    /// A WAL database pool at `path`, migrated.
    static func openPool(path: String, migrator: DatabaseMigrator) throws(StorageError) -> DatabasePool {
        try ensureDirectory(for: path)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration())
        } catch {
            throw openingError(error, path: path)
        }
        try migrate(pool, path: path, migrator: migrator)
        return pool
    }

    /// A single-connection WAL database at `path`, migrated (cheap for many idle course databases).
    static func openQueue(path: String, migrator: DatabaseMigrator) throws(StorageError) -> DatabaseQueue {
        try ensureDirectory(for: path)
        var config = configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw openingError(error, path: path)
        }
        try migrate(queue, path: path, migrator: migrator)
        return queue
    }

    private static func migrate(_ writer: some DatabaseWriter, path: String, migrator: DatabaseMigrator) throws(StorageError) {
        do {
            try writer.read { db in
                // Reading the schema is the first thing that notices a file that is not a database.
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
            }
        } catch {
            throw openingError(error, path: path)
        }
        do {
            try migrator.migrate(writer)
        } catch {
            throw StorageError(code: .migrationFailed, path: path, message: "migration failed: \(error)")
        }
    }

    private static func openingError(_ error: any Error, path: String) -> StorageError {
        if let db = error as? DatabaseError, db.resultCode == .SQLITE_NOTADB || db.resultCode == .SQLITE_CORRUPT {
            return StorageError(code: .corruptDatabase, path: path, message: "the file is not a valid SQLite database (corrupt?): move it away or restore a backup")
        }
        if let db = error as? DatabaseError, db.resultCode == .SQLITE_CANTOPEN || db.resultCode == .SQLITE_READONLY {
            return StorageError(code: .unwritableDirectory, path: path, message: "cannot open the database for writing")
        }
        return StorageError(code: .corruptDatabase, path: path, message: "cannot open the database: \(error)")
    }
}
