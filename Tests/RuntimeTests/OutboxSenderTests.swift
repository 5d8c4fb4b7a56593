import BotRuntime
import Foundation
import GongbuTesting
import Storage
import TelegramBotAPI
import Testing

/// The sender end to end through the emulator: a large backlog within the flood limits, and
/// every call (answers to queries too) waiting out the `retry_after` Telegram asked for.
@Suite("Outbox sender")
struct OutboxSenderTests {
    @Test("a 429 on answerCallbackQuery is waited out: one refused call, then the answer after retry_after")
    func answerCallbackWaitsOutRetryAfter() async throws {
        let harness = try await RuntimeHarness()
        let token = "2201:TEST-callback-429"
        let bot = harness.emulator.addBot(token: token, username: "answer_bot")
        let store = try harness.courseStore("answers")
        let running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene())))
        let alice = bot.user(id: 701, firstName: "Alice")
        _ = alice.send("hi")
        _ = try await alice.waitForMessage(containing: "echo #1", timeout: .seconds(10))
        harness.emulator.inject(.tooManyRequests(retryAfter: 2), method: "answerCallbackQuery", token: token, count: 1)
        let pressed = try alice.press("Again")
        let answer = try await alice.waitForCallbackAnswer(pressed, timeout: .seconds(10))
        #expect(answer.text == "pressed")
        let calls = bot.calls(method: "answerCallbackQuery")
        let refused = try #require(calls.first)
        #expect(!refused.succeeded)
        let beforeRetryAfter = calls.filter { $0.date < refused.date.addingTimeInterval(2) }
        #expect(beforeRetryAfter.count == 1, "calls before retry_after passed: \(beforeRetryAfter.count)")
        #expect(calls.count == 2, "one refused call, one delivered")
        #expect(calls.last?.succeeded == true)
        if let delivered = calls.last {
            #expect(delivered.date.timeIntervalSince(refused.date) >= 1.9)
        }
        try await running.stopAndWait()
        #expect(try await store.chats.pendingCount(botId: 2201) == 0)
        await harness.shutdown()
    }

    @Test("a 429 for one chat holds that chat's later rows, not the other chats'")
    func chatRetryAfterHoldsTheChat() async throws {
        let harness = try await RuntimeHarness()
        let token = "2202:TEST-chat-429"
        let bot = harness.emulator.addBot(token: token, username: "paused_bot")
        let store = try harness.courseStore("paused")
        let alice = bot.user(id: 702, firstName: "Alice")
        let bob = bot.user(id: 703, firstName: "Bob")
        let rows = [alice.chatId, alice.chatId, bob.chatId].enumerated().map { index, chat in
            NewOutboxRow(chatId: chat, method: "sendMessage", payload: Data("{\"chat_id\":\(chat),\"text\":\"m\(index)\"}".utf8))
        }
        try await store.chats.commit(BatchCommit(botId: 2202, outbox: rows), now: 1)
        harness.emulator.inject(.tooManyRequests(retryAfter: 2), method: "sendMessage", token: token, count: 1)
        // One call at a time, so the refused call is Alice's first row.
        var settings = RuntimeHarness.settings
        settings.senderConcurrency = 1
        let running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene()), settings: settings))
        _ = try await alice.waitForMessage(containing: "m1", timeout: .seconds(15))
        _ = try await bob.waitForMessage(containing: "m2", timeout: .seconds(15))
        let sends = bot.calls(method: "sendMessage")
        let refused = try #require(sends.first { !$0.succeeded })
        let toAlice = sends.filter { $0.parameters["chat_id"]?.intValue == alice.chatId }
        #expect(toAlice.count == 3, "m0 refused, m0 again, m1")
        #expect(toAlice.dropFirst().allSatisfy { $0.date >= refused.date.addingTimeInterval(1.9) }, "nothing to Alice before retry_after")
        #expect(alice.messages.compactMap(\.text) == ["m0", "m1"])
        let toBob = try #require(sends.first { $0.parameters["chat_id"]?.intValue == bob.chatId })
        #expect(toBob.date < refused.date.addingTimeInterval(1.9), "Bob's chat was not paused")
        try await running.stopAndWait()
        await harness.shutdown()
    }

    @Test("429s for two chats in one wave are the bot's flood limit: a third chat waits too")
    func floodOnSeveralChatsPausesTheBot() async throws {
        let harness = try await RuntimeHarness()
        let token = "2206:TEST-flood"
        let bot = harness.emulator.addBot(token: token, username: "flood_bot")
        let store = try harness.courseStore("flood")
        let users = (0..<3).map { bot.user(id: 710 + Int64($0), firstName: "U\($0)") }
        try await store.chats.commit(BatchCommit(botId: 2206, outbox: users.map { OutboxSettlementRows.message($0.chatId, "hello") }), now: 1)
        harness.emulator.inject(.tooManyRequests(retryAfter: 2), method: "sendMessage", token: token, count: 2)
        // Two calls at a time: the first wave is the first two chats, both refused.
        var settings = RuntimeHarness.settings
        settings.senderConcurrency = 2
        let running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene()), settings: settings))
        for user in users { _ = try await user.waitForMessage(containing: "hello", timeout: .seconds(15)) }
        try await running.stopAndWait()
        let sends = bot.calls(method: "sendMessage")
        let refused = sends.filter { !$0.succeeded }
        #expect(refused.count == 2)
        let firstRefusal = try #require(refused.map(\.date).min())
        let delivered = sends.filter(\.succeeded)
        #expect(delivered.count == 3)
        #expect(delivered.allSatisfy { $0.date >= firstRefusal.addingTimeInterval(1.9) }, "nothing went before retry_after, the third chat included")
        await harness.shutdown()
    }

    @Test("a backlog of 10,000 rows over 2,000 chats drains in order per chat with no 429")
    func largeBacklogDrains() async throws {
        let harness = try await RuntimeHarness()
        let token = "2203:TEST-backlog"
        let bot = harness.emulator.addBot(token: token, username: "backlog_bot")
        // Telegram's per-chat limit as it is; the per-bot limit raised so the test takes seconds,
        // not the six minutes 10,000 messages take at 30 a second; 500 a second keeps the machine
        // free for the tests running beside it (the sender stays under both limits).
        bot.setRateLimits(EmulatorConfiguration.RateLimits(
            perChat: EmulatorConfiguration.RateLimits.telegram.perChat,
            perBot: TokenBucketLimit(capacity: 3000, perSecond: 3000)))
        let store = try harness.courseStore("backlog")
        let chats = 2000
        let perChat = 5
        let users = (0..<chats).map { bot.user(id: 50_000 + Int64($0), firstName: "S\($0)") }
        var rows: [NewOutboxRow] = []
        for round in 0..<perChat {
            for user in users {
                rows.append(NewOutboxRow(chatId: user.chatId, method: "sendMessage", payload: Data("{\"chat_id\":\(user.chatId),\"text\":\"r\(round)\"}".utf8)))
            }
        }
        try await store.chats.commit(BatchCommit(botId: 2203, outbox: rows), now: 1)
        #expect(try await store.chats.pendingCount(botId: 2203) == chats * perChat)
        let settings = WorkerSettings(
            pollTimeout: 1, backoffBase: 0.05, backoffMax: 0.3,
            rateLimits: RateLimiter.Limits(botRate: 500, botBurst: 100, chatRate: 0.95, chatBurst: 2), senderConcurrency: 16)
        let running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene()), settings: settings))
        #expect(try await eventually(timeout: .seconds(300)) { try await store.chats.pendingCount(botId: 2203) == 0 })
        try await running.stopAndWait()
        #expect(bot.tooManyRequestsCount == 0)
        #expect(try await store.chats.failedCount(botId: 2203) == 0)
        let expected = (0..<perChat).map { "r\($0)" }
        let outOfOrder = users.filter { $0.messages.compactMap(\.text) != expected }
        #expect(outOfOrder.isEmpty, "chats out of order or incomplete: \(outOfOrder.prefix(3).map { ($0.chatId, $0.messages.compactMap(\.text)) })")
        #expect(bot.calls(method: "sendMessage").count == chats * perChat, "each row sent exactly once")
        await harness.shutdown()
    }

    @Test("a user who blocked the bot: one call refused, the chat's queue dropped, the broadcast counts it blocked")
    func blockedChatDropsItsQueue() async throws {
        let harness = try await RuntimeHarness()
        let token = "2205:TEST-blocked"
        let bot = harness.emulator.addBot(token: token, username: "blocked_bot")
        let store = try harness.courseStore("blocked")
        let alice = bot.user(id: 705, firstName: "Alice")
        let bob = bot.user(id: 706, firstName: "Bob")
        alice.block()
        try await store.chats.commit(BatchCommit(botId: 2205, outbox: (1...3).map { OutboxSettlementRows.message(alice.chatId, "m\($0)") } + [OutboxSettlementRows.message(bob.chatId, "hello")]), now: 1)
        try await store.chats.enqueueBroadcast(
            31, recipients: [(chatId: alice.chatId, botId: 2205), (chatId: bob.chatId, botId: 2205)], method: "sendMessage",
            payload: { Data("{\"chat_id\":\($0),\"text\":\"news\"}".utf8) }, now: 1)
        let running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene())))
        #expect(try await eventually { try await store.chats.pendingCount(botId: 2205) == 0 })
        try await running.stopAndWait()
        let toAlice = bot.calls(method: "sendMessage").filter { $0.parameters["chat_id"]?.intValue == alice.chatId }
        #expect(toAlice.count == 1, "the first refusal drops the rest of Alice's queue")
        #expect(bob.messages.compactMap(\.text) == ["hello", "news"])
        #expect(try await store.chats.isBlocked(botId: 2205, chatId: alice.chatId))
        #expect(try await store.chats.failedCount(botId: 2205) == 4)
        #expect(try await store.chats.broadcastOutcomes(31) == [alice.chatId: .blocked, bob.chatId: .delivered])
        await harness.shutdown()
    }

    @Test("rows written by another writer while the bot runs are loaded on its bell, once")
    func otherWritersRing() async throws {
        let harness = try await RuntimeHarness()
        let token = "2204:TEST-bell"
        let bot = harness.emulator.addBot(token: token, username: "bell_bot")
        let store = try harness.courseStore("bell")
        let bell = Signal(latching: false)
        let identity = BotIdentity(token: BotToken(token), courseSlug: "test")
        harness.health.register(botId: identity.botId, username: nil, course: "test")
        let worker = BotWorker(
            identity: identity, client: harness.clients.client(for: identity.token), platform: harness.platform, chats: store.chats,
            handler: SceneChatHandler(scene: EchoScene()), settings: RuntimeHarness.settings, health: harness.health, logger: harness.logger,
            hooks: WorkerHooks(outboxBell: bell))
        let running = harness.start(worker)
        let alice = bot.user(id: 704, firstName: "Alice")
        _ = alice.send("one")
        _ = try await alice.waitForMessage(containing: "echo #1", timeout: .seconds(10))
        let notice = NewOutboxRow(chatId: alice.chatId, method: "sendMessage", payload: Data("{\"chat_id\":\(alice.chatId),\"text\":\"a notice\"}".utf8))
        try await store.chats.commit(BatchCommit(botId: 2204, outbox: [notice]), now: 2)
        bell.ring()
        _ = try await alice.waitForMessage(containing: "a notice", timeout: .seconds(10))
        _ = alice.send("two")
        _ = try await alice.waitForMessage(containing: "echo #2", timeout: .seconds(10))
        bell.ring()
        try await Task.sleep(for: .milliseconds(300))
        #expect(alice.messages.compactMap(\.text).filter { $0.contains("notice") }.count == 1)
        #expect(bot.calls(method: "sendMessage").count == 3)
        try await running.stopAndWait()
        await harness.shutdown()
    }
}

/// Outbox rows written straight into a store, as other writers do.
enum OutboxSettlementRows {
    static func message(_ chat: Int64, _ text: String) -> NewOutboxRow {
        NewOutboxRow(chatId: chat, method: "sendMessage", payload: Data("{\"chat_id\":\(chat),\"text\":\"\(text)\"}".utf8))
    }
}
