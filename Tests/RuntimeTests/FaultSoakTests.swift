import AsyncHTTPClient
import Foundation
import GongbuTesting
import Synchronization
import Testing

/// The fault soak (issue 11): a real `gongbu run` (its own process, so its memory is its own)
/// with a course bot and the manager bot, scripted students walking the example course in a
/// loop and a creator asking the manager bot, while the emulator answers every call with
/// random 429s (with `retry_after`), 500/502, dropped connections and slow answers. At the end:
/// no worker died, every reply arrived exactly once and in order, no call came before the
/// `retry_after` of a 429 for its chat (or bot), resident memory stayed flat after warm-up.
///
/// Length: `GONGBU_SOAK_SECONDS` (default 60 when `CI` is set, else 20); seed: `GONGBU_SOAK_SEED`.
@Suite("fault soak", .serialized)
struct FaultSoakTests {
    static var duration: Int {
        let environment = ProcessInfo.processInfo.environment
        if let text = environment["GONGBU_SOAK_SECONDS"], let seconds = Int(text), seconds > 0 { return seconds }
        return environment["CI"] == nil ? 20 : 60
    }

    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["GONGBU_SOAK_SEED"].flatMap(UInt64.init) ?? 20_261_101
    }

    /// What a student walking the first steps should see, one message each, in this order.
    static let walk: [(action: String, pressed: Bool, expect: String)] = [
        ("/start", false, "Swift Basics"), ("Start", true, "Step 1/10"),
        ("Next ▶️", true, "Step 2/10"), ("Next ▶️", true, "Step 3/10"),
    ]

    /// Everything the soak gathers while it runs.
    struct Log: Sendable {
        var students: [ScriptedUser] = []
        var walksCompleted = 0
        var managerRequests = 0
        var failures: [String] = []
        var memory: [(seconds: Double, kilobytes: Int)] = []
    }

    /// The log shared by the soak's tasks.
    final class SharedLog: Sendable {
        let state = Mutex(Log())

        func withLock<T: Sendable>(_ body: (inout Log) -> T) -> T { state.withLock { body(&$0) } }
    }

    @Test("fault soak: every bot under random 429/500/502/dropped/slow answers; no worker dies, nothing lost or doubled, retry_after honoured, memory flat")
    func soak() async throws {
        let seconds = Self.duration
        let emulator = BotAPIEmulator()
        try await emulator.start()
        let managerToken = "3301:TEST-soak-manager"
        let courseToken = "3302:TEST-soak-course"
        let manager = emulator.addBot(token: managerToken, username: "soak_manager_bot")
        let course = emulator.addBot(token: courseToken, username: "soak_course_bot")
        manager.setRateLimits(nil)
        emulator.setRandomFaults(RandomFaults(seed: Self.seed))

        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gongbu-soak-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try ContractMetricsTests.freePort()
        let config = try ManagerAndCourseConfig.write(into: folder, apiURL: emulator.baseURL, port: port)
        let running = try GongbuBinary.start(
            ["run", "--config", config],
            environment: ["COURSE": courseToken, "MANAGER": managerToken, "GONGBU_RESOURCES": GongbuBinary.root.path])
        let pid = running.process.pid

        let log = SharedLog()
        let started = ContinuousClock.now
        let end = started + .seconds(seconds)
        let wait = Duration.seconds(90)
        await withTaskGroup(of: Void.self) { group in
            // Students: 4 lanes, each walking a new student through the first steps, again and again.
            for lane in 0..<4 {
                group.addTask {
                    var round: Int64 = 0
                    while ContinuousClock.now < end {
                        let student = course.user(id: 50_000 + Int64(lane) * 100_000 + round, firstName: "Soak \(lane)-\(round)")
                        round += 1
                        log.withLock { $0.students.append(student) }
                        do {
                            for step in Self.walk {
                                if step.pressed {
                                    try await student.press(step.action, expecting: step.expect, timeout: wait)
                                } else {
                                    try await student.send(step.action, expecting: step.expect, timeout: wait)
                                }
                            }
                            log.withLock { $0.walksCompleted += 1 }
                        } catch {
                            log.withLock { $0.failures.append("\(student.firstName): \(error)") }
                        }
                    }
                }
            }
            // A creator asking the manager bot for its menu, again and again.
            group.addTask {
                let creator = manager.user(id: 901, firstName: "Cora")
                while ContinuousClock.now < end {
                    do {
                        log.withLock { $0.managerRequests += 1 }
                        try await creator.send("/start", expecting: "Gongbu manager", timeout: wait)
                    } catch {
                        log.withLock { $0.failures.append("manager /start: \(error)") }
                    }
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
            // Resident memory of the gongbu process, every second.
            group.addTask {
                while ContinuousClock.now < end {
                    if let kilobytes = Self.residentKilobytes(pid: pid) {
                        let elapsed = ContinuousClock.now - started
                        log.withLock { $0.memory.append((Double(elapsed.components.seconds), kilobytes)) }
                    }
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }

        // The rain stops; late duplicates and replies still in the outbox get time to show.
        let arrivals = emulator.faultArrivals
        let tally = emulator.randomFaultTally
        emulator.setRandomFaults(nil)
        try await Task.sleep(for: .seconds(3))
        let alive = !running.process.hasExited
        let health = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(5))
        let healthBody = health == nil ? "" : String(buffer: try await health!.body.collect(upTo: 1 << 20))
        let polling = try await eventually(timeout: .seconds(15)) { manager.isPolling && course.isPolling }

        let result = log.withLock { $0 }
        var lost = 0
        var doubled = 0
        for student in result.students {
            let lines = student.messages.map { $0.body.components(separatedBy: "\n").first ?? "" }
            let expected = Self.walk.map(\.expect)
            // A walk cut short by a lost reply is counted as lost below; what came must be the start of it.
            let inOrder = lines.count <= expected.count && zip(lines, expected).allSatisfy { $0.hasPrefix($1) }
            if !inOrder {
                doubled += max(1, lines.count - expected.count)
                Issue.record("\(student.firstName) got \(lines)")
            }
        }
        for failure in result.failures {
            lost += 1
            Issue.record("lost: \(failure)")
        }
        let creatorMessages = manager.user(id: 901, firstName: "Cora").messages
        let menus = creatorMessages.filter { $0.body.contains("Gongbu manager") }.count
        let (violations, inFlight) = Self.retryAfterViolations(arrivals: arrivals, calls: [managerToken: manager.calls, courseToken: course.calls])
        let floodCount = course.tooManyRequestsCount + manager.tooManyRequestsCount

        let warmUp = Double(max(5, seconds / 3))
        let settled = result.memory.filter { $0.seconds >= warmUp }.map(\.kilobytes)
        let first = settled.first ?? 0
        let peak = settled.max() ?? 0
        let last = settled.last ?? 0
        let growth = first == 0 ? 0 : Double(peak - first) / Double(first) * 100

        print("""
            fault soak: \(seconds) s, seed \(Self.seed)
              faults: \(tally.description); flood-limit 429s \(floodCount)
              students: \(result.students.count) (\(result.walksCompleted) full walks of \(Self.walk.count) replies), manager requests \(result.managerRequests), menus received \(menus)
              lost \(lost), doubled \(doubled), calls before their retry_after \(violations.count) (\(inFlight) more already in flight when the 429 came)
              workers: process alive \(alive), both polling \(polling), /healthz \(health.map { "\($0.status.code)" } ?? "no answer")
              resident memory after \(Int(warmUp)) s warm-up: first \(first / 1024) MB, peak \(peak / 1024) MB, last \(last / 1024) MB, growth \(String(format: "%.1f", growth)) %
            """)

        #expect(alive, "gongbu run exited")
        #expect(polling, "a worker stopped polling")
        #expect(health?.status.code == 200, "\(healthBody)")
        #expect(!healthBody.contains("failing"), "\(healthBody)")
        #expect(tally.tooManyRequests > 0 && tally.serverErrors > 0 && tally.droppedConnections > 0 && tally.slowAnswers > 0, "\(tally)")
        #expect(result.walksCompleted > 0)
        #expect(lost == 0)
        #expect(doubled == 0)
        #expect(menus == result.managerRequests, "\(creatorMessages.map(\.body))")
        #expect(violations.isEmpty, "\(violations.prefix(10))")
        #expect(settled.count >= 2, "memory samples: \(result.memory)")
        #expect(growth <= 10, "resident memory grew \(growth) % after warm-up: \(result.memory)")
        #expect(emulator.schemaViolations.isEmpty, "\(emulator.schemaViolations.prefix(5))")

        running.interrupt()
        let output = await running.wait()
        #expect(output.status == 0, "stderr: \(output.stderr.suffix(3000))")
        await emulator.stop()
    }

    @Test("the retry_after check finds a call made too early for the same chat or bot method, and only that")
    func retryAfterCheck() {
        let t = Date(timeIntervalSince1970: 1_000_000)
        func at(_ seconds: Double, _ method: String = "sendMessage", chat: Int64? = 7, retryAfter: Int? = nil) -> RandomFaults.Arrival {
            RandomFaults.Arrival(token: "1:x", method: method, chatId: chat, date: t.addingTimeInterval(seconds), retryAfter: retryAfter)
        }
        let honoured = [at(0, retryAfter: 2), at(0.5, chat: 8), at(2.1), at(0.1, "getUpdates", chat: nil, retryAfter: 1), at(1.2, "getUpdates", chat: nil)]
        let clean = Self.retryAfterViolations(arrivals: honoured, calls: [:])
        #expect(clean.violations.isEmpty)
        let early = Self.retryAfterViolations(arrivals: honoured + [at(1.0), at(0.1), at(0.6, "getUpdates", chat: nil)], calls: [:])
        #expect(early.violations.count == 2, "\(early.violations)")
        #expect(early.inFlight == 1, "the call 0.1 s after the 429 was already on its way")
    }

    /// VmRSS of a process, in kilobytes.
    static func residentKilobytes(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return line.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
    }

    /// Calls that arrived for a chat (or, without a chat, for the same bot and method) before
    /// the `retry_after` of a 429 given earlier for it had passed: the injected 429s (from the
    /// arrival log) and the emulator's own flood-limit 429s (from the recorded calls). A call
    /// arriving within half the `retry_after` (at most 1 s) of the 429 was taken as sent before its
    /// answer could be read (a wave of concurrent calls): counted apart, not a violation.
    static func retryAfterViolations(arrivals: [RandomFaults.Arrival], calls: [String: [RecordedCall]]) -> (violations: [String], inFlight: Int) {
        struct Scope: Hashable { var token: String; var chat: Int64?; var method: String? }
        func scope(_ token: String, _ chat: Int64?, _ method: String) -> Scope {
            Scope(token: token, chat: chat, method: chat == nil ? method.lowercased() : nil)
        }
        var byScope: [Scope: [Date]] = [:]
        var pauses: [(Scope, Date, Int)] = []
        for arrival in arrivals {
            let key = scope(arrival.token, arrival.chatId, arrival.method)
            byScope[key, default: []].append(arrival.date)
            if let seconds = arrival.retryAfter { pauses.append((key, arrival.date, seconds)) }
        }
        let pattern = /retry after (\d+)/
        for (token, list) in calls {
            for call in list {
                guard case .error(429, let description) = call.outcome, let match = description.firstMatch(of: pattern),
                    let seconds = Int(match.1)
                else { continue }
                pauses.append((scope(token, call.parameters["chat_id"]?.intValue, call.method), call.date, seconds))
            }
        }
        // On a loaded machine (the whole suite in parallel on 2 cores) a call sent in the same wave
        // as the refused one can reach the server most of a second later; a sender that ignored
        // retry_after would call again within milliseconds, over and over, and is still caught.
        func inFlight(_ seconds: Int) -> Double { min(1.0, Double(seconds) / 2) }
        var found: [String] = []
        var overlapping = 0
        for (key, date, seconds) in pauses {
            let until = date.addingTimeInterval(Double(seconds) - 0.05)
            for later in byScope[key] ?? [] where later > date && later < until {
                // Sent in the same wave, before the 429 came back (several answers to queries go at once).
                if later.timeIntervalSince(date) < inFlight(seconds) {
                    overlapping += 1
                    continue
                }
                let masked = BotAPIEmulator.maskForReport(key.token)
                found.append("\(masked) chat \(key.chat.map(String.init) ?? key.method ?? "?"): a call \(String(format: "%.2f", later.timeIntervalSince(date))) s after a 429 with retry_after \(seconds)")
            }
        }
        return (found, overlapping)
    }
}

extension BotAPIEmulator {
    /// A token as a report may print it.
    static func maskForReport(_ token: String) -> String {
        (token.split(separator: ":").first.map(String.init) ?? "") + ":***"
    }
}
