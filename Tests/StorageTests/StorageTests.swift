import Foundation
import Storage
import Testing

@Suite("Storage")
struct StorageTests {
    static func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "gongbu-storage-" + UUID().uuidString
    }

    @Test("databases are created with numbered migrations, in WAL mode")
    func createsDatabases() async throws {
        let dataDir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let platform = try PlatformStore.open(dataDir: dataDir)
        let course = try CourseStore.open(dataDir: dataDir, slug: "demo")
        #expect(FileManager.default.fileExists(atPath: dataDir + "/gongbu.sqlite"))
        #expect(FileManager.default.fileExists(atPath: dataDir + "/courses/demo/course.sqlite"))
        let mode = try await course.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let migrations = try await course.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        #expect(Set(migrations).isSuperset(of: ["chat-v1", "course-v1", "course-v2", "course-v3", "course-v4", "course-authoring-v1"]))
        #expect(migrations.allSatisfy { $0.hasPrefix("chat-") || $0.hasPrefix("course-") }, "only chat and course tables here")
        // Opening again runs no migration twice.
        _ = try CourseStore.open(dataDir: dataDir, slug: "demo")
        try await platform.saveOffset(botId: 1, next: 10, now: 0)
        try await platform.saveOffset(botId: 1, next: 5, now: 0)
        #expect(try await platform.offset(botId: 1) == 10, "the offset never moves backwards")
    }

    @Test("a batch commits states, update ids and outbox rows together; replays are ignored")
    func batchCommit() async throws {
        let dataDir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let chats = try CourseStore.open(dataDir: dataDir, slug: "batch").chats
        let batch = BatchCommit(
            botId: 7, processedUpdateIds: [1, 2],
            states: [ChatStateRow(chatId: 42, userId: 42, state: Data("{\"n\":1}".utf8))],
            outbox: [NewOutboxRow(chatId: 42, method: "sendMessage", payload: Data("{}".utf8))],
            progress: [ProgressRow(userId: 42, stepId: "intro", doneAt: 1)],
            enrollments: [EnrollmentRow(userId: 42, chatId: 42, locale: "en", enrolledAt: 1)])
        try await chats.commit(batch, now: 1)
        #expect(try await chats.processedIds(botId: 7, among: [1, 2, 3]) == [1, 2])
        #expect(try await chats.pendingCount(botId: 7) == 1)
        let row = try #require(try await chats.pendingOutbox(botId: 7, after: 0).rows.first)
        try await chats.settleOutbox([OutboxSettlement(row, .retry(notBefore: 100, error: "429"))], botId: 7, now: 2)
        #expect(try await chats.pendingOutbox(botId: 7, after: 0).rows.first?.attempts == 1)
        try await chats.settleOutbox([OutboxSettlement(row, .delivered)], botId: 7, now: 3)
        #expect(try await chats.pendingCount(botId: 7) == 0)
    }

    @Test("an unwritable data directory is a clear error, not a crash")
    func unwritableDirectory() throws {
        let file = Self.temporaryDirectory()
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect {
            _ = try PlatformStore.open(dataDir: file + "/data")
        } throws: { error in
            guard let error = error as? StorageError else { return false }
            return error.code == .unwritableDirectory && error.description.contains(file)
        }
    }

    @Test("a corrupt database is a clear error naming the file")
    func corruptDatabase() throws {
        let dataDir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: dataDir + "/gongbu.sqlite"))
        #expect {
            _ = try PlatformStore.open(dataDir: dataDir)
        } throws: { error in
            guard let error = error as? StorageError else { return false }
            return error.code == .corruptDatabase && error.description.contains("gongbu.sqlite")
        }
    }
}
