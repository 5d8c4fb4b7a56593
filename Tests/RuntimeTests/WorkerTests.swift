import BotRuntime
import Foundation
import GongbuTesting
import Storage
import TelegramBotAPI
import Testing

/// The long-polling worker end to end: emulator → getUpdates → scene → SQLite → outbox → emulator.
@Suite("Worker against the emulator")
struct WorkerTests {
    @Test("an echo bot answers through the real worker, buttons included")
    func echoSmoke() async throws {
        let harness = try await RuntimeHarness()
        let token = "2001:TEST-echo-smoke"
        let bot = harness.emulator.addBot(token: token, username: "echo_bot")
        let store = try harness.courseStore("echo")
        let running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene()), commands: ["": [BotCommand(command: "start", description: "Begin")], "ru": [BotCommand(command: "start", description: "Начать")]]))
        let alice = bot.user(id: 501, firstName: "Alice")
        _ = alice.send("hello <world>")
        let reply = try await alice.waitForMessage(containing: "echo #1")
        #expect(reply.text == "echo #1: hello <world>")
        #expect(reply.buttonLabels == ["Again"])
        try alice.press("Again")
        #expect(try await eventually { bot.calls(method: "answerCallbackQuery").count == 1 })
        #expect(harness.health.status(botId: 2001)?.username == "echo_bot", "getMe at start names the bot")
        #expect(bot.calls(method: "setMyCommands").count == 2, "the command menu is set per language")
        try await running.stopAndWait()
        #expect(try await store.chats.pendingCount(botId: 2001) == 0)
        #expect(harness.leaks(of: token).isEmpty)
        await harness.shutdown()
    }

    @Test("a restart neither loses nor re-applies an update (checked in the database)")
    func offsetAcrossRestart() async throws {
        let harness = try await RuntimeHarness()
        let token = "2002:TEST-offset-restart"
        let bot = harness.emulator.addBot(token: token, username: "offset_bot")
        let store = try harness.courseStore("offsets")
        let alice = bot.user(id: 502, firstName: "Alice")

        var running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene())))
        for index in 1...5 { _ = alice.send("first \(index)") }
        _ = try await alice.waitForMessage(containing: "echo #5", timeout: .seconds(20))
        try await running.stopAndWait()
        let offsetAfterFirstRun = try await harness.platform.offset(botId: 2002)
        #expect(offsetAfterFirstRun != nil)

        // Updates sent while the bot is down are picked up after the restart.
        for index in 1...3 { _ = alice.send("second \(index)") }
        running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene())))
        _ = try await alice.waitForMessage(containing: "echo #8", timeout: .seconds(20))
        try await running.stopAndWait()

        #expect(try await store.chats.processedCount(botId: 2002) == 8)
        let echoes = alice.messages.filter { $0.body.hasPrefix("echo #") }
        #expect(echoes.count == 8, "every update answered exactly once: \(echoes.map(\.body))")
        let state = try await store.chats.states(botId: 2002, chatIds: [502])[502]
        let decoded = try JSONDecoder().decode(EchoScene.State.self, from: try #require(state))
        #expect(decoded.count == 8)
        await harness.shutdown()
    }

    @Test("an update delivered twice in a batch is applied once")
    func duplicateDelivery() async throws {
        let harness = try await RuntimeHarness()
        let token = "2003:TEST-duplicate"
        let bot = harness.emulator.addBot(token: token, username: "dup_bot")
        let store = try harness.courseStore("dups")
        let update = try JSONValue.parse(Data(#"{"update_id": 777, "message": {"message_id": 1, "date": 1700000000, "chat": {"id": 503, "type": "private", "first_name": "Bo"}, "from": {"id": 503, "is_bot": false, "first_name": "Bo"}, "text": "once"}}"#.utf8))
        bot.enqueueUpdate(update)
        bot.enqueueUpdate(update)
        let running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene())))
        let bo = bot.user(id: 503, firstName: "Bo")
        _ = try await bo.waitForMessage(containing: "echo #1")
        bo.send("twice")
        _ = try await bo.waitForMessage(containing: "echo #2: twice")
        try await running.stopAndWait()
        #expect(bo.messages.filter { $0.body.contains("once") }.count == 1)
        await harness.shutdown()
    }

    @Test("a malformed or unknown update is skipped, and the bot goes on")
    func badUpdates() async throws {
        let harness = try await RuntimeHarness()
        let token = "2004:TEST-bad-updates"
        let bot = harness.emulator.addBot(token: token, username: "bad_bot")
        let store = try harness.courseStore("bad")
        bot.enqueueRawUpdate(#"{"update_id": 900, "message": {"message_id": "not a number"}}"#)
        bot.enqueueRawUpdate(#"{"update_id": 901, "business_message": {"future": true}}"#)
        let running = harness.start(harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene())))
        let bo = bot.user(id: 504, firstName: "Bo")
        _ = bo.send("still here")
        _ = try await bo.waitForMessage(containing: "echo #1: still here")
        try await running.stopAndWait()
        #expect(try await harness.platform.offset(botId: 2004) ?? 0 > 901)
        await harness.shutdown()
    }
}
