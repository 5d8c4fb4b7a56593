import AsyncHTTPClient
import BotRuntime
import Foundation
import GongbuTesting
import Logging
import Storage
import TelegramBotAPI
import Testing

/// A real runtime against the emulator on loopback: temp data directory, real SQLite, the real
/// HTTP client, and every log line captured so tests can check that no token leaks.
final class RuntimeHarness: Sendable {
    let emulator: BotAPIEmulator
    let dataDir: String
    let platform: PlatformStore
    let health = BotHealth()
    let logs = LogCapture()
    let logger: Logger
    let httpClient: HTTPClient
    let clients: ClientFactory

    init() async throws {
        emulator = BotAPIEmulator()
        try await emulator.start()
        dataDir = NSTemporaryDirectory() + "gongbu-test-" + UUID().uuidString
        platform = try PlatformStore.open(dataDir: dataDir)
        let sink = logs.sink
        logger = Logger(label: "test") { label in LineLogHandler(label: label, format: .text, level: .debug, sink: sink) }
        httpClient = ClientFactory.makeHTTPClient()
        clients = ClientFactory(httpClient: httpClient, baseURL: emulator.baseURL, logger: logger)
    }

    /// Fast settings for tests: short polls and backoff.
    static let settings = WorkerSettings(pollTimeout: 1, backoffBase: 0.05, backoffMax: 0.3)

    func courseStore(_ slug: String) throws -> CourseStore {
        try CourseStore.open(dataDir: dataDir, slug: slug)
    }

    func worker(token: String, chats: ChatStore, handler: any ChatHandler, settings: WorkerSettings = RuntimeHarness.settings, commands: [String: [BotCommand]] = [:]) -> BotWorker {
        let identity = BotIdentity(token: BotToken(token), courseSlug: "test")
        health.register(botId: identity.botId, username: nil, course: "test")
        return BotWorker(identity: identity, client: clients.client(for: identity.token), platform: platform, chats: chats, handler: handler, settings: settings, health: health, logger: logger, commands: commands)
    }

    /// Starts a worker in the background.
    func start(_ worker: BotWorker) -> RunningWorker {
        let stop = Signal(latching: true)
        let task = Task { try await worker.run(stop: stop) }
        return RunningWorker(stop: stop, task: task)
    }

    func shutdown() async {
        try? await httpClient.shutdown()
        await emulator.stop()
        // Every call the runtime made is in Bot API 10.1 (the emulator refuses and records the others).
        #expect(emulator.schemaViolations.isEmpty, "calls not in Bot API 10.1: \(emulator.schemaViolations)")
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    /// Every captured log line that contains the secret.
    func leaks(of secret: String) -> [String] {
        logs.all.filter { $0.contains(secret) }
    }
}

/// A worker running in a task, stopped gracefully on demand.
struct RunningWorker: Sendable {
    let stop: Signal
    let task: Task<Void, any Error>

    func stopAndWait() async throws {
        stop.ring()
        try await task.value
    }
}

/// Polls a condition until it holds or the timeout passes (for database-side effects).
func eventually(timeout: Duration = .seconds(60), _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
