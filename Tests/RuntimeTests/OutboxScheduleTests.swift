@testable import BotRuntime
import Foundation
import Storage
import Testing

/// The sender's in-memory schedule as a pure value: time is passed in, nothing is sent.
@Suite("Outbox schedule")
struct OutboxScheduleTests {
    /// Buckets easy to reason about: a chat sends one message a second with no burst, the bot 100.
    static let limits = RateLimiter.Limits(botRate: 100, botBurst: 100, chatRate: 1, chatBurst: 1)

    static func row(_ id: Int64, chat: Int64, urgent: Bool = false, broadcast: Int64? = nil) -> OutboxRow {
        OutboxRow(id: id, botId: 1, chatId: chat, method: urgent ? "answerCallbackQuery" : "sendMessage", payload: Data("{\"n\":\(id)}".utf8), urgent: urgent, broadcastId: broadcast)
    }

    static func ids(_ rows: [OutboxRow]) -> [Int64] { rows.map(\.id) }

    @Test("one row per chat at a time, in id order, paced by the chat's bucket")
    func orderPerChat() {
        var schedule = OutboxSchedule(limits: Self.limits)
        schedule.enqueue([Self.row(1, chat: 10), Self.row(2, chat: 10), Self.row(3, chat: 10), Self.row(4, chat: 20)], now: 0)
        let first = schedule.next(now: 0, limit: 10)
        #expect(Self.ids(first) == [1, 4])
        #expect(schedule.next(now: 0, limit: 10).isEmpty, "rows in flight hold their chats")
        schedule.settle(first[0], .finished, now: 0)
        schedule.settle(first[1], .finished, now: 0)
        #expect(schedule.next(now: 0.5, limit: 10).isEmpty, "chat 10 spent its token")
        #expect(schedule.nextTime(now: 0.5) == 1)
        let second = schedule.next(now: 1, limit: 10)
        #expect(Self.ids(second) == [2])
        schedule.settle(second[0], .finished, now: 1)
        #expect(Self.ids(schedule.next(now: 2, limit: 10)) == [3])
        #expect(schedule.count == 1)
    }

    @Test("the bot's bucket caps a wave and says when the next may go")
    func botBucket() {
        var schedule = OutboxSchedule(limits: RateLimiter.Limits(botRate: 2, botBurst: 2, chatRate: 10, chatBurst: 10))
        schedule.enqueue((1...5).map { Self.row(Int64($0), chat: Int64($0)) }, now: 0)
        let wave = schedule.next(now: 0, limit: 10)
        #expect(Self.ids(wave) == [1, 2])
        #expect(schedule.nextTime(now: 0) == 0.5)
        #expect(schedule.next(now: 0.25, limit: 10).isEmpty)
        #expect(Self.ids(schedule.next(now: 0.5, limit: 10)) == [3])
        #expect(Self.ids(schedule.next(now: 0.5, limit: 1)).isEmpty)
        #expect(Self.ids(schedule.next(now: 1.5, limit: 1)) == [4], "the limit caps a wave too")
    }

    @Test("an urgent answer skips the queue but waits out a bot-wide retry_after")
    func urgentObeysPause() {
        var schedule = OutboxSchedule(limits: Self.limits)
        schedule.enqueue([Self.row(1, chat: 10), Self.row(2, chat: 10, urgent: true)], now: 0)
        let wave = schedule.next(now: 0, limit: 10)
        #expect(Self.ids(wave) == [2, 1], "the answer first, and not held by the chat's row")
        let answer = wave[0]
        schedule.settle(wave[1], .finished, now: 0)
        schedule.settle(answer, .botPaused(until: 2), now: 0.003)
        schedule.enqueue([Self.row(3, chat: 30)], now: 0.003)
        for time in stride(from: 0.003, to: 2, by: 0.003) {
            #expect(schedule.next(now: time, limit: 10).isEmpty, "nothing at \(time), before retry_after passed")
        }
        #expect(schedule.nextTime(now: 1) == 2)
        let again = schedule.next(now: 2, limit: 10)
        #expect(Self.ids(again) == [2, 3])
        #expect(again[0].attempts == 1)
    }

