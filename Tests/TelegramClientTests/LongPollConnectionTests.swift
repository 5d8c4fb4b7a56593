import Foundation
import GongbuTesting
import Testing
import TelegramBotAPI
import TelegramClient

/// The bot's own keep-alive connection to a plain-HTTP server: long polls answered over it,
/// interrupted by the worker without cancelling a task, and calls made beside an open poll.
extension ClientAgainstEmulatorTests {
    @Test("a plain-HTTP client polls over its own connection; interruptPolls ends the open poll at once and every later one")
    func interruptEndsTheOpenPoll() async throws {
        try await withClient { _, bot, client, _ in
            #expect(client.pollsAreInterruptible)
            let poll = Task { try await client.getUpdates(offset: nil, timeout: 30, limit: 100) }
            #expect(try await eventuallyTrue { bot.isPolling })
            let started = ContinuousClock.now
            client.interruptPolls()
            await #expect(throws: CancellationError.self) { try await poll.value }
            #expect(ContinuousClock.now - started < .seconds(5), "ended by the interrupt, not by the 30 s poll timeout")
            await #expect(throws: CancellationError.self) { try await client.getUpdates(offset: nil, timeout: 30, limit: 100) }
            // Other calls still work (through the shared client).
            let me = try await client.getMe()
            #expect(me.username == "alpha_bot")
        }
    }

    @Test("a call made while a poll holds the connection goes through the shared client; the poll still gets its update")
    func callBesideAnOpenPoll() async throws {
        try await withClient { _, bot, client, _ in
            let poll = Task { try await client.getUpdates(offset: nil, timeout: 10, limit: 100) }
            #expect(try await eventuallyTrue { bot.isPolling })
            let me = try await client.getMe()
            #expect(me.username == "alpha_bot")
            let user = bot.user(id: 42, firstName: "Ann")
            user.send("hello")
            let updates = try await poll.value
            #expect(updates.count == 1)
            // The next poll reuses the connection and confirms the offset.
            let next = try await client.getUpdates(offset: (updates.first?.updateId ?? 0) + 1, timeout: 0, limit: 100)
            #expect(next.isEmpty)
        }
    }

    private func eventuallyTrue(_ condition: @Sendable () -> Bool) async throws -> Bool {
        for _ in 0..<300 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
