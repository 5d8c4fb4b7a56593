import BotRuntime
import Foundation
import GongbuTesting
import Storage
import Testing

/// Telegram misbehaving: 429, 5xx storms, revoked tokens, and the rate limits we must respect.
@Suite("Worker under faults")
struct FaultTests {
    @Test("429 on sendMessage delays the reply but delivers it exactly once")
    func tooManyRequests() async throws {
        let harness = try await RuntimeHarness()
        let token = "2101:TEST-too-many"
        let bot = harness.emulator.addBot(token: token, username: "slow_bot")
        let store = try harness.courseStore("slow")
        harness.emulator.inject(.tooManyRequests(retryAfter: 1), method: "sendMessage", token: token, count: 1)
        let running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene())))
        let alice = bot.user(id: 601, firstName: "Alice")
        let sent = ContinuousClock.now
        _ = alice.send("hi")
        _ = try await alice.waitForMessage(containing: "echo #1", timeout: .seconds(10))
        #expect(ContinuousClock.now - sent >= .milliseconds(900), "retry_after was honoured")
        #expect(alice.messages.filter { $0.body.contains("echo #1") }.count == 1)
        #expect(bot.calls(method: "sendMessage").count == 2, "one refused call, one delivered")
        try await running.stopAndWait()
        #expect(try await store.chats.pendingCount(botId: 2101) == 0)
        await harness.shutdown()
    }

    @Test("a storm of 502 on getUpdates is ridden out with backoff")
    func badGatewayStorm() async throws {
        let harness = try await RuntimeHarness()
        let token = "2102:TEST-bad-gateway"
        let bot = harness.emulator.addBot(token: token, username: "storm_bot")
        let store = try harness.courseStore("storm")
        harness.emulator.inject(.badGateway, method: "getUpdates", token: token, count: 8)
        let alice = bot.user(id: 602, firstName: "Alice")
        _ = alice.send("after the storm")
        let running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene())))
        _ = try await alice.waitForMessage(containing: "echo #1: after the storm", timeout: .seconds(15))
        #expect(harness.health.status(botId: 2102)?.state == .polling)
        try await running.stopAndWait()
        #expect(harness.leaks(of: token).isEmpty)
        await harness.shutdown()
    }

    @Test("a revoked token stops only its own worker")
    func revokedToken() async throws {
        let harness = try await RuntimeHarness()
        let goodToken = "2103:TEST-still-good"
        let badToken = "2104:TEST-revoked-one"
        let good = harness.emulator.addBot(token: goodToken, username: "good_bot")
        _ = harness.emulator.addBot(token: badToken, username: "bad_bot")
        let goodStore = try harness.courseStore("good")
        let badStore = try harness.courseStore("revoked")
        let tokens: [Int64: String] = [2103: goodToken, 2104: badToken]
        let supervisor = Supervisor(health: harness.health, logger: harness.logger) { identity in
            let store = identity.botId == 2103 ? goodStore : badStore
            return harness.worker(token: tokens[identity.botId] ?? "", chats: store.chats, handler: SceneChatHandler(scene: EchoScene()))
        }
        let running = Task { try await supervisor.run() }
        supervisor.add(BotIdentity(token: .init(goodToken), courseSlug: "good"))
        supervisor.add(BotIdentity(token: .init(badToken), courseSlug: "revoked"))
        harness.emulator.revoke(token: badToken)
        #expect(try await eventually(timeout: .seconds(10)) { harness.health.status(botId: 2104)?.state == .failing })
        #expect(harness.health.isFailing)
        let alice = good.user(id: 603, firstName: "Alice")
        _ = alice.send("are you there?")
        _ = try await alice.waitForMessage(containing: "echo #1")
        #expect(harness.health.status(botId: 2103)?.state == .polling)
        supervisor.shutdown()
        try await running.value
        #expect(harness.leaks(of: badToken).isEmpty)
        #expect(harness.leaks(of: goodToken).isEmpty)
        await harness.shutdown()
    }

    @Test("messages to 120 chats go out within the limits: no 429 from the server")
    func respectsRateLimits() async throws {
        let harness = try await RuntimeHarness()
        let token = "2105:TEST-many-chats"
        let bot = harness.emulator.addBot(token: token, username: "busy_bot")
        let store = try harness.courseStore("busy")
        let users = (0..<120).map { bot.user(id: 10_000 + Int64($0), firstName: "S\($0)") }
        for user in users { _ = user.send("hi") }
        let running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene())))
        for user in users {
            _ = try await user.waitForMessage(containing: "echo #1", timeout: .seconds(20))
        }
        #expect(bot.tooManyRequestsCount == 0)
        try await running.stopAndWait()
        await harness.shutdown()
    }

    @Test("a burst to one chat is paced at about one message a second")
    func perChatPacing() async throws {
        let harness = try await RuntimeHarness()
        let token = "2106:TEST-one-chat"
        let bot = harness.emulator.addBot(token: token, username: "chatty_bot")
        let store = try harness.courseStore("chatty")
        let alice = bot.user(id: 606, firstName: "Alice")
        for index in 1...6 { _ = alice.send("m\(index)") }
        let running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene())))
        _ = try await alice.waitForMessage(containing: "echo #6", timeout: .seconds(15))
        #expect(bot.tooManyRequestsCount == 0)
        let order = alice.messages.compactMap { $0.text }.filter { $0.hasPrefix("echo #") }
        #expect(order == (1...6).map { "echo #\($0): m\($0)" }, "order kept within the chat")
        try await running.stopAndWait()
        await harness.shutdown()
    }
}
