import Foundation
import GongbuTesting
import Storage
import Testing

/// Issue 10: the real `gongbu` process killed with SIGKILL in the middle of a creator's action
/// (`GONGBU_CRASH_AT` names the moment: right after the change was stored, before the desk's job
/// was marked done and its answer queued), then started again: the action is applied exactly
/// once and answered.
@Suite("Manager desk crash", .serialized, .timeLimit(.minutes(4)))
struct DeskCrashTests {
    /// An emulator, a bots.yaml with the manager bot and one course bot (creator 501), and the
    /// binary started on it with or without a crash point.
    final class Rig: Sendable {
        let emulator: BotAPIEmulator
        let folder: URL
        let config: URL
        let manager: EmulatedBot
        let environment: [String: String]
        static let managerToken = "5401:TEST-crash-manager"
        static let courseToken = "5402:TEST-crash-course"

        init(courseYAML: String = reviewCourseYAML(slug: "crash-a", title: "Course A", creator: 501)) async throws {
            emulator = BotAPIEmulator()
            try await emulator.start()
            manager = emulator.addBot(token: Self.managerToken, username: "crash_manager_bot")
            manager.setRateLimits(nil)
            emulator.addBot(token: Self.courseToken, username: "crash_course_bot").setRateLimits(nil)
            folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gongbu-desk-crash-" + UUID().uuidString)
            let course = folder.appendingPathComponent("crash-a")
            try FileManager.default.createDirectory(at: course, withIntermediateDirectories: true)
            try courseYAML
                .write(to: course.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
            config = folder.appendingPathComponent("bots.yaml")
            try """
                telegram:
                  api_url: \(emulator.baseURL)
                  poll_timeout: 1
                data_dir: data
                manager:
                  token: ${MANAGER}
                  creators: open
                bots:
                  - token: ${COURSE}
                    course: \(course.path)
                """.write(to: config, atomically: true, encoding: .utf8)
            environment = ["MANAGER": Self.managerToken, "COURSE": Self.courseToken, "GONGBU_RESOURCES": GongbuBinary.root.path]
        }

        func start(crashAt point: String? = nil) throws -> GongbuBinary.Running {
            var environment = environment
            if let point { environment["GONGBU_CRASH_AT"] = point }
            return try GongbuBinary.start(["run", "--config", config.path], environment: environment)
        }

        /// Waits for the process to kill itself at its crash point; its exit status.
        func died(_ running: GongbuBinary.Running) async throws -> Int32 {
            let exited = try await eventually(timeout: .seconds(45)) { running.process.hasExited }
            #expect(exited, "the process reached its crash point")
            if !exited { running.process.signal(SIGTERM) }  // never wait forever on a process that did not get there
            return await running.wait().status
        }

        var platform: PlatformStore { get throws { try PlatformStore.open(dataDir: folder.appendingPathComponent("data").path) } }

        func stop(_ running: GongbuBinary.Running) async {
            running.interrupt()
            let output = await running.wait()
            #expect(!output.stderr.contains("TEST-crash"), "no token in the log")
            await emulator.stop()
            try? FileManager.default.removeItem(at: folder)
        }

        /// Every desk job done, none failed.
        func jobsDone() async throws -> Bool {
            try await platform.jobs(kind: "desk.event").allSatisfy { $0.status == .done }
        }
    }

    @Test("killed right after the batch commit, before the desk ran: /courses is answered after the restart, once")
    func beforeTheDesk() async throws {
        let rig = try await Rig()
        let cora = rig.manager.user(id: 501, firstName: "Cora")
        var running = try rig.start()
        try await cora.send("/start", expecting: "Gongbu manager")
        try await rig.stop(running, keep: true)
        running = try rig.start(crashAt: "jobs.before-run")
        cora.send("/courses")
        #expect(try await rig.died(running) == 137)
        running = try rig.start()
        _ = try await cora.waitForMessage(containing: "Course A", timeout: .seconds(30))
        #expect(try await eventually { try await rig.jobsDone() })
        try await Task.sleep(for: .milliseconds(500))
        #expect(cora.messages.filter { $0.body.contains("crash-a") }.count == 1)
        await rig.stop(running)
    }

