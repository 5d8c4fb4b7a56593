@testable import BotRuntime
import Foundation
import Logging
import Storage
import Synchronization
import TelegramClient
import Testing

/// The job runner on a real platform database: retries with backoff, Telegram's `retry_after`
/// honoured, refusals failed for good (the user told), results written with the job marked done.
@Suite("Job runner")
struct JobRunnerTests {
    /// Fails with the given errors in turn, then succeeds with one message.
    final class Scripted: JobHandling {
        let failures: Mutex<[BotAPIError]>
        let runs = Mutex(0)

        init(_ failures: [BotAPIError]) { self.failures = Mutex(failures) }

        func perform(_ job: JobRow) async throws -> JobOutcome {
            runs.withLock { $0 += 1 }
            if let error = failures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { throw error }
            return JobOutcome(outbox: [NewOutboxRow(chatId: 5, method: "sendMessage", payload: Data("{\"chat_id\":5,\"text\":\"done\"}".utf8))])
        }

        func gaveUp(_ job: JobRow, error: String) -> [NewOutboxRow] {
            [NewOutboxRow(chatId: 5, method: "sendMessage", payload: Data("{\"chat_id\":5,\"text\":\"sorry\"}".utf8))]
        }
    }

    /// A clock the test sets.
    final class Clock: Sendable {
        let time: Mutex<Double>
        init(_ time: Double) { self.time = Mutex(time) }
        func set(_ value: Double) { time.withLock { $0 = value } }
        func advance(_ seconds: Double) { time.withLock { $0 += seconds } }
        var now: Double { time.withLock { $0 } }
    }

    static func runner(_ platform: PlatformStore, _ handler: Scripted, clock: Clock, maxAttempts: Int = 8) -> JobRunner {
        var runner = JobRunner(
            platform: platform, botId: 77, handlers: ["test": handler], bell: Signal(latching: false),
            logger: Logger(label: "jobs") { _ in SwiftLogNoOpLogHandler() }, now: { clock.now })
        runner.maxAttempts = maxAttempts
        runner.backoff = { attempt in Double(attempt) * 10 }
        return runner
    }

    static func open() throws -> (PlatformStore, String) {
        let dataDir = NSTemporaryDirectory() + "gongbu-jobs-" + UUID().uuidString
        return (try PlatformStore.open(dataDir: dataDir), dataDir)
    }

    static let job = NewJobRow(kind: "test", lane: "chat:5", payload: Data("{}".utf8), idempotencyKey: "test:1")

    @Test("5xx and dropped connections are retried with growing backoff; the result is written once, with the job done")
    func retriesWithBackoff() async throws {
        let (platform, dataDir) = try Self.open()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let clock = Clock(1_000)
        let handler = Scripted([
            BotAPIError(method: "getMe", kind: .server(code: 502, description: "Bad Gateway")),
            BotAPIError(method: "getMe", kind: .network("connection reset")),
        ])
        let runner = Self.runner(platform, handler, clock: clock)
        try await platform.enqueueJobs([Self.job, Self.job], now: 1_000)
        #expect(try await platform.jobs().count == 1, "one row per idempotency key")

        #expect(try await !runner.runDue())
        var stored = try #require(try await platform.jobs().first)
        #expect(stored.attempts == 1 && stored.notBefore == 1_010 && stored.status == .pending)
        #expect(stored.lastError?.contains("502") == true)
        clock.set(1_009)
        #expect(try await !runner.runDue(), "not before its backoff ran out")
        #expect(handler.runs.withLock { $0 } == 1)
        clock.set(1_010)
        try await runner.runDue()
        stored = try #require(try await platform.jobs().first)
        #expect(stored.attempts == 2 && stored.notBefore == 1_030, "the second wait is longer")
        clock.set(1_030)
        #expect(try await runner.runDue())
        stored = try #require(try await platform.jobs().first)
        #expect(stored.status == .done)
        #expect(try await platform.chats.pendingCount(botId: 77) == 1)
        #expect(try await !runner.runDue())
        #expect(handler.runs.withLock { $0 } == 3)
    }

    @Test("a 429 waits exactly Telegram's retry_after; a refusal fails at once and tells the user")
    func retryAfterAndRefusal() async throws {
        let (platform, dataDir) = try Self.open()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let clock = Clock(50)
        let handler = Scripted([
            BotAPIError(method: "getManagedBotToken", kind: .tooManyRequests(retryAfter: 7)),
            BotAPIError(method: "getManagedBotToken", kind: .badRequest("Bad Request: bot not found")),
        ])
        let runner = Self.runner(platform, handler, clock: clock)
        try await platform.enqueueJobs([Self.job], now: 50)
        try await runner.runDue()
        var stored = try #require(try await platform.jobs().first)
        #expect(stored.notBefore == 57, "retry_after, not the backoff")
        clock.set(57)
        #expect(try await runner.runDue(), "the apology was queued")
        stored = try #require(try await platform.jobs().first)
        #expect(stored.status == .failed && stored.attempts == 2)
        #expect(stored.lastError?.contains("bot not found") == true)
        let rows = try await platform.chats.pendingOutbox(botId: 77, after: 0).rows
        #expect(rows.map { String(decoding: $0.payload, as: UTF8.self) } == ["{\"chat_id\":5,\"text\":\"sorry\"}"])
    }

    @Test("after maxAttempts failures a job fails for good; later jobs of its lane then run")
    func givesUp() async throws {
        let (platform, dataDir) = try Self.open()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let clock = Clock(0)
        let down = BotAPIError(method: "x", kind: .server(code: 500, description: "Internal Server Error"))
        let handler = Scripted([down, down, down])
        let runner = Self.runner(platform, handler, clock: clock, maxAttempts: 3)
        var second = Self.job
        second.idempotencyKey = "test:2"
        try await platform.enqueueJobs([Self.job, second], now: 0)
        for step in 1...2 {
            try await runner.runDue()
            clock.advance(1_000)
            #expect(handler.runs.withLock { $0 } == step, "the second job waits behind the first")
        }
        #expect(try await runner.runDue())
        #expect(handler.runs.withLock { $0 } == 4, "the third failure is the last; the second job runs right after")
        let jobs = try await platform.jobs()
        #expect(jobs.map(\.status) == [.failed, .done])
        #expect(try await platform.chats.pendingCount(botId: 77) == 2, "the apology and the second job's answer")
    }

    @Test("the running service picks up a job as soon as its bell rings")
    func service() async throws {
        let (platform, dataDir) = try Self.open()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let handler = Scripted([])
        let bell = Signal(latching: false)
        let runner = JobRunner(
            platform: platform, botId: 77, handlers: ["test": handler], bell: bell,
            logger: Logger(label: "jobs") { _ in SwiftLogNoOpLogHandler() }, now: { Date().timeIntervalSince1970 })
        let stop = Signal(latching: true)
        let woken = Mutex(0)
        let task = Task { await runner.run(stop: stop) { woken.withLock { $0 += 1 } } }
        try await platform.enqueueJobs([Self.job], now: 0)
        bell.ring()
        #expect(try await eventually { try await platform.jobs().first?.status == .done })
        #expect(try await eventually { woken.withLock { $0 } == 1 }, "the outbox sender is woken for the answer")
        stop.ring()
        await task.value
    }
}
