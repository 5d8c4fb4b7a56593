@testable import BotRuntime
import Foundation
import Storage
import TelegramBotAPI
import Testing

/// The window between committing a batch and saving the offset: if the process dies there,
/// Telegram sends the batch again, and the processed update ids make it a no-op.
@Suite("Crash window")
struct CrashWindowTests {
    @Test("a batch handed over again after a crash is not applied twice")
    func redeliveredBatch() async throws {
        let harness = try await RuntimeHarness()
        let store = try harness.courseStore("crash")
        let worker = harness.worker(token: "2301:TEST-crash-window", chats: store.chats, handler: SceneChatHandler(scene: EchoScene()))
        let user = User(id: 901, isBot: false, firstName: "Eve")
        let chat = Chat(id: 901, type: "private")
        let batch = (1...3).map { index in
            Update(updateId: Int64(100 + index), kind: .message(Message(messageId: index, from: user, date: 1_700_000_000, chat: chat, text: "m\(index)")))
        }
        try await worker.process(batch)
        // The process died before the offset was saved: the same batch comes again, with one more update.
        let next = Update(updateId: 104, kind: .message(Message(messageId: 4, from: user, date: 1_700_000_000, chat: chat, text: "m4")))
        try await worker.process(batch + [next])

        #expect(try await store.chats.processedCount(botId: 2301) == 4)
        #expect(try await store.chats.pendingCount(botId: 2301) == 4, "one reply per update, none twice")
        let state = try #require(try await store.chats.states(botId: 2301, chatIds: [901])[901])
        #expect(try JSONDecoder().decode(EchoScene.State.self, from: state).count == 4)
        await harness.shutdown()
    }
}
