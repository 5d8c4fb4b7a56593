import Foundation
import GongbuTesting
import Logging

/// The emulator side of the benchmark, in its own process so the runtime's CPU figure is its own.
///
/// Protocol on stdio: it prints `READY <baseURL>`; in `throughput` mode it runs closed-loop
/// students (each sends its next message when the reply to the previous one arrived) and prints
/// `RESULT updates=… seconds=… p50_ms=… p99_ms=…`; in `idle` mode it answers each `count` line
/// on stdin with `POLLING <n>`; `course` and `backlog` modes: see `CourseLoadEmulator`, `BacklogEmulator`.
/// It exits when stdin closes.
enum EmulatorProcess {
    static func run(arguments: [String]) async throws {
        let options = Options(arguments)
        let mode = options.string("mode") ?? "throughput"
        // The course scenarios keep Telegram's flood limits (unless `--limits off`) and the call log they count sends from.
        let courseMode = mode == "course" || mode == "backlog"
        var configuration = EmulatorConfiguration()
        configuration.rateLimits = courseMode && options.string("limits") != "off" ? .telegram : nil
        configuration.recordsCalls = courseMode
        configuration.logger = Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() })
        let emulator = BotAPIEmulator(configuration: configuration)
        try await emulator.start()
        if mode == "course" {
            try await CourseLoadEmulator.run(options, emulator: emulator)
            while await standardInputLine() != nil {}
        } else if mode == "backlog" {
            try await BacklogEmulator.run(options, emulator: emulator)
        } else if mode == "idle" {
            let count = options.int("bots") ?? 1000
            let bots = (0..<count).map { emulator.addBot(token: BenchTokens.idle($0), username: "idle\($0)_bot") }
            say("READY \(emulator.baseURL)")
            while let line = readLine() {
                if line == "count" { say("POLLING \(bots.filter(\.isPolling).count)") }
            }
        } else {
            let chats = options.int("chats") ?? 1000
            let perChat = options.int("per-chat") ?? 20
            let bot = emulator.addBot(token: BenchTokens.throughput, username: "bench_bot")
            say("READY \(emulator.baseURL)")
            while !bot.isPolling { try await Task.sleep(for: .milliseconds(10)) }
            let started = ContinuousClock.now
            let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
                for index in 0..<chats {
                    let user = bot.user(id: 1_000_000 + Int64(index), firstName: "Student\(index)")
                    group.addTask {
                        var latencies: [Duration] = []
                        for message in 0..<perChat {
                            let before = user.messages.count
                            let sent = ContinuousClock.now
                            user.send(BenchScript.messages[message % BenchScript.messages.count])
                            _ = try await user.waitForMessageCount(before + 1, timeout: .seconds(120))
                            latencies.append(ContinuousClock.now - sent)
                        }
                        return latencies
                    }
                }
                var all: [Duration] = []
                for try await chunk in group { all += chunk }
                return all
            }
            let seconds = (ContinuousClock.now - started).seconds
            let sorted = latencies.sorted()
            func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))].seconds * 1000 }
            say(String(format: "RESULT updates=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f", latencies.count, seconds, percentile(0.5), percentile(0.99)))
            while readLine() != nil {}
        }
        await emulator.stop()
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// What each benchmark student types, in a loop: the commands of a course bot and free text.
enum BenchScript {
    static let messages = ["/start", "/progress", "/contents", "/help", "hello"]
}

/// Made-up tokens the two benchmark processes agree on (never real ones).
enum BenchTokens {
    static let throughput = "700001:BENCH-throughput"

    /// The course bots of the course-load scenarios (Gongbu's or the aiogram peer's).
    static func course(_ index: Int) -> String { "\(720_001 + index):BENCH-course-\(index)" }

    static func idle(_ index: Int) -> String { "\(800_000 + index):BENCH-idle-\(index)" }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// `--name value` pairs.
struct Options {
    var values: [String: String] = [:]

    init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--"), index + 1 < arguments.count {
                values[String(argument.dropFirst(2))] = arguments[index + 1]
                index += 2
            } else {
                index += 1
            }
        }
    }

    func string(_ name: String) -> String? { values[name] }
    func int(_ name: String) -> Int? { values[name].flatMap { Int($0) } }
}
