import Foundation
import Storage
import Testing

/// The durable jobs of the platform database: written with the batch that asks for them, once
/// per idempotency key, run one per lane in order, completed together with their outbox rows.
@Suite("Job tables")
struct JobTablesTests {
    static func job(_ key: String, lane: String = "chat:1", kind: String = "desk.event") -> NewJobRow {
        NewJobRow(kind: kind, lane: lane, payload: Data("{\"key\":\"\(key)\"}".utf8), idempotencyKey: key)
    }

    @Test("a batch writes its jobs in the same transaction as its update ids; a replayed batch writes none twice")
    func batchWritesJobs() async throws {
        let dataDir = StorageTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let platform = try PlatformStore.open(dataDir: dataDir)
        var batch = BatchCommit(botId: 9, processedUpdateIds: [1, 2])
        batch.jobs = [Self.job("desk:9:1"), Self.job("desk:9:2")]
        try await platform.chats.commit(batch, now: 10)
        try await platform.chats.commit(batch, now: 11)
        let jobs = try await platform.jobs()
        #expect(jobs.map(\.idempotencyKey) == ["desk:9:1", "desk:9:2"])
        #expect(jobs.allSatisfy { $0.status == .pending && $0.attempts == 0 && $0.notBefore == 0 })
        #expect(try await platform.chats.processedCount(botId: 9) == 2)
    }

    @Test("due jobs: the oldest pending one of each lane, once its time came; completion writes outbox rows in one go")
    func dueAndComplete() async throws {
        let dataDir = StorageTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let platform = try PlatformStore.open(dataDir: dataDir)
        try await platform.enqueueJobs([Self.job("a1", lane: "a"), Self.job("a2", lane: "a"), Self.job("b1", lane: "b")], now: 1)
        var due = try await platform.dueJobs(now: 5)
        #expect(due.map(\.idempotencyKey) == ["a1", "b1"])

        // a1 fails for now: a2 waits behind it, b1 runs.
        try await platform.retryJob(id: due[0].id, notBefore: 100, error: "500 Internal Server Error", now: 5)
        due = try await platform.dueJobs(now: 6)
        #expect(due.map(\.idempotencyKey) == ["b1"])
        #expect(try await platform.nextJobTime() == 0)

        let reply = NewOutboxRow(chatId: 1, method: "sendMessage", payload: Data("{\"chat_id\":1,\"text\":\"hi\"}".utf8))
        try await platform.completeJob(id: due[0].id, botId: 9, outbox: [reply], next: [Self.job("b2", lane: "b")], now: 6)
        #expect(try await platform.chats.pendingCount(botId: 9) == 1)
        due = try await platform.dueJobs(now: 7)
        #expect(due.map(\.idempotencyKey) == ["b2"])
        #expect(try await platform.dueJobs(now: 100).map(\.idempotencyKey) == ["a1", "b2"])

        let a1 = try #require(try await platform.jobs().first { $0.idempotencyKey == "a1" })
        #expect(a1.attempts == 1 && a1.lastError == "500 Internal Server Error" && a1.notBefore == 100)
        let b1 = try #require(try await platform.jobs().first { $0.idempotencyKey == "b1" })
        #expect(b1.status == .done && b1.payload.isEmpty, "a done job keeps no payload (it may hold a pasted token)")

        try await platform.failJob(id: a1.id, error: "refused", botId: 9, outbox: [reply], now: 101)
        let failed = try #require(try await platform.jobs().first { $0.idempotencyKey == "a1" })
        #expect(failed.status == .failed && failed.attempts == 2 && failed.lastError == "refused")
        #expect(try await platform.dueJobs(now: 200).map(\.idempotencyKey) == ["a2", "b2"])
        #expect(try await platform.chats.pendingCount(botId: 9) == 2)
    }

    @Test("an applied action is recorded once, with its audit line in the same transaction")
    func appliedActions() async throws {
        let dataDir = StorageTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let platform = try PlatformStore.open(dataDir: dataDir)
        #expect(try await !platform.wasApplied("desk:9:5:audit:course.create"))
        #expect(try await platform.markApplied("desk:9:5:audit:course.create", audit: (501, "course.create", "demo", "Demo"), now: 1))
        #expect(try await !platform.markApplied("desk:9:5:audit:course.create", audit: (501, "course.create", "demo", "Demo"), now: 2))
        #expect(try await platform.wasApplied("desk:9:5:audit:course.create"))
        #expect(try await platform.auditLog().filter { $0.action == "course.create" }.count == 1)

        let course = try CourseStore.open(dataDir: dataDir, slug: "demo")
        let source = AuthoredSource(yaml: "slug: demo\n", nextStep: 2)
        #expect(try await course.saveAuthoredSource(source, actionKey: "desk:9:6:course.update", now: 1))
        let changed = AuthoredSource(yaml: "slug: demo\ntitle: twice\n", nextStep: 3)
        #expect(try await !course.saveAuthoredSource(changed, actionKey: "desk:9:6:course.update", now: 2))
        #expect(try await course.authoredSource() == source, "a replayed change is not applied again")
        #expect(try await course.sourceBefore(actionKey: "desk:9:6:course.update") == nil, "there was nothing before")
        #expect(try await course.saveAuthoredSource(changed, actionKey: "desk:9:7:course.update", now: 3))
        #expect(try await course.sourceBefore(actionKey: "desk:9:7:course.update") == source, "what a replay decides from")
        #expect(try await course.authoredSource() == changed)
    }
}
