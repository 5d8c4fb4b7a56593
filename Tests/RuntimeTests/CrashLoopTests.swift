import Foundation
import GongbuTesting
import Storage
import Testing

/// The crash loop (issue 11): scripted students and two creators work through the real `gongbu`
/// binary against the emulator, with Telegram's rate limits on, while the process is killed with
/// SIGKILL at random moments and started again at once; meanwhile a third creator builds a course
/// in the manager bot (/newcourse, a text step) and connects a bot to it by pasting its token.
/// At the end every student's progress is
/// what they completed, every payment (replays of `successful_payment` included) is credited
/// once, every course creation, step, connection, review, refund and broadcast is applied once, and no message was delivered twice
/// unless its first copy was sent by a process killed before the second (Telegram has no
/// idempotency key for sendMessage: a message it accepted just before the kill, not yet marked
/// sent, goes again).
///
/// Short form by default (5 kills, 40 students); the long form is
/// `GONGBU_CRASH_LOOP_KILLS=20 GONGBU_CRASH_LOOP_STUDENTS=200 swift test --filter CrashLoopTests`.
@Suite("Crash loop", .timeLimit(.minutes(20)))
struct CrashLoopTests {
    static let environment = ProcessInfo.processInfo.environment
    static let kills = Int(environment["GONGBU_CRASH_LOOP_KILLS"] ?? "") ?? 5
    static let students = max(2, Int(environment["GONGBU_CRASH_LOOP_STUDENTS"] ?? "") ?? 40)
    static let seed = UInt64(environment["GONGBU_CRASH_LOOP_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)

    static func courseYAML(slug: String, creator: Int64) -> String {
        """
        slug: \(slug)
        title: Loop \(slug)
        creator: \(creator)
        price:
          model: freemium
        steps:
          - id: intro
            type: text
            title: Intro
            text: Hello.
          - id: bonus
            type: text
            title: Bonus
            text: The paid lesson.
            paid: true
            price: 50
          - id: essay
            type: assignment
            title: Essay
            text: Send your essay.
            accept: [text]
            review: creator
          - id: after
            type: text
            title: After
            text: Well done, you made it.
        """
    }

    /// One course, its bot, its creator and its students.
    struct Side: Sendable {
        var slug: String
        var bot: EmulatedBot
        var creator: ScriptedUser
        var students: [ScriptedUser]
    }

    /// Kill times, kept to judge a duplicate.
    actor KillLog {
        var times: [Date] = []
        var running: GongbuBinary.Running
        /// Every run's stderr, kept for a failure's report (`.build/artifacts/crash-loop.log`).
        var stderr = ""
        init(_ running: GongbuBinary.Running) { self.running = running }
        /// The loopback client ports each killed process held when it was killed.
        var portsOfKilled: [Set<Int>] = []
        func killAndRestart(_ start: @Sendable () throws -> GongbuBinary.Running) async throws {
            // Frozen first, so no connection opens between reading its ports and the kill.
            running.process.signal(SIGSTOP)
            portsOfKilled.append(CrashLoopTests.clientPorts(of: running.process.pid))
            times.append(Date())
            running.process.signal(SIGKILL)
            let output = await running.wait()
            stderr += output.stderr + "\n--- SIGKILL at \(times.last!.timeIntervalSince1970) ---\n"
            running = try start()
        }
        func stop() async -> GongbuBinary.Output {
            running.interrupt()
            let output = await running.wait()
            stderr += output.stderr
            return output
        }
    }

    @Test("students, payments, reviews, refunds and broadcasts come out exactly once across SIGKILLs")
    func crashLoop() async throws {
        var generator = SplitMix64(seed: Self.seed)
        let emulator = BotAPIEmulator()
        try await emulator.start()
        let manager = emulator.addBot(token: "4801:TEST-loop-manager", username: "loop_manager_bot")
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gongbu-loop-" + UUID().uuidString)
        var sides: [Side] = []
        var environment = ["MANAGER": "4801:TEST-loop-manager", "GONGBU_RESOURCES": GongbuBinary.root.path]
        var botLines = ""
        for (index, slug) in ["loop-a", "loop-b"].enumerated() {
            let token = "48\(index + 2)1:TEST-loop-\(slug)"
            let bot = emulator.addBot(token: token, username: "\(slug.replacingOccurrences(of: "-", with: "_"))_bot")
            bot.setRateLimits(.telegram)
            let creatorId = Int64(7801 + index)
            let courseFolder = folder.appendingPathComponent(slug)
            try FileManager.default.createDirectory(at: courseFolder, withIntermediateDirectories: true)
            try Self.courseYAML(slug: slug, creator: creatorId).write(
                to: courseFolder.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
            environment["COURSE_\(index)"] = token
            botLines += "  - token: ${COURSE_\(index)}\n    course: \(courseFolder.path)\n"
            let count = Self.students / 2 + (index == 0 ? Self.students % 2 : 0)
            let students = (0..<count).map { bot.user(id: 980_000 + Int64(index * 10_000 + $0), firstName: "S\($0)") }
            sides.append(Side(slug: slug, bot: bot, creator: manager.user(id: creatorId, firstName: "Creator\(index)"), students: students))
        }
        manager.setRateLimits(.telegram)
        // A third creator builds a course in chat and connects a bot to it while the kills go on.
        let builtToken = "4841:TEST-loop-built-bot"
        let builtBot = emulator.addBot(token: builtToken, username: "loop_built_bot")
        builtBot.setRateLimits(.telegram)
        let builder = manager.user(id: 7803, firstName: "Builder")
        let config = folder.appendingPathComponent("bots.yaml")
        try """
            telegram:
              api_url: \(emulator.baseURL)
              poll_timeout: 1
            data_dir: data
            manager:
              token: ${MANAGER}
              creators: open
            bots:
            \(botLines)
            """.write(to: config, atomically: true, encoding: .utf8)
        let start: @Sendable () throws -> GongbuBinary.Running = { [environment] in
            try GongbuBinary.start(["run", "--config", config.path, "--log-level", "info"], environment: environment)
        }
        let log = KillLog(try start())
        for side in sides {
            side.creator.send("/start")
            _ = try await side.creator.waitForMessage(containing: "Gongbu manager", timeout: .seconds(60))
        }

        // Kill at random moments while everyone works, then let the work finish.
        let gaps = (0..<Self.kills).map { _ in Double.random(in: 1.0...5.0, using: &generator) }
        let replayEvery = 3
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for gap in gaps {
                    try await Task.sleep(for: .seconds(gap))
                    try await log.killAndRestart(start)
                }
            }
            for side in sides {
                for (number, student) in side.students.enumerated() {
                    group.addTask { try await Self.takeCourse(student, replay: number % replayEvery == 0) }
                }
                group.addTask { try await Self.review(side) }
            }
            group.addTask { try await Self.buildInChat(builder, token: builtToken, bot: builtBot) }
            try await group.waitForAll()
        }
        // After the course: each creator refunds its first student's payment and broadcasts once.
        for side in sides {
            let payer = side.students[0]
            let payment = try #require(side.bot.payments.first { $0.userId == payer.id })
            let platform = try PlatformStore.open(dataDir: folder.appendingPathComponent("data").path)
            let entry = try #require(try await platform.ledger(courseSlug: side.slug).first { $0.chargeId == payment.telegramPaymentChargeId })
            let notice = try await side.creator.waitForAnyMessage(timeout: .seconds(60)) { $0.body.contains("New payment #\(entry.id)") }
            try side.creator.press("↩️ Refund", onMessage: notice.messageId)
            _ = try await side.creator.waitForMessage(containing: "Payment #\(entry.id) refunded", timeout: .seconds(60))
            _ = try await payer.waitForMessage(containing: "Your payment was refunded", timeout: .seconds(60))
            side.creator.send("/broadcast")
            _ = try await side.creator.waitForMessage(containing: "Send the message", timeout: .seconds(60))
            side.creator.send("Loop news for \(side.slug)")
            _ = try await side.creator.waitForMessage(containing: "will get", timeout: .seconds(60))
            try side.creator.press("Send to \(side.students.count) students")
            _ = try await side.creator.waitForMessage(containing: "finished", timeout: .seconds(120))
        }
        let output = await log.stop()
        #expect(output.status == 0, "gongbu exited \(output.status): \(output.stderr.suffix(2000))")
        let kills = await log.times
        let portsOfKilled = await log.portsOfKilled
        #expect(portsOfKilled.filter { !$0.isEmpty }.count >= Self.kills / 2, "the killed processes' connections were read: \(portsOfKilled)")
        #expect(kills.count == Self.kills)
        let artifacts = GongbuBinary.root.appendingPathComponent(".build/artifacts")
        try? FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        try? await log.stderr.write(to: artifacts.appendingPathComponent("crash-loop.log"), atomically: true, encoding: .utf8)

        let data = folder.appendingPathComponent("data").path
        let platform = try PlatformStore.open(dataDir: data)
        for side in sides {
            let store = try CourseStore.open(dataDir: data, slug: side.slug)
            let progress = try await store.progress()
            let ledger = try await platform.ledger(courseSlug: side.slug)
            let decisions = try await platform.decisions(courseSlug: side.slug)
            for student in side.students {
                #expect(progress[student.id] == ["intro", "bonus", "essay", "after"], "\(side.slug) student \(student.id): \(progress[student.id] ?? [])")
                let charged = side.bot.payments.filter { $0.userId == student.id }
                let credited = ledger.filter { $0.userId == student.id }
                #expect(charged.count == 1 && credited.count == 1 && credited.first?.chargeId == charged.first?.telegramPaymentChargeId,
                        "\(side.slug) student \(student.id): charged \(charged.count), credited \(credited.count)")
                #expect(student.messages.filter { $0.body.contains("Loop news for \(side.slug)") }.count == 1)
            }
            #expect(ledger.count == side.students.count)
            #expect(ledger.filter(\.refunded).map(\.userId) == [side.students[0].id])
            #expect(side.bot.payments.filter(\.refunded).count == 1)
            #expect(decisions.count == side.students.count && decisions.allSatisfy { $0.approved && $0.outcome != nil }, "\(decisions)")
            #expect(try await platform.broadcasts(courseSlug: side.slug).count == 1)
            // Exactly once on the wire, but for a first copy that was in flight at a kill.
            let duplicates = Self.duplicates(side.bot.calls(method: "sendMessage"), kills: kills, portsOfKilled: portsOfKilled)
            #expect(duplicates.isEmpty, "\(side.slug): sent twice outside a kill's window: \(duplicates)")
            let creatorTexts = manager.calls(method: "sendMessage").filter { $0.parameters["chat_id"]?.intValue == side.creator.id }
            let notices = creatorTexts.filter { ($0.parameters["text"]?.stringValue ?? "").contains("New submission #") }
            #expect(Self.duplicates(notices, kills: kills, portsOfKilled: portsOfKilled).isEmpty)
        }
        // The course built in chat: created once, its step added once, its bot connected once.
        let built = try await platform.authoredCourses()
        #expect(built.count == 1 && built.first?.creatorId == 7803, "\(built)")
        if let slug = built.first?.slug {
            let yaml = try await CourseStore.open(dataDir: data, slug: slug).authoredSource()?.yaml ?? ""
            #expect(yaml.components(separatedBy: "Constants").count == 2, "the step once: \(yaml)")
            #expect(try await platform.connectedBots().filter { $0.courseSlug == slug }.count == 1)
        }
        let audit = try await platform.auditLog()
        for action in ["course.create", "step.add"] {
            #expect(audit.filter { $0.action == action }.count == 1, "\(action): \(audit.map(\.action))")
        }
        let builderTexts = manager.calls(method: "sendMessage").filter { $0.parameters["chat_id"]?.intValue == 7803 }
        #expect(Self.duplicates(builderTexts, kills: kills, portsOfKilled: portsOfKilled).isEmpty)
        #expect(!output.stderr.contains("TEST-loop"), "a token reached the log")
        print("crash loop: \(Self.kills) kills (seed \(Self.seed)), \(Self.students) students, \(sides.map { $0.bot.payments.count }.reduce(0, +)) payments")
        await emulator.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// A student's whole course: start, the free step, buy the paid step (paying again when the
    /// bot was down and missed the pre-checkout query; some replay the payment), the essay, and
    /// once it is approved the last step.
    static func takeCourse(_ student: ScriptedUser, replay: Bool) async throws {
        let long = Duration.seconds(90)
        student.send("/start")
        _ = try await student.waitForMessage(timeout: long) { $0.buttonLabels.contains("Start") }
        try student.press("Start")
        _ = try await student.waitForMessage(containing: "Step 1/4", timeout: long)
        try student.press("Next ▶️")
        _ = try await student.waitForMessage(containing: "This step is paid", timeout: long)
        try student.press("Buy · 50 ⭐")
        _ = try await student.waitForMessage(timeout: long) { $0.json["invoice"] != nil }
        var paid: PaymentRecord?
        for _ in 0..<10 where paid == nil {
            if case .paid(let record) = try await student.pay(timeout: .seconds(20)) { paid = record }
        }
        guard let paid else { throw CrashLoopError("student \(student.id): the pre-checkout query was never answered") }
        if replay { student.replaySuccessfulPayment(paid) }
        _ = try await student.waitForMessage(containing: "Step 2/4 · Bonus", timeout: long)
        try student.press("Next ▶️")
        _ = try await student.waitForMessage(containing: "Send your essay", timeout: long)
        student.send("Essay of \(student.id)")
        _ = try await student.waitForMessage(containing: "awaits review", timeout: long)
        _ = try await student.waitForMessage(containing: "is approved", timeout: .seconds(600))
        try student.press("Next ▶️")
        _ = try await student.waitForMessage(containing: "Step 4/4 · After", timeout: long)
    }

    /// A creator builds a course in the manager bot (the /newcourse questions, a text step) and
    /// connects a bot to it by pasting its token; a student then starts it in that bot.
    static func buildInChat(_ builder: ScriptedUser, token: String, bot: EmulatedBot) async throws {
        let long = Duration.seconds(120)
        func say(_ text: String, expecting reply: String) async throws {
            builder.send(text)
            _ = try await builder.waitForMessage(containing: reply, timeout: long)
        }
        func tap(_ label: String, expecting reply: String) async throws {
            try builder.press(label)
            _ = try await builder.waitForMessage(containing: reply, timeout: long)
        }
        try await say("/start", expecting: "Gongbu manager")
        try await say("/newcourse", expecting: "Send its title")
        try await say("Loop Built", expecting: "description")
        try await say("Built during the crash loop.", expecting: "Which language")
        try await tap("English", expecting: "category")
        try await tap("Skip ⏭", expecting: "How hard")
        try await tap("2", expecting: "created")
        try await tap("➕ Add step", expecting: "What kind of step")
        try await tap("📝 Text", expecting: "step's title")
        try await say("Constants", expecting: "step's text")
        try await say("Use let.", expecting: "Preview")
        try await tap("✅ Save", expecting: "Step 2 added: Constants")
        try await say("/courses", expecting: "Loop Built")
        try await tap("🤖 Connect bot", expecting: "paste its token")
        try await say(token, expecting: "now teaches")
        let student = bot.user(id: 999_001, firstName: "Late")
        student.send("/start")
        _ = try await student.waitForMessage(timeout: long) { $0.buttonLabels.contains("Start") }
    }

    /// The creator approves every submission of the course, each once, in the order they come.
    static func review(_ side: Side) async throws {
        var handled: Set<Int> = []
        while handled.count < side.students.count {
            let seen = handled
            let notice = try await side.creator.waitForAnyMessage(timeout: .seconds(600)) { message in
                message.body.contains("New submission #") && message.buttonLabels.contains("✅ Approve") && !seen.contains(message.messageId)
            }
            handled.insert(notice.messageId)
            try side.creator.press("✅ Approve", onMessage: notice.messageId)
            let prompt = try await side.creator.waitForMessage(timeout: .seconds(120)) { $0.body.contains("Write a comment") && $0.buttonLabels.contains("Skip") }
            try side.creator.press("Skip", onMessage: prompt.messageId)
            _ = try await side.creator.waitForMessage(containing: "approved", timeout: .seconds(120))
        }
    }

    /// Messages sent twice to one chat (same text and keyboard) but for a first copy sent by a
    /// process that was killed before the second: that process may have had Telegram's answer
    /// and died before marking the row sent (or died with the request unanswered, which the
    /// emulator still served, perhaps late). A call's process is told by its connection: the
    /// test reads the client ports each process holds just before it is killed.
    static func duplicates(_ calls: [RecordedCall], kills: [Date], portsOfKilled: [Set<Int>]) -> [String] {
        /// The kill that ended the process which sent `call`, if it was killed.
        func killOfSender(_ call: RecordedCall) -> Date? {
            guard let port = call.peerPort, let index = portsOfKilled.firstIndex(where: { $0.contains(port) }) else { return nil }
            return kills[index]
        }
        var first: [String: RecordedCall] = [:]
        var found: [String] = []
        for call in calls where call.succeeded {
            let chat = call.parameters["chat_id"]?.intValue ?? 0
            let key = "\(chat)|\(call.parameters["text"]?.stringValue ?? "")|\(call.parameters["reply_markup"].map { "\($0)" } ?? "")"
            guard let earlier = first[key] else {
                first[key] = call
                continue
            }
            let killed = killOfSender(earlier)
            if killed == nil || killed! > call.date || killOfSender(call) == killed {
                found.append(
                    "chat \(chat): \(call.parameters["text"]?.stringValue ?? "") at \(earlier.date.timeIntervalSince1970) (port \(earlier.peerPort ?? 0)) and "
                        + "\(call.date.timeIntervalSince1970) (port \(call.peerPort ?? 0)); kills at \(kills.map(\.timeIntervalSince1970))")
            }
        }
        return found
    }

    /// A /proc file read to its end (they report a size of 0, so Foundation's readers get nothing).
    static func readProcFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The local ports of the TCP connections process `pid` holds (from /proc: its socket
    /// descriptors' inodes, looked up in /proc/net/tcp and tcp6).
    static func clientPorts(of pid: pid_t) -> Set<Int> {
        let fdFolder = "/proc/\(pid)/fd"
        var inodes: Set<String> = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: fdFolder)) ?? [] {
            var buffer = [CChar](repeating: 0, count: 256)
            let count = readlink(fdFolder + "/" + name, &buffer, buffer.count - 1)
            guard count > 0 else { continue }
            let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard target.hasPrefix("socket:[") else { continue }
            inodes.insert(String(target.dropFirst("socket:[".count).dropLast()))
        }
        var ports: Set<Int> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = readProcFile(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9, inodes.contains(String(fields[9])),
                      let portText = fields[1].split(separator: ":").last, let port = Int(portText, radix: 16) else { continue }
                ports.insert(port)
            }
        }
        return ports
    }

}

struct CrashLoopError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