    @Test("killed after a pasted token's bot was stored: connected once, answered, the bot teaches")
    func connectByPastedToken() async throws {
        let rig = try await Rig()
        let fresh = rig.emulator.addBot(token: "5403:TEST-crash-fresh-bot", username: "crash_fresh_bot")
        fresh.setRateLimits(nil)
        let cora = rig.manager.user(id: 501, firstName: "Cora")
        var running = try rig.start(crashAt: "desk.connected")
        try await cora.send("/start", expecting: "Gongbu manager")
        try await cora.send("/courses", expecting: "Course A")
        try await cora.press("🤖 Connect bot", expecting: "paste its token")
        cora.send("5403:TEST-crash-fresh-bot")
        #expect(try await rig.died(running) == 137)
        #expect(try await rig.platform.connectedBots().map(\.courseSlug) == ["crash-a"], "stored before the crash")

        running = try rig.start()
        _ = try await cora.waitForMessage(containing: "now teaches", timeout: .seconds(30))
        #expect(try await eventually { try await rig.jobsDone() })
        let student = fresh.user(id: 9401, firstName: "Sam")
        try await student.send("/start", expecting: "Start", timeout: .seconds(30))
        try await Task.sleep(for: .milliseconds(500))
        #expect(cora.messages.filter { $0.body.contains("now teaches") }.count == 1)
        #expect(cora.messages.allSatisfy { !$0.body.contains("already in use") })
        let audit = try await rig.platform.auditLog()
        #expect(audit.filter { $0.action == "bot.connect" }.count == 1)
        #expect(rig.manager.calls(method: "deleteMessage").filter(\.succeeded).count == 1, "the token's message deleted once")
        await rig.stop(running)
    }

    @Test("killed after /newcourse stored the new course: one course, answered, its creation audited once")
    func newCourse() async throws {
        let rig = try await Rig()
        let cora = rig.manager.user(id: 501, firstName: "Cora")
        var running = try rig.start(crashAt: "desk.course_created")
        try await cora.send("/start", expecting: "Gongbu manager")
        try await cora.send("/newcourse", expecting: "Send its title")
        try await cora.send("Crash Course", expecting: "description")
        try await cora.send("All about crashing.", expecting: "Which language")
        try await cora.press("English", expecting: "category")
        try await cora.press("Skip ⏭", expecting: "How hard")
        try cora.press("2")
        #expect(try await rig.died(running) == 137)

        running = try rig.start()
        _ = try await cora.waitForMessage(containing: "created", timeout: .seconds(30))
        #expect(try await eventually { try await rig.jobsDone() })
        let platform = try rig.platform
        #expect(try await platform.authoredCourses().count == 1)
        #expect(try await platform.auditLog().filter { $0.action == "course.create" }.count == 1)
        #expect(cora.messages.allSatisfy { !$0.body.contains("is taken") })
        // The course is there to edit after the restart.
        try await cora.send("/courses", expecting: "Crash Course")
        await rig.stop(running)
    }

    @Test("killed after Telegram refunded a payment, before the ledger knew: refunded once, access withdrawn once, the creator answered")
    func refund() async throws {
        let rig = try await Rig(courseYAML: PaymentTests.paidYAML(slug: "crash-a", creator: 501))
        let bot = try #require(rig.emulator.bot(token: Rig.courseToken))
        let cora = rig.manager.user(id: 501, firstName: "Cora")
        let student = bot.user(id: 9402, firstName: "Dan")
        var running = try rig.start(crashAt: "refund.refunded")
        try await cora.send("/start", expecting: "Gongbu manager")
        try await student.send("/start", expecting: "Paid Swift")
        try student.press("Buy · 250 ⭐")
        _ = try #require(try await bot.eventuallyCall("sendInvoice"))
        guard case .paid(let record) = try await student.pay() else { Issue.record("payment refused"); return }
        _ = try await cora.waitForMessage(containing: "New payment #1")
        try cora.press("↩️ Refund")
        #expect(try await rig.died(running) == 137)
        #expect(bot.payments.first { $0.telegramPaymentChargeId == record.telegramPaymentChargeId }?.refunded == true, "Telegram refunded before the crash")

        running = try rig.start()
        _ = try await cora.waitForMessage(containing: "Payment #1 refunded", timeout: .seconds(30))
        _ = try await student.waitForMessage(containing: "Your payment was refunded", timeout: .seconds(30))
        let platform = try rig.platform
        #expect(try await platform.ledger(courseSlug: "crash-a").first?.refunded == true)
        try await Task.sleep(for: .milliseconds(800))
        #expect(cora.messages.filter { $0.body.contains("Payment #1 refunded") }.count == 1)
        #expect(student.messages.filter { $0.body.contains("Your payment was refunded") }.count == 1)
        #expect(bot.calls(method: "refundStarPayment").filter(\.succeeded).count == 1, "refunded once; the replay was told it already was")
        #expect(try await platform.auditLog().filter { $0.action == "payment.refund" }.count == 1)
        await rig.stop(running)
    }

