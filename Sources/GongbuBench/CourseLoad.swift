import BotRuntime
import Foundation
import GongbuTesting
import Logging
import Manifests

/// What one course-load run measured: the emulator's `RESULT` line and the bot process's CPU
/// time and memory between `GO` (students start) and `RESULT` (they are done).
struct CourseLoadFigures {
    var result: ResultLine
    /// User + system CPU of the process running the bots, in µs, during the run.
    var cpuMicroseconds: Double
    /// Peak resident memory (VmHWM) of that process, MiB.
    var peakResidentMiB: Double
    /// Resident memory at the end of the run (VmRSS), MiB.
    var residentMiB: Double

    var updates: Double { result["updates"] }
    var cpuPerUpdate: Double { cpuMicroseconds / max(updates, 1) }
    var sendsPerSecond: Double { result["sends"] / max(result["seconds"], 0.001) }

    /// One line to hand the figures to another process (`all` passes Gongbu's to the peer scenario).
    var line: String {
        var copy = result
        copy["cpu_us"] = cpuMicroseconds
        copy["peak_rss_mib"] = peakResidentMiB
        copy["rss_mib"] = residentMiB
        return copy.line(prefix: "FIGURES ")
    }

    init(result: ResultLine, cpuMicroseconds: Double, peakResidentMiB: Double, residentMiB: Double) {
        self.result = result
        self.cpuMicroseconds = cpuMicroseconds
        self.peakResidentMiB = peakResidentMiB
        self.residentMiB = residentMiB
    }

    init?(line: String) {
        guard let parsed = ResultLine(line, prefix: "FIGURES ") else { return nil }
        result = parsed
        cpuMicroseconds = parsed["cpu_us"]
        peakResidentMiB = parsed["peak_rss_mib"]
        residentMiB = parsed["rss_mib"]
    }
}

/// The emulator child of a course-load run: `READY`, then `GO`, then `RESULT`.
struct EmulatorSession {
    let child: ChildProcess
    let baseURL: String

    init(arguments: [String]) async throws {
        child = try ChildProcess(arguments: arguments)
        guard let ready = await child.readLine(), ready.hasPrefix("READY ") else {
            throw RuntimeError("the emulator process did not start")
        }
        baseURL = String(ready.dropFirst("READY ".count))
    }

    /// Stops the emulator; what it wrote to stderr (failures, refused calls) is shown.
    func finish() {
        child.finish()
        let errors = child.process.stderr
        if !errors.isEmpty { FileHandle.standardError.write(Data("emulator: \(errors.suffix(4000))\n".utf8)) }
    }

    func expect(_ prefix: String) async throws -> String {
        guard let line = await child.readLine(), line.hasPrefix(prefix) else {
            throw RuntimeError("the emulator process did not say \(prefix)")
        }
        return line
    }
}

/// Gongbu's side of the course-load runs: the real `gongbu run` composition (`Runtime.make`)
/// with Telegram's pacing (`RateLimiter.Limits.telegram`), in this process.
enum GongbuCourseLoad {
    /// Runs `bots` course bots (copies of the example course with their own slugs) against an
    /// emulator started with `emulatorArguments`.
    static func run(bots: Int, emulatorArguments: [String], root: String, logger: Logger) async throws -> CourseLoadFigures {
        let session = try await EmulatorSession(arguments: ["--mode", "course", "--bots", "\(bots)"] + emulatorArguments)
        let running = try await RunningGongbu.start(bots: bots, baseURL: session.baseURL, root: root, logger: logger)
        _ = try await session.expect("GO")
        let cpuBefore = ProcessFigures.cpuMicroseconds()
        let result = try await session.expect("RESULT ")
        let cpu = ProcessFigures.cpuMicroseconds() - cpuBefore
        let figures = CourseLoadFigures(
            result: ResultLine(result) ?? ResultLine(), cpuMicroseconds: cpu,
            peakResidentMiB: ProcessFigures.statusMiB("VmHWM"), residentMiB: ProcessFigures.statusMiB("VmRSS"))
        try await running.stop()
        session.finish()
        return figures
    }
}

/// A `Runtime` teaching the example course in `bots` bots, started and stopped by the benchmark.
struct RunningGongbu {
    let runtime: Runtime
    let supervising: Task<Void, any Error>
    let shutdownClient: @Sendable () async throws -> Void
    let directory: String

    static func start(bots: Int, baseURL: String, root: String, logger: Logger) async throws -> RunningGongbu {
        let directory = ProcessFigures.dataDirectory()
        let dataDir = directory + "/data"
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        var entries: [BotsConfig.Bot] = []
        for index in 0..<bots {
            var folder = root + "/courses/swift-basics"
            if bots > 1 {
                // Each bot teaches its own copy: a course's slug names its database.
                let copy = directory + "/course-\(index)"
                try FileManager.default.copyItem(atPath: folder, toPath: copy)
                let manifest = copy + "/course.yaml"
                let text = try String(contentsOfFile: manifest, encoding: .utf8)
                try text.replacingOccurrences(of: "slug: swift-basics", with: "slug: swift-basics-\(index)")
                    .write(toFile: manifest, atomically: true, encoding: .utf8)
                folder = copy
            }
            entries.append(.init(token: BenchTokens.course(index), course: folder, coursePath: folder))
        }
        let config = BotsConfig(telegram: .init(apiURL: baseURL, pollTimeout: 30), dataDir: dataDir, bots: entries, baseDirectory: root)
        let httpClient = ClientFactory.makeHTTPClient()
        let clients = ClientFactory(httpClient: httpClient, baseURL: baseURL, logger: logger)
        let runtime = try await Runtime.make(
            config: config, resourcesDirectory: root, settings: WorkerSettings(pollTimeout: 30),
            client: { clients.client(for: $0) }, logger: logger)
        let supervising = Task { try await runtime.supervisor.run() }
        runtime.startBots()
        return RunningGongbu(
            runtime: runtime, supervising: supervising, shutdownClient: { try await httpClient.shutdown() }, directory: directory)
    }

    func stop() async throws {
        runtime.supervisor.shutdown()
        try await supervising.value
        try await shutdownClient()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

extension ProcessFigures {
    /// A `kB` field of /proc/<pid>/status (VmRSS, VmHWM) in MiB; `pid` nil: this process.
    static func statusMiB(_ field: String, pid: Int32? = nil) -> Double {
        let path = pid.map { "/proc/\($0)/status" } ?? "/proc/self/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return (line.split(separator: " ").compactMap { Double($0) }.first ?? 0) / 1024
        }
        return 0
    }

    /// utime + stime of another process from /proc/<pid>/stat, in µs (clock-tick resolution).
    static func cpuMicroseconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after "(comm)": state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) * 1e6 / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
