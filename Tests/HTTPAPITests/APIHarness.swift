import AsyncHTTPClient
import BotRuntime
import Foundation
import GongbuTesting
import HTTPAPI
import Logging
import Manifests
import NIOCore
import Prometheus
import ServiceLifecycle
import Storage
import Synchronization
import TelegramBotAPI
import TelegramClient

/// The real runtime (`Runtime.make`) with a manager bot and optional bots.yaml course bots on
/// the emulator, and the HTTP listener with the web workspace on a random loopback port.
final class APIHarness: Sendable {
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
        managerToken: String, admins: [Int64] = [], creators: BotsConfig.CreatorsPolicy = .open, courses: [(token: String, yaml: String)] = [],
        publicURL: String? = nil, _ body: (APIHarness) async throws -> Void
    ) async throws {
        let harness = try await APIHarness(managerToken: managerToken, courses: courses)
        do {
            try await harness.start(admins: admins, creators: creators, publicURL: publicURL)
            try await body(harness)
        } catch {
            let log = harness.logs.withLock { $0.suffix(60).joined(separator: "\n") }
            FileHandle.standardError.write(Data("--- api runtime log ---\n\(log)\n".utf8))
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    init(managerToken: String, courses specs: [(token: String, yaml: String)]) async throws {
        emulator = BotAPIEmulator()
        try await emulator.start()
        root = NSTemporaryDirectory() + "gongbu-api-" + UUID().uuidString
        dataDir = root + "/data"
        self.managerToken = managerToken
        manager = emulator.addBot(token: managerToken, username: "manager_\(managerToken.prefix { $0.isNumber })_bot")
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

    func start(admins: [Int64], creators: BotsConfig.CreatorsPolicy, publicURL: String?) async throws {
        let config = BotsConfig(
            telegram: BotsConfig.Telegram(apiURL: emulator.baseURL, pollTimeout: 1), dataDir: dataDir,
            http: BotsConfig.HTTP(listen: "127.0.0.1:0", host: "127.0.0.1", port: 0, publicURL: publicURL),
            manager: BotsConfig.Manager(token: managerToken, admins: admins, creators: creators),
            bots: courseBots.map { BotsConfig.Bot(token: $0.token, course: root + "/" + $0.slug, coursePath: $0.slug + "/course.yaml") },
            baseDirectory: root)
        let logs = logs
        let logger = Logger(label: "api") { label in
            LineLogHandler(label: label, format: .text, level: .debug) { line in logs.withLock { $0.append(line) } }
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
        ) { bound in port.withLock { $0 = bound } }
        let http = Task { try await app.runService() }
        running.withLock { $0 = (runtime, task, http) }
        for _ in 0..<500 where self.port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
    }

    var workspace: Workspace? { running.withLock { $0?.runtime.workspace } }

    var base: String { "http://127.0.0.1:\(port.withLock { $0 } ?? 0)" }

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

    func platform() throws -> PlatformStore { try PlatformStore.open(dataDir: dataDir) }

    func courseBot(_ slug: String) -> EmulatedBot { courseBots.first { $0.slug == slug }!.bot }

    // MARK: HTTP

    struct Answer: Sendable {
        var status: UInt
        var text: String
        var bytes: [UInt8] = []
        var json: ManifestValue? { ManifestValue.parse(json: Data(text.utf8)) }
        var errorCode: String? { json?["error"]?["code"]?.stringValue }
        var errorField: String? { json?["error"]?["field"]?.stringValue }
    }

    func call(
        _ method: String, _ path: String, token: String? = nil, json body: String? = nil, bytes: [UInt8]? = nil, contentType: String? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        } else if let bytes {
            request.headers.add(name: "Content-Type", value: contentType ?? "application/octet-stream")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        let response = try await httpClient.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 8 << 20)
        return Answer(status: response.status.code, text: String(buffer: collected), bytes: Array(collected.readableBytesView))
    }

    /// Signs `user` in with freshly signed Mini App initData; returns the session token.
    func signIn(_ id: Int64, name: String = "Creator") async throws -> String {
        let initData = TelegramSignIn.makeInitData(
            user: TelegramSignIn.SignedUser(id: id, firstName: name, authDate: Int64(Date().timeIntervalSince1970)), token: managerToken,
            queryId: "AAE-\(UUID().uuidString.prefix(8))")
        let answer = try await call("POST", "/auth/telegram", json: ManifestValue.fields([("initData", .string(initData))]).jsonText)
        guard answer.status == 200, let token = answer.json?["token"]?.stringValue else {
            throw APIHarnessError("sign-in of \(id) answered \(answer.status): \(answer.text)")
        }
        return token
    }
}

/// A value shared between tasks (a class, so closures capture it by reference).
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        mutex = Mutex(value)
    }

    func withLock<T>(_ body: (inout sending Value) throws -> sending T) rethrows -> sending T {
        try mutex.withLock(body)
    }
}

struct APIHarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(15), _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