    @Test("killed after Send wrote a broadcast's messages: each student gets it once, the creator sees its progress and the total")
    func broadcastStart() async throws {
        let rig = try await Rig()
        let bot = try #require(rig.emulator.bot(token: Rig.courseToken))
        let cora = rig.manager.user(id: 501, firstName: "Cora")
        let students = [bot.user(id: 9411, firstName: "Ann"), bot.user(id: 9412, firstName: "Ben")]
        var running = try rig.start(crashAt: "desk.broadcast_started")
        try await cora.send("/start", expecting: "Gongbu manager")
        for student in students {
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Intro")
        }
        try await cora.send("/broadcast", expecting: "Send the message for the students")
        try await cora.send("Hello **all**, new lesson tomorrow.", expecting: "This is what the 2 students")
        try cora.press("Send to 2 students")
        #expect(try await rig.died(running) == 137)

        running = try rig.start()
        for student in students {
            _ = try await student.waitForMessage(containing: "Hello all, new lesson tomorrow.", timeout: .seconds(30))
        }
        _ = try await cora.waitForMessage(containing: "finished: 2 delivered", timeout: .seconds(30))
        #expect(try await eventually { try await rig.jobsDone() })
        try await Task.sleep(for: .milliseconds(800))
        for student in students {
            #expect(student.messages.filter { $0.body.contains("new lesson tomorrow") }.count == 1, "once: \(student.messages.map(\.body))")
        }
        #expect(cora.messages.filter { $0.body.contains("finished: 2 delivered") }.count == 1)
        #expect(cora.messages.contains { $0.body.contains("Sent 2/2") }, "the status message shows the progress")
        let platform = try rig.platform
        #expect(try await platform.auditLog().filter { $0.action == "broadcast.send" }.count == 1)
        await rig.stop(running)
    }

    @Test("killed after a step was added: the course has it once, the creator is answered")
    func addStep() async throws {
        let rig = try await Rig()
        let cora = rig.manager.user(id: 501, firstName: "Cora")
        var running = try rig.start()
        try await cora.send("/start", expecting: "Gongbu manager")
        try await cora.send("/newcourse", expecting: "Send its title")
        try await cora.send("Step Course", expecting: "description")
        try await cora.send("Steps.", expecting: "Which language")
        try await cora.press("English", expecting: "category")
        try await cora.press("Skip ⏭", expecting: "How hard")
        try await cora.press("2", expecting: "created")
        try await rig.stop(running, keep: true)

        running = try rig.start(crashAt: "desk.course_updated")
        try await cora.press("➕ Add step", expecting: "What kind of step")
        try await cora.press("📝 Text", expecting: "step's title")
        try await cora.send("Constants", expecting: "step's text")
        try await cora.send("Use let.", expecting: "Preview")
        try cora.press("✅ Save")
        #expect(try await rig.died(running) == 137)

        running = try rig.start()
        _ = try await cora.waitForMessage(containing: "Step 2 added: Constants", timeout: .seconds(30))
        #expect(try await eventually { try await rig.jobsDone() })
        let slug = try #require(try await rig.platform.authoredCourses().first?.slug)
        let store = try CourseStore.open(dataDir: rig.folder.appendingPathComponent("data").path, slug: slug)
        let yaml = try #require(try await store.authoredSource()?.yaml)
        #expect(yaml.components(separatedBy: "Constants").count == 2, "the step once: \(yaml)")
        #expect(try await rig.platform.auditLog().filter { $0.action == "step.add" }.count == 1)
        await rig.stop(running)
    }
}

extension DeskCrashTests.Rig {
    /// Stops the process gracefully; `keep`: the emulator and data stay for the next start.
    func stop(_ running: GongbuBinary.Running, keep: Bool) async throws {
        guard keep else { return await stop(running) }
        running.interrupt()
        _ = await running.wait()
    }
}
