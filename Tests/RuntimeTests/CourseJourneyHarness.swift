import AsyncHTTPClient
import BotRuntime
import Foundation
import GRDB
import GongbuTesting
import Logging
import Manifests
import Storage
import Synchronization
import TelegramBotAPI
import Testing

/// The real `gongbu run` composition (`Runtime.make`: course loading, `Resources` from the repo
/// root, `CourseProgressRecorder`, supervisor, outbox sender) teaching a temp copy of the example
/// course to scripted students on the emulator, over loopback HTTP.
///
/// Each test gets its own emulator, token, data directory and course copy, so tests run in parallel.
final class CourseJourneyHarness: Sendable {
    /// Limits high enough that pacing never slows a long walk down.
    static let relaxed = RateLimiter.Limits(botRate: 1000, botBurst: 1000, chatRate: 1000, chatBurst: 1000)

    let emulator: BotAPIEmulator
    let bot: EmulatedBot
    let token: String
    let dataDir: String
    /// The course folder (a copy of courses/swift-basics) the runtime teaches.
    let courseDir: String
    let slug = "swift-basics"
    let logs = LogCapture()
    let logger: Logger
    let httpClient: HTTPClient
    let clients: ClientFactory
    let settings: WorkerSettings
    private let runtimes = Mutex<[RunningRuntime]>([])

    /// Runs `body` with a fresh harness and always cleans up: stops the runtimes still running,
    /// the emulator and the HTTP client, deletes the temp folder. On failure the captured log
    /// goes to stderr (tokens are redacted in it) so the cause is visible. After `body`, checks what
    /// every journey must keep: no call refused by the emulator, nothing left in the outbox, no token in the log.
    static func with(
        token: String, realLimits: Bool = false, _ body: (CourseJourneyHarness) async throws -> Void
    ) async throws {
        let harness = try await CourseJourneyHarness(token: token, realLimits: realLimits)
        do {
            try await body(harness)
            // Whatever the test did, the runtime only made valid calls and delivered everything.
            for running in harness.runtimes.withLock({ $0 }) { try await running.stop() }
            #expect(harness.refusedCalls.isEmpty, "refused: \(harness.refusedCalls)")
            let left = try await harness.leftInOutbox()
            #expect(left.isEmpty, "left in the outbox: \(left)")
            #expect(harness.tokenLeaks.isEmpty, "the token is in the log")
        } catch {
            let log = harness.logs.all.suffix(80).joined(separator: "\n")
            FileHandle.standardError.write(Data("--- runtime log of \(harness.bot.maskedToken) ---\n\(log)\n".utf8))
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    /// - Parameter realLimits: keep Telegram's flood limits in the emulator and the runtime's pacing.
    init(token: String, realLimits: Bool = false) async throws {
        self.token = token
        emulator = BotAPIEmulator()
        try await emulator.start()
        bot = emulator.addBot(token: token, username: "course_\(token.prefix { $0.isNumber })_bot")
        if !realLimits { bot.setRateLimits(nil) }
        let root = NSTemporaryDirectory() + "gongbu-journey-" + UUID().uuidString
        dataDir = root + "/data"
        courseDir = root + "/swift-basics"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: GongbuBinary.root.appendingPathComponent("courses/swift-basics").path, toPath: courseDir)
        let sink = logs.sink
        logger = Logger(label: "journey") { label in LineLogHandler(label: label, format: .text, level: .debug, sink: sink) }
        httpClient = ClientFactory.makeHTTPClient()
        clients = ClientFactory(httpClient: httpClient, baseURL: emulator.baseURL, logger: logger)
        settings = WorkerSettings(
            pollTimeout: 1, backoffBase: 0.05, backoffMax: 0.3, rateLimits: realLimits ? .telegram : Self.relaxed)
    }

    /// Builds the runtime from a bots.yaml-equivalent config and starts polling.
    func start() async throws -> RunningRuntime {
        let config = BotsConfig(
            telegram: BotsConfig.Telegram(apiURL: emulator.baseURL, pollTimeout: 1), dataDir: dataDir,
            bots: [BotsConfig.Bot(token: token, course: courseDir, coursePath: "swift-basics")],
            baseDirectory: (dataDir as NSString).deletingLastPathComponent)
        let clients = clients
        let runtime = try await Runtime.make(
            config: config, resourcesDirectory: GongbuBinary.root.path, settings: settings,
            client: { clients.client(for: $0) }, logger: logger)
        let task = Task { try await runtime.supervisor.run() }
        runtime.startBots()
        let running = RunningRuntime(runtime: runtime, task: task)
        runtimes.withLock { $0.append(running) }
        return running
    }

    func courseStore() throws -> CourseStore {
        try CourseStore.open(dataDir: dataDir, slug: slug)
    }

    var manifestPath: String { courseDir + "/course.yaml" }

    /// Rewrites the course's steps: `edit` gets the step blocks of course.yaml by id, in order,
    /// and returns the new order (blocks may be dropped or added as YAML text).
    func editSteps(_ edit: ([(id: String, yaml: String)]) -> [String]) throws {
        let text = try String(contentsOfFile: manifestPath, encoding: .utf8)
        var header: [String] = []
        var blocks: [(id: String, lines: [String])] = []
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("  - id: ") {
                blocks.append((String(line.dropFirst("  - id: ".count)).trimmingCharacters(in: .whitespaces), [line]))
            } else if blocks.isEmpty {
                header.append(line)
            } else {
                blocks[blocks.count - 1].lines.append(line)
            }
        }
        let edited = edit(blocks.map { ($0.id, $0.lines.joined(separator: "\n")) })
        let result = header.joined(separator: "\n") + "\n" + edited.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined()
        try result.write(toFile: manifestPath, atomically: true, encoding: .utf8)
    }

