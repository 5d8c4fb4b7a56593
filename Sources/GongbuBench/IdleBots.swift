import BotRuntime
import Foundation
import Logging
import SceneEngine
import Storage
import TelegramBotAPI

/// Phase 2: many bots long-polling with nothing to do, each with its own course database.
enum IdleBots {
    struct QuietScene: Scene {
        struct State: Codable, Sendable, Equatable {}

        func initialState(for event: ChatEvent) -> State { State() }
        func handle(_ event: ChatEvent, state: inout State, now: Double) -> [Effect] { [] }
    }

    /// - Parameter sharedDatabase: all bots share one database (isolates the cost of SQLite connections).
    static func run(count: Int, sharedDatabase: Bool = false, logger: Logger) async throws {
        let child = try ChildProcess(arguments: ["--mode", "idle", "--bots", "\(count)"])
        guard let ready = await child.readLine(), ready.hasPrefix("READY ") else {
            throw RuntimeError("the emulator process did not start")
        }
        let baseURL = String(ready.dropFirst("READY ".count))
        let dataDir = ProcessFigures.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let rssBefore = ProcessFigures.residentMiB()
        let httpClient = ClientFactory.makeHTTPClient()
        let clients = ClientFactory(httpClient: httpClient, baseURL: baseURL, logger: logger)
        let platform = try PlatformStore.open(dataDir: dataDir)
        let health = BotHealth()
        let settings = WorkerSettings(pollTimeout: 30)
        var stores: [Int64: ChatStore] = [:]
        var identities: [BotIdentity] = []
        for index in 0..<count {
            let identity = BotIdentity(token: BotToken(BenchTokens.idle(index)), courseSlug: "idle-\(index)")
            if sharedDatabase {
                stores[identity.botId] = platform.chats
            } else {
                // As `gongbu run` does: opened and migrated at start, then closed while quiet.
                let store = try CourseStore.open(dataDir: dataDir, slug: "idle-\(index)")
                try await store.closeIfQuiet()
                stores[identity.botId] = store.chats
            }
            identities.append(identity)
        }
        let allStores = stores
        let supervisor = Supervisor(health: health, logger: logger) { identity in
            BotWorker(identity: identity, client: clients.client(for: identity.token), platform: platform, chats: allStores[identity.botId]!, handler: SceneChatHandler(scene: QuietScene()), settings: settings, health: health, logger: logger)
        }
        let supervising = Task { try await supervisor.run() }
        let started = ContinuousClock.now
        for identity in identities { supervisor.add(identity) }
        var polling = 0
        while polling < count, ContinuousClock.now - started < .seconds(60) {
            child.send("count")
            polling = Int(await child.readLine()?.split(separator: " ").last ?? "0") ?? 0
            if polling < count { try await Task.sleep(for: .milliseconds(20)) }
        }
        let startup = ContinuousClock.now - started
        try await Task.sleep(for: .seconds(3))
        let rss = ProcessFigures.residentMiB()
        supervisor.shutdown()
        try await supervising.value
        child.finish()
        try await httpClient.shutdown()
        print("""
            idle: \(count) bots long-polling, \(sharedDatabase ? "one shared database" : "one course database each")
              all polling after:    \(String(format: "%.2f", startup.seconds)) s (\(polling)/\(count))
              resident memory:      \(String(format: "%.1f", rss)) MiB (\(String(format: "%.1f", rss - rssBefore)) MiB above the process at start)
            """)
    }
}
