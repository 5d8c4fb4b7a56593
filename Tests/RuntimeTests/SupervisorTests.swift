import BotRuntime
import Foundation
import GongbuTesting
import Storage
import Synchronization
import Testing

@Suite("Supervisor")
struct SupervisorTests {
    @Test("bots are added and removed while running")
    func addAndRemove() async throws {
        let harness = try await RuntimeHarness()
        let firstToken = "2401:TEST-first-bot"
        let laterToken = "2402:TEST-later-bot"
        let first = harness.emulator.addBot(token: firstToken, username: "first_bot")
        let later = harness.emulator.addBot(token: laterToken, username: "later_bot")
        let tokens: [Int64: String] = [2401: firstToken, 2402: laterToken]
        let stores: [Int64: ChatStore] = [2401: try harness.courseStore("first").chats, 2402: try harness.courseStore("later").chats]
        let supervisor = Supervisor(health: harness.health, logger: harness.logger) { identity in
            harness.worker(token: tokens[identity.botId] ?? "", chats: stores[identity.botId]!, handler: SceneChatHandler(scene: EchoScene()))
        }
        let running = Task { try await supervisor.run() }
        supervisor.add(BotIdentity(token: .init(firstToken), courseSlug: "first"))
        let alice = first.user(id: 1001, firstName: "Alice")
        alice.send("one")
        _ = try await alice.waitForMessage(containing: "echo #1")

        // A bot connected later starts at once, without a restart.
        supervisor.add(BotIdentity(token: .init(laterToken), courseSlug: "later"))
        let bob = later.user(id: 1002, firstName: "Bob")
        bob.send("hello later")
        _ = try await bob.waitForMessage(containing: "echo #1")

        // Removing it stops its polling; the other bot goes on.
        supervisor.remove(botId: 2402)
        #expect(try await eventually { !later.isPolling && harness.health.status(botId: 2402) == nil })
        bob.send("anyone?")
        alice.send("two")
        _ = try await alice.waitForMessage(containing: "echo #2")
        try await Task.sleep(for: .milliseconds(300))
        #expect(bob.messages.count == 1, "a removed bot answers nothing")

        supervisor.shutdown()
        try await running.value
        await harness.shutdown()
    }

    @Test("a worker that fails to start is restarted with backoff, then runs")
    func restartsCrashedWorker() async throws {
        let harness = try await RuntimeHarness()
        let token = "2403:TEST-flaky-start"
        let bot = harness.emulator.addBot(token: token, username: "flaky_bot")
        let store = try harness.courseStore("flaky")
        let attempts = Mutex(0)
        struct Flaky: Error {}
        let supervisor = Supervisor(health: harness.health, logger: harness.logger, restartBackoff: WorkerSettings(backoffBase: 0.05, backoffMax: 0.1)) { _ in
            let attempt = attempts.withLock { value -> Int in
                value += 1
                return value
            }
            if attempt < 3 { throw Flaky() }
            return harness.worker(token: token, chats: store.chats, handler: SceneChatHandler(scene: EchoScene()))
        }
        let running = Task { try await supervisor.run() }
        supervisor.add(BotIdentity(token: .init(token), courseSlug: "flaky"))
        let alice = bot.user(id: 1003, firstName: "Alice")
        alice.send("are you up?")
        _ = try await alice.waitForMessage(containing: "echo #1")
        #expect(attempts.withLock { $0 } == 3)
        supervisor.shutdown()
        try await running.value
        #expect(harness.leaks(of: token).isEmpty)
        await harness.shutdown()
    }
}