    /// Sends a callback_query with any data, as if `user` pressed a button on `message` (nil: an
    /// inline message). Returns the query id; the emulator does not know it, so the bot's answer
    /// is refused there but recorded (see `answer(toQuery:)`).
    @discardableResult
    func forgeCallback(_ data: String, from user: ScriptedUser, on message: ChatMessage?) -> String {
        let id = "forged-" + UUID().uuidString
        var from: [String: JSONValue] = ["id": .int(user.id), "is_bot": false, "first_name": .string(user.firstName)]
        if let code = user.languageCode { from["language_code"] = .string(code) }
        var query: [String: JSONValue] = [
            "id": .string(id), "from": .object(from), "chat_instance": "42", "data": .string(data),
        ]
        if let message { query["message"] = message.json }
        bot.enqueueUpdate(["callback_query": .object(query)])
        return id
    }

    /// The bot's answerCallbackQuery call for a query, once it was made.
    func answer(toQuery id: String, timeout: Duration = patience) async throws -> RecordedCall? {
        let bot = bot
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let call = bot.calls(method: "answerCallbackQuery").first(where: { $0.parameters["callback_query_id"]?.stringValue == id }) {
                return call
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Calls the emulator refused (method and error), but the answers to forged queries, which it
    /// cannot know: empty when the runtime only ever sent valid Bot API 10.1 calls.
    var refusedCalls: [String] {
        bot.calls.filter { call in
            !call.succeeded && !(call.parameters["callback_query_id"]?.stringValue?.hasPrefix("forged-") ?? false)
        }.map { "\($0.method): \($0.outcome)" }
    }

    /// Outbox rows left in the course database (method: status, error); empty once all was delivered.
    func leftInOutbox() async throws -> [String] {
        try await courseStore().read { db in
            try String.fetchAll(db, sql: "SELECT method || ': ' || status || ', ' || coalesce(last_error, '') FROM outbox")
        }
    }

    func shutdown() async {
        for running in runtimes.withLock({ $0 }) { try? await running.stop() }
        try? await httpClient.shutdown()
        await emulator.stop()
        try? FileManager.default.removeItem(atPath: (dataDir as NSString).deletingLastPathComponent)
    }

    /// Every captured log line that contains the token.
    var tokenLeaks: [String] { logs.all.filter { $0.contains(token) } }
}

/// How long a journey test waits for the bot: generous, since the whole suite shares two cores
/// (alone, every wait here ends in well under a second).
let patience = ScriptedUser.patience

/// A runtime whose supervisor runs in a task; `stop()` shuts every bot down gracefully.
struct RunningRuntime: Sendable {
    let runtime: Runtime
    let task: Task<Void, any Error>

    /// Stops every bot gracefully (a second call returns at once).
    func stop() async throws {
        runtime.supervisor.shutdown()
        try await task.value
    }
}

extension ScriptedUser {
    /// Presses a button and waits for a bot message containing `text`.
    @discardableResult
    func press(_ label: String, expecting text: String, timeout: Duration = patience) async throws -> ChatMessage {
        try press(label)
        return try await waitForMessage(containing: text, timeout: timeout)
    }

    /// Sends a text and waits for a bot message containing `text`.
    @discardableResult
    func send(_ message: String, expecting text: String, timeout: Duration = patience) async throws -> ChatMessage {
        send(message)
        return try await waitForMessage(containing: text, timeout: timeout)
    }
}