    @Test("a chat's retry_after holds its later rows and answers; other chats go on")
    func chatPause() {
        var schedule = OutboxSchedule(limits: Self.limits)
        schedule.enqueue([Self.row(1, chat: 10), Self.row(2, chat: 10), Self.row(3, chat: 20)], now: 0)
        let wave = schedule.next(now: 0, limit: 10)
        #expect(Self.ids(wave) == [1, 3])
        schedule.settle(wave[0], .chatPaused(until: 3), now: 0)
        schedule.settle(wave[1], .finished, now: 0)
        schedule.enqueue([Self.row(4, chat: 10, urgent: true), Self.row(5, chat: 20)], now: 0)
        #expect(Self.ids(schedule.next(now: 1, limit: 10)) == [5], "chat 20 is not paused")
        #expect(schedule.next(now: 2.9, limit: 10).isEmpty)
        let resumed = schedule.next(now: 3, limit: 10)
        #expect(Self.ids(resumed) == [4, 1], "the refused row goes again first, row 2 still behind it")
        #expect(!schedule.queued(chatId: 10).isEmpty)
        schedule.settle(resumed[1], .finished, now: 3)
        #expect(Self.ids(schedule.next(now: 4, limit: 10)) == [2])
    }

    @Test("a failed call is tried again at its time, before the rows behind it")
    func retryKeepsOrder() {
        var schedule = OutboxSchedule(limits: Self.limits)
        schedule.enqueue([Self.row(1, chat: 10), Self.row(2, chat: 10)], now: 0)
        let first = schedule.next(now: 0, limit: 10)
        schedule.settle(first[0], .retry(at: 5), now: 0)
        #expect(schedule.next(now: 4, limit: 10).isEmpty)
        let again = schedule.next(now: 5, limit: 10)
        #expect(Self.ids(again) == [1])
        #expect(again[0].attempts == 1 && again[0].notBefore == 5)
    }

    @Test("a blocked chat drops its queue, the row in flight and other chats aside")
    func blockDropsQueue() {
        var schedule = OutboxSchedule(limits: Self.limits)
        schedule.enqueue([
            Self.row(1, chat: 10), Self.row(2, chat: 10), Self.row(3, chat: 10, broadcast: 7),
            Self.row(4, chat: 20), Self.row(5, chat: 10, urgent: true),
        ], now: 0)
        let wave = schedule.next(now: 0, limit: 10)
        #expect(Self.ids(wave) == [5, 1, 4])
        let dropped = schedule.settle(wave[1], .blocked, now: 0)
        #expect(Self.ids(dropped) == [2, 3])
        #expect(dropped.last?.broadcastId == 7, "the broadcast row is returned, so its outcome is recorded")
        #expect(schedule.queued(chatId: 10).isEmpty)
        #expect(schedule.count == 2, "the answer and chat 20's row are still in flight")
        schedule.settle(wave[0], .finished, now: 0)
        schedule.settle(wave[2], .finished, now: 0)
        #expect(schedule.isEmpty)
        #expect(schedule.nextTime(now: 10) == nil)
        schedule.enqueue([Self.row(6, chat: 10)], now: 10)
        #expect(Self.ids(schedule.next(now: 10, limit: 10)) == [6], "a later row is tried again")
    }

    @Test("broadcast rows go after the chat's own rows and after other chats' own rows")
    func broadcastAfterOwnRows() {
        var schedule = OutboxSchedule(limits: RateLimiter.Limits(botRate: 1, botBurst: 1, chatRate: 10, chatBurst: 10))
        schedule.enqueue([Self.row(1, chat: 10, broadcast: 7), Self.row(2, chat: 20, broadcast: 7), Self.row(3, chat: 30)], now: 0)
        schedule.enqueue([Self.row(4, chat: 10)], now: 0)
        let first = schedule.next(now: 0, limit: 10)
        #expect(Self.ids(first) == [3], "an answer to a student before an older broadcast")
        schedule.settle(first[0], .finished, now: 0)
        let second = schedule.next(now: 1, limit: 10)
        #expect(Self.ids(second) == [4], "the chat's own row before its broadcast row")
        schedule.settle(second[0], .finished, now: 1)
        var later: [Int64] = []
        for time in [2.0, 3.0] {
            let wave = schedule.next(now: time, limit: 10)
            later += Self.ids(wave)
            for row in wave { schedule.settle(row, .finished, now: time) }
        }
        #expect(later.sorted() == [1, 2])
        #expect(schedule.isEmpty)
    }

    @Test("rows already held are not queued twice")
    func dedupe() {
        var schedule = OutboxSchedule(limits: Self.limits)
        schedule.enqueue([Self.row(1, chat: 10), Self.row(2, chat: 10)], now: 0)
        schedule.enqueue([Self.row(2, chat: 10), Self.row(1, chat: 10)], now: 0)
        #expect(schedule.count == 2)
        #expect(Self.ids(schedule.queued(chatId: 10)) == [1, 2])
    }
}
