import Foundation
import GongbuTesting
import Logging

/// The emulator side of the course-load scenarios (`gongbu-bench emulator --mode course …`):
/// `--bots` course bots, `--students` per bot walking the example course (`CourseWalk`),
/// Telegram's flood limits on unless `--limits off`.
///
/// Protocol: prints `READY <baseURL>`, then `GO` once every bot polls (the students start
/// then), then `RESULT …` (students, finished, updates, seconds, sends, too_many, p50_ms,
/// p99_ms, skipped). `--loop closed`: each student's next action waits for the answer to the
/// last. `--loop open --rate R --duration D`: an action every 1/R s, from a student whose last
/// action was answered (`skipped` counts ticks when none was).
enum CourseLoadEmulator {
    static func run(_ options: Options, emulator: BotAPIEmulator) async throws {
        let botCount = options.int("bots") ?? 1
        let students = options.int("students") ?? 200
        let open = options.string("loop") == "open"
        let bots = (0..<botCount).map { emulator.addBot(token: BenchTokens.course($0), username: "course\($0)_bot") }
        EmulatorProcess.say("READY \(emulator.baseURL)")
        let waitStarted = ContinuousClock.now
        while !bots.allSatisfy(\.isPolling), ContinuousClock.now - waitStarted < .seconds(120) {
            try await Task.sleep(for: .milliseconds(10))
        }
        let users = bots.enumerated().flatMap { botIndex, bot in
            (0..<students).map { bot.user(id: 2_000_000 + Int64(botIndex * 100_000 + $0), firstName: "Student\($0)") }
        }
        EmulatorProcess.say("GO")
        let started = ContinuousClock.now
        var result: ResultLine
        if open {
            result = try await openLoop(users, rate: Double(options.int("rate") ?? 10), duration: Double(options.int("duration") ?? 30))
        } else {
            result = await closedLoop(users)
        }
        result["seconds"] = (ContinuousClock.now - started).seconds
        result["students"] = Double(users.count)
        result["sends"] = Double(bots.reduce(0) { $0 + $1.floodLimitedCallCount })
        result["too_many"] = Double(bots.reduce(0) { $0 + $1.tooManyRequestsCount })
        result["refused"] = Double(emulator.schemaViolations.count)
        for violation in emulator.schemaViolations.prefix(5) { FileHandle.standardError.write(Data("schema: \(violation)\n".utf8)) }
        EmulatorProcess.say(result.line())
    }

    /// Every student walks the whole course as fast as the bot answers.
    static func closedLoop(_ users: [ScriptedUser]) async -> ResultLine {
        let outcomes = await withTaskGroup(of: (Bool, [Duration], String?).self) { group in
            for user in users {
                group.addTask {
                    var latencies: [Duration] = []
                    for index in CourseWalk.actions.indices {
                        do {
                            latencies.append(try await CourseWalk.step(index, of: user, timeout: .seconds(300)))
                        } catch {
                            return (false, latencies, "\(user.firstName) at \"\(CourseWalk.actions[index].name)\": \(error)")
                        }
                    }
                    return (true, latencies, nil)
                }
            }
            var all: [(Bool, [Duration], String?)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        var result = ResultLine()
        let latencies = outcomes.flatMap(\.1)
        result["finished"] = Double(outcomes.filter(\.0).count)
        result["updates"] = Double(latencies.count)
        result["p50_ms"] = latencies.percentileMilliseconds(0.5)
        result["p99_ms"] = latencies.percentileMilliseconds(0.99)
        if let failure = outcomes.compactMap(\.2).first {
            FileHandle.standardError.write(Data("first failure: \(String(failure.prefix(2000)))\n".utf8))
        }
        return result
    }

    /// Ready students, round robin.
    actor Queue {
        var ready: [Int]
        var next: [Int: Int] = [:]

        init(count: Int) { ready = Array(0..<count) }

        func take() -> (student: Int, action: Int)? {
            guard !ready.isEmpty else { return nil }
            let student = ready.removeFirst()
            return (student, next[student, default: 0])
        }

        func done(_ student: Int, ok: Bool) {
            let action = next[student, default: 0] + 1
            next[student] = action
            if ok, action < CourseWalk.actions.count { ready.append(student) }
        }
    }

    /// An action every 1/rate seconds for `duration` seconds, whatever the bot does.
    static func openLoop(_ users: [ScriptedUser], rate: Double, duration: Double) async throws -> ResultLine {
        let queue = Queue(count: users.count)
        let interval = Duration.seconds(1 / rate)
        let ticks = Int(rate * duration)
        let start = ContinuousClock.now
        let (latencies, skipped) = try await withThrowingTaskGroup(of: Duration?.self) { group in
            var skipped = 0
            for tick in 0..<ticks {
                try await Task.sleep(until: start + interval * tick, clock: .continuous)
                guard let (student, action) = await queue.take() else {
                    skipped += 1
                    continue
                }
                let user = users[student]
                group.addTask {
                    do {
                        let latency = try await CourseWalk.step(action, of: user, timeout: .seconds(60))
                        await queue.done(student, ok: true)
                        return latency
                    } catch {
                        FileHandle.standardError.write(Data("open loop: \(String("\(error)".prefix(1000)))\n".utf8))
                        await queue.done(student, ok: false)
                        return nil
                    }
                }
            }
            var all: [Duration] = []
            for try await latency in group { if let latency { all.append(latency) } }
            return (all, skipped)
        }
        var result = ResultLine()
        result["updates"] = Double(latencies.count)
        result["failed"] = Double(ticks - skipped - latencies.count)
        result["skipped"] = Double(skipped)
        result["finished"] = Double(users.count)
        result["p50_ms"] = latencies.percentileMilliseconds(0.5)
        result["p99_ms"] = latencies.percentileMilliseconds(0.99)
        return result
    }
}

/// The emulator side of the backlog scenario (`--mode backlog --queued N`): N students have each
/// sent /help before the bot starts. Prints `READY <baseURL>`, then `INGESTED sent=<n>` once the
/// bot confirmed every update (so each answer is in its outbox), then answers each `count` line
/// on stdin with `SENT <n> TOO_MANY <n>`.
enum BacklogEmulator {
    static func run(_ options: Options, emulator: BotAPIEmulator) async throws {
        let queued = options.int("queued") ?? 10_000
        let bot = emulator.addBot(token: BenchTokens.course(0), username: "backlog_bot")
        for index in 0..<queued {
            bot.user(id: 3_000_000 + Int64(index), firstName: "Student\(index)").send("/help")
        }
        EmulatorProcess.say("READY \(emulator.baseURL)")
        let started = ContinuousClock.now
        while bot.pendingUpdateCount > 0 || !bot.isPolling, ContinuousClock.now - started < .seconds(300) {
            try await Task.sleep(for: .milliseconds(5))
        }
        EmulatorProcess.say("INGESTED sent=\(bot.floodLimitedCallCount)")
        while let line = await standardInputLine() {
            if line == "count" { EmulatorProcess.say("SENT \(bot.floodLimitedCallCount) TOO_MANY \(bot.tooManyRequestsCount)") }
        }
    }
}

/// A line of this process's stdin, read on a dispatch thread (not one of the cooperative pool's few).
func standardInputLine() async -> String? {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: readLine()) }
    }
}
