import AsyncHTTPClient
import BotRuntime
import Foundation
import GongbuTesting
import HTTPAPI
import Logging
import Manifests
import NIOCore
import Prometheus
import Storage
import Synchronization
import TelegramBotAPI
import TelegramClient

/// The real runtime (`Runtime.make`) with a manager bot and bots.yaml course bots on the
/// emulator, and the HTTP listener with the web workspace and `/app` on a random loopback port:
/// what the browser tests of the Mini App drive.
final class WorkspaceHarness: Sendable {
    let emulator: BotAPIEmulator
    let root: String
    let dataDir: String
    let managerToken: String
    let manager: EmulatedBot
    let courseBots: [(slug: String, token: String, bot: EmulatedBot)]
    let logs = Shared<[String]>([])
    let httpClient: HTTPClient
    private let running = Mutex<(runtime: Runtime, task: Task<Void, any Error>, http: Task<Void, any Error>)?>(nil)
    private let port = Shared<Int?>(nil)

    static let registry = PrometheusCollectorRegistry()
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    static func with(
        managerToken: String, admins: [Int64] = [], courses: [(token: String, yaml: String)] = [],
        _ body: (WorkspaceHarness) async throws -> Void
    ) async throws {
        let harness = try await WorkspaceHarness(managerToken: managerToken, courses: courses)
        do {
            try await harness.start(admins: admins)
            try await body(harness)
        } catch {
            let log = harness.logs.value.withLock { $0.suffix(60).joined(separator: "\n") }
            FileHandle.standardError.write(Data("--- workspace runtime log ---\n\(log)\n".utf8))
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    init(managerToken: String, courses specs: [(token: String, yaml: String)]) async throws {
        emulator = BotAPIEmulator()
        try await emulator.start()
        root = NSTemporaryDirectory() + "gongbu-app-" + UUID().uuidString
        dataDir = root + "/data"
        self.managerToken = managerToken
        manager = emulator.addBot(token: managerToken, username: "school_manager_bot")
        manager.setRateLimits(nil)
        var bots: [(slug: String, token: String, bot: EmulatedBot)] = []
        for spec in specs {
            let slug = spec.yaml.components(separatedBy: "\n").first { $0.hasPrefix("slug: ") }.map { String($0.dropFirst(6)) } ?? "course"
            try FileManager.default.createDirectory(atPath: root + "/" + slug, withIntermediateDirectories: true)
            try spec.yaml.write(toFile: root + "/" + slug + "/course.yaml", atomically: true, encoding: .utf8)
            let bot = emulator.addBot(token: spec.token, username: "course_\(spec.token.prefix { $0.isNumber })_bot")
            bot.setRateLimits(nil)
            bots.append((slug, spec.token, bot))
        }
        courseBots = bots
        httpClient = ClientFactory.makeHTTPClient()
    }

    func start(admins: [Int64]) async throws {
        let config = BotsConfig(
            telegram: BotsConfig.Telegram(apiURL: emulator.baseURL, pollTimeout: 1), dataDir: dataDir,
            manager: BotsConfig.Manager(token: managerToken, admins: admins, creators: .open),
            bots: courseBots.map { BotsConfig.Bot(token: $0.token, course: root + "/" + $0.slug, coursePath: $0.slug + "/course.yaml") },
            baseDirectory: root)
        let logs = logs
        let logger = Logger(label: "app") { label in
            LineLogHandler(label: label, format: .text, level: .debug) { line in logs.value.withLock { $0.append(line) } }
        }
        let clients = ClientFactory(httpClient: httpClient, baseURL: emulator.baseURL, logger: logger)
        let settings = WorkerSettings(
            pollTimeout: 1, backoffBase: 0.05, backoffMax: 0.3,
            rateLimits: RateLimiter.Limits(botRate: 1000, botBurst: 1000, chatRate: 1000, chatBurst: 1000))
        let runtime = try await Runtime.make(
            config: config, resourcesDirectory: Self.packageRoot, settings: settings, client: { clients.client(for: $0) }, logger: logger,
            backgroundInterval: 0.1)
        let task = Task { try await runtime.supervisor.run() }
        runtime.startBots()
        let port = port
        let app = HTTPServer.application(
            host: "127.0.0.1", port: 0, health: runtime.health, registry: Self.registry, logger: logger, workspace: runtime.workspace
        ) { bound in port.value.withLock { $0 = bound } }
        let http = Task { try await app.runService() }
        running.withLock { $0 = (runtime, task, http) }
        for _ in 0..<1000 where self.port.value.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
    }

    var base: String { "http://127.0.0.1:\(port.value.withLock { $0 } ?? 0)" }

    func shutdown() async {
        if let running = running.withLock({ $0 }) {
            running.http.cancel()
            running.runtime.supervisor.shutdown()
            try? await running.task.value
            _ = try? await running.http.value
        }
        try? await httpClient.shutdown()
        await emulator.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    func courseBot(_ slug: String) -> EmulatedBot { courseBots.first { $0.slug == slug }!.bot }

    func courseStore(_ slug: String) throws -> CourseStore { try CourseStore.open(dataDir: dataDir, slug: slug) }

    /// Mini App init data for `user`, signed with the manager bot's token as Telegram signs it.
    func initData(id: Int64, name: String, queryId: String) -> String {
        TelegramSignIn.makeInitData(
            user: .init(id: id, firstName: name, authDate: Int64(Date().timeIntervalSince1970)), token: managerToken, queryId: queryId)
    }

    // MARK: The API, for checking what the page did

    /// A session of its own (fresh init data, so the page's is not replayed).
    func apiToken(id: Int64, name: String) async throws -> String {
        let body = JSONValue.object(["initData": .string(initData(id: id, name: name, queryId: "AAE-check-\(UUID().uuidString.prefix(8))"))])
        let answer = try await call("POST", "/auth/telegram", json: body.serialized)
        guard let token = answer["token"]?.stringValue else { throw HarnessError(message: "sign-in failed: \(answer.serialized)") }
        return token
    }

    func call(_ method: String, _ path: String, token: String? = nil, json body: String? = nil) async throws -> JSONValue {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await httpClient.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 8 << 20)
        return (try? JSONValue.parse(Data(collected.readableBytesView))) ?? .null
    }

    struct HarnessError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

extension ScriptedUser {
    /// Presses a button and waits for a bot message containing `text`.
    @discardableResult
    func press(_ label: String, expecting text: String, timeout: Duration = .seconds(20)) async throws -> ChatMessage {
        try press(label)
        return try await waitForMessage(containing: text, timeout: timeout)
    }

    /// Sends a text and waits for a bot message containing `text`.
    @discardableResult
    func send(_ message: String, expecting text: String, timeout: Duration = .seconds(20)) async throws -> ChatMessage {
        send(message)
        return try await waitForMessage(containing: text, timeout: timeout)
    }
}

/// A mutex-guarded value shared by reference (closures capture the box, not the mutex).
final class Shared<Value: Sendable>: Sendable {
    let value: Mutex<Value>

    init(_ initial: Value) { value = Mutex(initial) }
}
