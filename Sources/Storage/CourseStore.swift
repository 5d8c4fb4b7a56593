import Foundation
import GRDB

/// One course's database, `data/courses/<slug>/course.sqlite`: the course, its students'
/// enrollments, progress and chat states, and its bot's outbox.
public struct CourseStore: Sendable {
    public let slug: String
    public let path: String
    let database: LazyDatabase

    /// The connection, opened on first use.
    var queue: DatabaseQueue {
        get throws { try database.queue() }
    }

    /// The course bot's chat data in this database.
    public var chats: ChatStore { ChatStore(database: database) }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        ChatTables.register(in: &migrator)
        CourseTables.register(in: &migrator)
        PaymentTables.registerCourse(in: &migrator)
        ReminderTables.register(in: &migrator)
        AuthoringTables.registerCourse(in: &migrator)
        return migrator
    }

    /// Opens (creating and migrating) the database of course `slug` under `dataDir`.
    public static func open(dataDir: String, slug: String) throws(StorageError) -> CourseStore {
        let path = DataPaths(dataDir: dataDir).courseDatabase(slug: slug)
        let database = LazyDatabase(path: path, migrator: migrator)
        _ = try database.queue()
        return CourseStore(slug: slug, path: path, database: database)
    }

    /// Closes the connection until the next use, if nothing waits in it (no outbox row, no
    /// pending submission, no file to download): an idle course bot then holds no connection, and
    /// the background jobs that skip closed databases miss nothing. True when closed.
    @discardableResult
    public func closeIfQuiet() async throws -> Bool {
        let quiet = try await queue.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM outbox WHERE status = 'pending')
                     + (SELECT count(*) FROM submissions WHERE status = 'pending' OR file_status = 'downloading')
                     + (SELECT count(*) FROM payments WHERE ledgered_at IS NULL)
                """) ?? 1
        } == 0
        if quiet { database.close() }
        return quiet
    }

    public var isOpen: Bool { database.isOpen }

    /// Stores the course definition loaded at start (JSON of the course value).
    public func saveDefinition(_ definition: Data, now: Double) async throws {
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO course (id, slug, definition, loaded_at) VALUES (1, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, definition = excluded.definition, loaded_at = excluded.loaded_at
                """, arguments: [slug, definition, now])
        }
    }

    public func definition() async throws -> Data? {
        try await queue.read { db in
            try Data.fetchOne(db, sql: "SELECT definition FROM course WHERE id = 1")
        }
    }

    /// Step ids each student has done, by user id.
    public func progress() async throws -> [Int64: Set<String>] {
        try await queue.read { db in
            var result: [Int64: Set<String>] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT user_id, step_id FROM progress")
            while let row = try rows.next() {
                result[row["user_id"], default: []].insert(row["step_id"])
            }
            return result
        }
    }

    /// Number of enrolled students.
    public func studentCount() async throws -> Int {
        try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM enrollments") ?? 0 }
    }

    /// Runs a read-only query (export, statistics).
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await queue.read(body)
    }
}

/// Where Gongbu keeps its files under the data directory (contract §6).
public struct DataPaths: Sendable {
    public let dataDir: String

    public init(dataDir: String) {
        self.dataDir = dataDir
    }

    public var platformDatabase: String { (dataDir as NSString).appendingPathComponent("gongbu.sqlite") }

    public func courseFolder(slug: String) -> String {
        ((dataDir as NSString).appendingPathComponent("courses") as NSString).appendingPathComponent(slug)
    }

    public func courseDatabase(slug: String) -> String {
        (courseFolder(slug: slug) as NSString).appendingPathComponent("course.sqlite")
    }

    public func courseFiles(slug: String) -> String {
        (courseFolder(slug: slug) as NSString).appendingPathComponent("files")
    }
}
