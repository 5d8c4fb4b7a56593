import AsyncHTTPClient
import BotRuntime
import Foundation
import GongbuTesting
import Logging
import Manifests
import Storage
import Synchronization

/// The real runtime (`Runtime.make`) with course bots written in code and a manager bot, on the
/// emulator: for the quiz statistics and review tests. Background jobs (downloads, the review
/// relay) run every 0.1 s so tests stay quick.
final class ReviewHarness: Sendable {
    struct CourseBot: Sendable {
        let slug: String
        let token: String
        let bot: EmulatedBot
    }

    let emulator: BotAPIEmulator
    let root: String
    let dataDir: String
    let managerToken: String
    let manager: EmulatedBot
    let courses: [CourseBot]
    let admins: [Int64]
    let creators: BotsConfig.CreatorsPolicy
    let logs = LogCapture()
    let logger: Logger
    let httpClient: HTTPClient
    let clients: ClientFactory
    private let running = Mutex<(runtime: Runtime, task: Task<Void, any Error>)?>(nil)
    /// Seconds added to the real time by the runtime's injected clock (`advanceClock`).
    let clock = TestClock()
    /// The senders' rate limits (relaxed unless a test checks Telegram's limits).
    let limits: RateLimiter.Limits

    /// Moves the runtime's clock forward (subscriptions expire without waiting).
    func advanceClock(by seconds: Double) {
        clock.offset.withLock { $0 += seconds }
    }

    /// The runtime's time now.
    var now: Double { clock.now() }

    /// - Parameter courses: (token, course.yaml text) per course bot; the slug is read from the YAML.
    static func with(
        managerToken: String, admins: [Int64] = [], creators: BotsConfig.CreatorsPolicy = .open, courses: [(token: String, yaml: String)],
        limits: RateLimiter.Limits = ReviewHarnessLimits.relaxed,
        _ body: (ReviewHarness) async throws -> Void
    ) async throws {
        let harness = try await ReviewHarness(managerToken: managerToken, admins: admins, creators: creators, courses: courses, limits: limits)
        do {
            try await harness.start()
            try await body(harness)
        } catch {
            let log = harness.logs.all.suffix(60).joined(separator: "\n")
            FileHandle.standardError.write(Data("--- review runtime log ---\n\(log)\n".utf8))
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    init(
        managerToken: String, admins: [Int64], creators: BotsConfig.CreatorsPolicy = .open, courses specs: [(token: String, yaml: String)],
        limits: RateLimiter.Limits = ReviewHarnessLimits.relaxed
    ) async throws {
        self.limits = limits
        emulator = BotAPIEmulator()
        try await emulator.start()
        root = NSTemporaryDirectory() + "gongbu-review-" + UUID().uuidString
        dataDir = root + "/data"
        self.managerToken = managerToken
        self.admins = admins
        self.creators = creators
        manager = emulator.addBot(token: managerToken, username: "manager_\(managerToken.prefix { $0.isNumber })_bot")
        manager.setRateLimits(nil)
        var courses: [CourseBot] = []
        for spec in specs {
            let slug = spec.yaml.components(separatedBy: "\n").first { $0.hasPrefix("slug: ") }.map { String($0.dropFirst(6)) } ?? "course"
            try FileManager.default.createDirectory(atPath: root + "/" + slug, withIntermediateDirectories: true)
            try spec.yaml.write(toFile: root + "/" + slug + "/course.yaml", atomically: true, encoding: .utf8)
            let bot = emulator.addBot(token: spec.token, username: "course_\(spec.token.prefix { $0.isNumber })_bot")
            bot.setRateLimits(nil)
            courses.append(CourseBot(slug: slug, token: spec.token, bot: bot))
        }
        self.courses = courses
        let sink = logs.sink
        logger = Logger(label: "reviews") { label in LineLogHandler(label: label, format: .text, level: .debug, sink: sink) }
        httpClient = ClientFactory.makeHTTPClient()
        clients = ClientFactory(httpClient: httpClient, baseURL: emulator.baseURL, logger: logger)
    }

    func start() async throws {
        let config = BotsConfig(
            telegram: BotsConfig.Telegram(apiURL: emulator.baseURL, pollTimeout: 1), dataDir: dataDir,
            manager: BotsConfig.Manager(token: managerToken, admins: admins, creators: creators),
            bots: courses.map { BotsConfig.Bot(token: $0.token, course: root + "/" + $0.slug, coursePath: $0.slug + "/course.yaml") },
            baseDirectory: root)
        let clients = clients
        let clock = clock
        let settings = WorkerSettings(pollTimeout: 1, backoffBase: 0.05, backoffMax: 0.3, rateLimits: limits)
        let runtime = try await Runtime.make(
            config: config, resourcesDirectory: GongbuBinary.root.path, settings: settings,
            client: { clients.client(for: $0) }, logger: logger,
            now: { clock.now() }, backgroundInterval: 0.1)
        let task = Task { try await runtime.supervisor.run() }
        runtime.startBots()
        running.withLock { $0 = (runtime, task) }
    }

    /// Stops the runtime (bots finish their batch) and starts a new one on the same data, as a
    /// process restart would.
    func restart() async throws {
        if let running = running.withLock({ $0 }) {
            running.runtime.supervisor.shutdown()
            try? await running.task.value
        }
        try await start()
    }

    func course(_ slug: String) -> CourseBot { courses.first { $0.slug == slug }! }

    func store(_ slug: String) throws -> CourseStore { try CourseStore.open(dataDir: dataDir, slug: slug) }

    func platform() throws -> PlatformStore { try PlatformStore.open(dataDir: dataDir) }

    func student(_ slug: String, id: Int64, name: String = "Student") -> ScriptedUser {
        course(slug).bot.user(id: id, firstName: name)
    }

    func reviewer(id: Int64, name: String = "Reviewer") -> ScriptedUser {
        manager.user(id: id, firstName: name)
    }

    func shutdown() async {
        if let running = running.withLock({ $0 }) {
            running.runtime.supervisor.shutdown()
            try? await running.task.value
        }
        try? await httpClient.shutdown()
        await emulator.stop()
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// The runtime's injected clock: the real time plus an offset a test moves forward.
final class TestClock: Sendable {
    let offset = Mutex<Double>(0)

    func now() -> Double { Date().timeIntervalSince1970 + offset.withLock { $0 } }
}

/// Limits high enough that pacing never slows a test down.
enum ReviewHarnessLimits {
    static let relaxed = RateLimiter.Limits(botRate: 1000, botBurst: 1000, chatRate: 1000, chatBurst: 1000)
}

/// A two-course YAML with an assignment reviewed by `creator` (nil: the admins review).
func reviewCourseYAML(slug: String, title: String, creator: Int64?, accept: String = "[text, photo, document]") -> String {
    """
    slug: \(slug)
    title: \(title)
    language: en
    \(creator.map { "creator: \($0)" } ?? "")
    steps:
      - id: intro
        type: text
        title: Intro
        text: Hello.
      - id: essay
        type: assignment
        title: Essay
        text: Send your essay.
        accept: \(accept)
        review: creator
      - id: after
        type: text
        title: After
        text: Well done, you made it.

    """
}
