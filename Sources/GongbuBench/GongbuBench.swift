import BotRuntime
import Foundation
import GongbuTesting
import Logging
import Manifests
import Storage
import TelegramBotAPI

/// `gongbu-bench`: the runtime's speed and footprint against the emulator on loopback.
///
/// 1. One course bot (the example course) with `--chats` students typing `--per-chat` messages
///    each, closed loop: updates/s, p50/p99 update→reply, CPU µs per update of this process.
/// 2. `--idle-bots` bots long-polling with nothing to do: resident memory and the time until all poll.
/// The emulator runs in a child process (`gongbu-bench emulator …`), so the CPU figure is Gongbu's own.
/// `--scenario …` runs the scenarios with Telegram's limits ON instead (see `Scenarios`).
@main
struct GongbuBench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "emulator" {
            try await EmulatorProcess.run(arguments: Array(arguments.dropFirst()))
            return
        }
        let options = Options(arguments)
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        print("gongbu-bench (release build recommended: swift run -c release gongbu-bench)")
        if let scenario = options.string("scenario") {
            try await Scenarios.run(scenario, options: options, root: root, logger: logger)
            return
        }
        if options.string("skip") != "throughput" {
            try await Throughput.run(chats: options.int("chats") ?? 1000, perChat: options.int("per-chat") ?? 20, root: root, logger: logger)
        }
        if options.string("skip") != "idle" {
            if options.string("skip") == "throughput" {
                try await IdleBots.run(count: options.int("idle-bots") ?? 1000, sharedDatabase: options.string("idle-database") == "shared", logger: logger)
            } else {
                // A fresh process, as `gongbu run` with idle bots is: the throughput phase's heap
                // high-water mark must not count as the idle bots' memory.
                var arguments = ["--skip", "throughput", "--idle-bots", String(options.int("idle-bots") ?? 1000)]
                if let database = options.string("idle-database") { arguments += ["--idle-database", database] }
                let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
                let child = try SpawnedProcess(executable: executable, arguments: arguments, environment: ProcessInfo.processInfo.environment)
                let result = child.finish()
                print(result.stdout.split(separator: "\n").filter { !$0.hasPrefix("gongbu-bench") }.joined(separator: "\n"))
                if result.status != 0 { FileHandle.standardError.write(Data(result.stderr.utf8)) }
            }
        }
    }
}

/// Process-level figures: CPU time (getrusage) and resident memory (/proc/self/status).
enum ProcessFigures {
    static func cpuMicroseconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec)
        let system = Double(usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_stime.tv_usec)
        return user + system
    }

    static func residentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kilobytes / 1024
        }
        return 0
    }

    static func dataDirectory() -> String {
        NSTemporaryDirectory() + "gongbu-bench-" + UUID().uuidString
    }
}
