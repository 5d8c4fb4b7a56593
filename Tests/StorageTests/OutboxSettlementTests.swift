import Foundation
import Storage
import Testing

/// The durable half of the sender's schedule: rows handed back by the commit, loaded by id,
/// and settled many at a time.
@Suite("Outbox rows and settlements")
struct OutboxSettlementTests {
    static func message(_ chat: Int64, _ text: String) -> NewOutboxRow {
        NewOutboxRow(chatId: chat, method: "sendMessage", payload: Data("{\"chat_id\":\(chat),\"text\":\"\(text)\"}".utf8))
    }

    @Test("a commit returns its rows with their ids; loading by id skips the rows already held")
    func commitAndLoad() async throws {
        let dataDir = StorageTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let chats = try CourseStore.open(dataDir: dataDir, slug: "load").chats
        let written = try await chats.commit(BatchCommit(botId: 7, outbox: [Self.message(1, "a"), Self.message(2, "b"), Self.message(1, "c")]), now: 1)
        #expect(written.map(\.chatId) == [1, 2, 1])
        #expect(written.map(\.id) == [written[0].id, written[0].id + 1, written[0].id + 2], "one transaction's ids follow each other")
        let all = try await chats.pendingOutbox(botId: 7, after: 0)
        #expect(all.rows == written, "what the commit handed over is what the table holds")
        #expect(all.highest == written.last?.id)
        let rest = try await chats.pendingOutbox(botId: 7, after: 0, excluding: [written[0].id, written[2].id])
        #expect(rest.rows.map(\.id) == [written[1].id])
        #expect(try await chats.pendingOutbox(botId: 8, after: 0).rows.isEmpty, "another bot's rows are not loaded")
        #expect(try await chats.pendingOutbox(botId: 7, after: written[2].id).rows.isEmpty)
    }

    @Test("ids are never reused after the newest row is deleted")
    func monotonicIds() async throws {
        let dataDir = StorageTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let chats = try CourseStore.open(dataDir: dataDir, slug: "ids").chats
        let first = try await chats.commit(BatchCommit(botId: 7, outbox: [Self.message(1, "a")]), now: 1)
        try await chats.settleOutbox([OutboxSettlement(first[0], .delivered)], botId: 7, now: 2)
        #expect(try await chats.pendingCount(botId: 7) == 0)
        let second = try await chats.commit(BatchCommit(botId: 7, outbox: [Self.message(1, "b")]), now: 3)
        #expect(second[0].id > first[0].id)
        #expect(try await chats.pendingOutbox(botId: 7, after: first[0].id).rows.map(\.id) == [second[0].id])
    }

    @Test("one transaction settles delivered, refused, blocked and retried rows, broadcast outcomes included")
    func settleMany() async throws {
        let dataDir = StorageTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let chats = try CourseStore.open(dataDir: dataDir, slug: "settle").chats
        let rows = try await chats.commit(BatchCommit(botId: 7, outbox: [Self.message(1, "a"), Self.message(2, "b"), Self.message(3, "c")]), now: 1)
        try await chats.enqueueBroadcast(9, recipients: [(chatId: 3, botId: 7), (chatId: 4, botId: 7)], method: "sendMessage", payload: { Data("{\"chat_id\":\($0)}".utf8) }, now: 1)
        let broadcast = try await chats.pendingOutbox(botId: 7, after: rows[2].id).rows
        #expect(broadcast.map(\.broadcastId) == [9, 9])
        try await chats.settleOutbox([
            OutboxSettlement(rows[0], .delivered),
            OutboxSettlement(rows[1], .failed("400 Bad Request")),
            OutboxSettlement(rows[2], .blocked("403 Forbidden")),
            OutboxSettlement(broadcast[0], .blocked("403 Forbidden")),
            OutboxSettlement(broadcast[1], .retry(notBefore: 50, error: "502")),
        ], botId: 7, now: 5)
        let pending = try await chats.pendingOutbox(botId: 7, after: 0).rows
        #expect(pending.map(\.id) == [broadcast[1].id])
        #expect(pending.first?.attempts == 1 && pending.first?.notBefore == 50)
        #expect(try await chats.failedCount(botId: 7) == 3)
        #expect(try await chats.isBlocked(botId: 7, chatId: 3))
        #expect(try await chats.isBlocked(botId: 7, chatId: 2) == false)
        #expect(try await chats.broadcastOutcomes(9) == [3: .blocked])
        #expect(try await chats.broadcastProgress(9) == BroadcastProgress(blocked: 1, pending: 1))
    }
}
