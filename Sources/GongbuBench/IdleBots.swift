import BotRuntime
import Foundation
import Logging
import Manifests
import Storage

/// Phase 2: a thousand course bots with nothing to do, as `gongbu run` runs them from a bots.yaml
/// where each bot teaches its own course folder (its own course database), plus a manager bot
/// (its review relay, refunds, summaries and desk run beside the bots). The emulator does not
/// know the manager's token, so that bot is refused (401) at once: the course bots must poll on
/// regardless. Prints resident memory, the time until every course bot polls, and the CPU this
/// process spends per second over an idle stretch (`--idle-seconds`, default 60), each beside
/// its target.
enum IdleBots {
    static let targetMiB = 64.0
    static let targetStartup = 2.0
    static let targetCPU = 5.0

    /// `--idle-seconds N` (or `GONGBU_BENCH_IDLE_SECONDS`, which reaches the fresh process the
    /// idle phase runs in).
    static var idleSeconds: Double {
        let arguments = CommandLine.arguments
        if let index = arguments.firstIndex(of: "--idle-seconds"), index + 1 < arguments.count, let seconds = Double(arguments[index + 1]) {
            return seconds
        }
        return ProcessInfo.processInfo.environment["GONGBU_BENCH_IDLE_SECONDS"].flatMap(Double.init) ?? 60
    }

    static func courseYAML(_ index: Int) -> String {
        """
        slug: idle-\(index)
        title: Idle course \(index)
        language: en
        steps:
          - id: intro
            type: text
            title: Intro
            text: Hello.
          - id: essay
            type: assignment
            title: Essay
            text: Send your essay.
            accept: [text]
            review: creator

        """
    }

    /// - Parameter sharedDatabase: ignored since every bot teaches its own course (kept for the option).
    static func run(count: Int, sharedDatabase: Bool = false, logger: Logger) async throws {
        let child = try ChildProcess(arguments: ["--mode", "idle", "--bots", "\(count)"])
        guard let ready = await child.readLine(), ready.hasPrefix("READY ") else {
            throw RuntimeError("the emulator process did not start")
        }
        let baseURL = String(ready.dropFirst("READY ".count))
        let root = ProcessFigures.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var bots: [BotsConfig.Bot] = []
        for index in 0..<count {
            let folder = root + "/courses/idle-\(index)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try courseYAML(index).write(toFile: folder + "/course.yaml", atomically: true, encoding: .utf8)
            bots.append(BotsConfig.Bot(token: BenchTokens.idle(index), course: folder, coursePath: "courses/idle-\(index)/course.yaml"))
        }
        let config = BotsConfig(
            telegram: .init(apiURL: baseURL), dataDir: root + "/data",
            manager: BotsConfig.Manager(token: "799999:BENCH-idle-manager", admins: [1]), bots: bots, baseDirectory: root)
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let rssBefore = ProcessFigures.residentMiB()
        let httpClient = ClientFactory.makeHTTPClient()
        let clients = ClientFactory(httpClient: httpClient, baseURL: baseURL, logger: logger)
        let runtime = try await Runtime.make(
            config: config, resourcesDirectory: packageRoot, settings: WorkerSettings(pollTimeout: config.telegram.pollTimeout),
            client: { clients.client(for: $0) }, logger: logger)
        let supervising = Task { try await runtime.supervisor.run() }
        let started = ContinuousClock.now
        runtime.startBots()
        var polling = 0
        while polling < count, ContinuousClock.now - started < .seconds(60) {
            child.send("count")
            polling = Int(await child.readLine()?.split(separator: " ").last ?? "0") ?? 0
            if polling < count { try await Task.sleep(for: .milliseconds(20)) }
        }
        let startup = ContinuousClock.now - started
        try await Task.sleep(for: .seconds(3))
        let idle = idleSeconds
        let cpuBefore = ProcessFigures.cpuMicroseconds()
        let idleStarted = ContinuousClock.now
        try await Task.sleep(for: .seconds(idle))
        let cpuPerSecond = (ProcessFigures.cpuMicroseconds() - cpuBefore) / 1000 / (ContinuousClock.now - idleStarted).seconds
        let rss = ProcessFigures.residentMiB()
        let openDatabases = openCourseDatabases()
        runtime.supervisor.shutdown()
        try await supervising.value
        child.finish()
        try await httpClient.shutdown()
        func verdict(_ ok: Bool) -> String { ok ? "ok" : "OVER" }
        print("""
            idle: \(count) course bots long-polling, each teaching its own course folder, + a refused manager bot
              all polling after:    \(String(format: "%.2f", startup.seconds)) s (\(polling)/\(count))  target ≤ \(String(format: "%.0f", targetStartup)) s  \(verdict(startup.seconds <= targetStartup))
              resident memory:      \(String(format: "%.1f", rss)) MiB (\(String(format: "%.1f", rss - rssBefore)) MiB above the process at start)  target ≤ \(String(format: "%.0f", targetMiB)) MiB  \(verdict(rss <= targetMiB))
              open course databases: \(openDatabases) of \(count)
              CPU while idle:       \(String(format: "%.2f", cpuPerSecond)) ms/s over \(String(format: "%.0f", idle)) s  target ≤ \(String(format: "%.0f", targetCPU)) ms/s  \(verdict(cpuPerSecond <= targetCPU))
            """)
    }

    /// Course databases this process holds open now (file descriptors on a course.sqlite).
    static func openCourseDatabases() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.filter { name in
            ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name)) ?? "").hasSuffix("course.sqlite")
        }.count
    }
}
