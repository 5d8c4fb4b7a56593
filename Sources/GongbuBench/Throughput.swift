import BotRuntime
import Foundation
import Logging
import Manifests
import Storage

/// Phase 1: one course bot running the example course, many students in a closed loop.
enum Throughput {
    static func run(chats: Int, perChat: Int, root: String, logger: Logger) async throws {
        let child = try ChildProcess(arguments: ["--mode", "throughput", "--chats", "\(chats)", "--per-chat", "\(perChat)"])
        guard let ready = await child.readLine(), ready.hasPrefix("READY ") else {
            throw RuntimeError("the emulator process did not start")
        }
        let baseURL = String(ready.dropFirst("READY ".count))
        let dataDir = ProcessFigures.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let courseFolder = root + "/courses/swift-basics"
        let config = BotsConfig(
            telegram: .init(apiURL: baseURL, pollTimeout: 30), dataDir: dataDir,
            bots: [.init(token: BenchTokens.throughput, course: courseFolder, coursePath: "courses/swift-basics")],
            baseDirectory: root)
        let httpClient = ClientFactory.makeHTTPClient()
        let clients = ClientFactory(httpClient: httpClient, baseURL: baseURL, logger: logger)
        let unlimited = RateLimiter.Limits(botRate: 1e9, botBurst: 1e9, chatRate: 1e9, chatBurst: 1e9)
        let runtime = try await Runtime.make(
            config: config, resourcesDirectory: root,
            settings: WorkerSettings(pollTimeout: 30, rateLimits: unlimited, senderConcurrency: 64),
            client: { clients.client(for: $0) }, logger: logger)
        let supervising = Task { try await runtime.supervisor.run() }
        let cpuBefore = ProcessFigures.cpuMicroseconds()
        runtime.startBots()
        guard let result = await child.readLine(), result.hasPrefix("RESULT ") else {
            throw RuntimeError("the emulator process did not report")
        }
        let cpu = ProcessFigures.cpuMicroseconds() - cpuBefore
        runtime.supervisor.shutdown()
        try await supervising.value
        child.finish()
        try await httpClient.shutdown()

        let fields = Dictionary(uniqueKeysWithValues: result.dropFirst("RESULT ".count).split(separator: " ").compactMap { pair -> (String, Double)? in
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let value = Double(parts[1]) else { return nil }
            return (String(parts[0]), value)
        })
        let updates = fields["updates"] ?? 0
        let seconds = fields["seconds"] ?? 1
        print("""
            throughput: 1 course bot, \(chats) chats × \(perChat) messages, closed loop (example course)
              updates:              \(Int(updates))
              updates/s:            \(String(format: "%.0f", updates / seconds))
              update→reply p50:     \(String(format: "%.2f", fields["p50_ms"] ?? 0)) ms
              update→reply p99:     \(String(format: "%.2f", fields["p99_ms"] ?? 0)) ms
              CPU per update:       \(String(format: "%.0f", cpu / max(updates, 1))) µs (user+sys of this process; the emulator runs in another)
            """)
    }
}
