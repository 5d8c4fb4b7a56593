import Foundation
import Storage
import Testing

/// Subscription checks are stored with the payment that sets an access end, come due in order,
/// and are delivered once: a check already done writes nothing again.
@Suite("Subscription reminders storage")
struct ReminderTablesTests {
    @Test("a subscription payment stores its 3-day, 1-day and end checks; each applies once")
    func checksApplyOnce() async throws {
        let dataDir = NSTemporaryDirectory() + "gongbu-reminders-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let store = try CourseStore.open(dataDir: dataDir, slug: "club")
        let end = 10_000_000.0
        var batch = BatchCommit(botId: 7)
        batch.payments = [
            CoursePaymentRow(chargeId: "c1", userId: 42, chatId: 42, item: "plan", amount: 100, currency: "XTR", providerChargeId: nil, expiresAt: end, paidAt: 1),
            CoursePaymentRow(chargeId: "c2", userId: 43, chatId: 43, item: "course", amount: 250, currency: "XTR", providerChargeId: nil, expiresAt: nil, paidAt: 1),
        ]
        try await store.chats.commit(batch, now: 1)
        // The same payment again (a replay) schedules nothing more.
        try await store.chats.commit(batch, now: 2)
        #expect(try await store.nextReminder() == end - 3 * 86_400)
        #expect(try await store.dueReminders(now: end - 3 * 86_400 - 1).isEmpty)
        let due = try await store.dueReminders(now: end)
        #expect(due.map(\.dueAt) == [end - 3 * 86_400, end - 86_400, end])
        #expect(due.allSatisfy { $0.userId == 42 && $0.chatId == 42 })

        let first = try #require(due.first)
        let applied = try await store.applyReminder(first, botId: 7, now: 5) { stored in
            #expect(stored == nil)
            var batch = BatchCommit(botId: 7)
            batch.states = [ChatStateRow(chatId: 42, userId: 42, state: Data("{}".utf8))]
            return batch
        }
        #expect(applied)
        let again = try await store.applyReminder(first, botId: 7, now: 6) { _ in
            Issue.record("a done check was delivered again")
            return BatchCommit(botId: 7)
        }
        #expect(!again)
        #expect(try await store.dueReminders(now: end).map(\.dueAt) == [end - 86_400, end])
        #expect(try await store.nextReminder() == end - 86_400)
    }
}
