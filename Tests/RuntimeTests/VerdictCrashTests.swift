import Foundation
import GongbuTesting
import Storage
import Testing

/// A verdict is applied exactly once even when the process is killed with SIGKILL right after
/// the reviewer decided: the real `gongbu` binary, killed and started again on the same data.
@Suite("Verdict across kill -9", .timeLimit(.minutes(3)))
struct VerdictCrashTests {
    @Test("kill -9 right after the reviewer's verdict: after a restart the student is told once and the step is approved once")
    func killedAfterVerdict() async throws {
        let emulator = BotAPIEmulator()
        try await emulator.start()
        let courseToken = "4701:TEST-kill-course"
        let managerToken = "4702:TEST-kill-manager"
        let bot = emulator.addBot(token: courseToken, username: "kill_course_bot")
        let manager = emulator.addBot(token: managerToken, username: "kill_manager_bot")
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gongbu-kill-" + UUID().uuidString)
        let courseFolder = folder.appendingPathComponent("killed")
        try FileManager.default.createDirectory(at: courseFolder, withIntermediateDirectories: true)
        try reviewCourseYAML(slug: "killed", title: "Killed", creator: 721).write(
            to: courseFolder.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("bots.yaml")
        try """
            telegram:
              api_url: \(emulator.baseURL)
              poll_timeout: 1
            data_dir: data
            manager:
              token: ${MANAGER}
            bots:
              - token: ${COURSE}
                course: \(courseFolder.path)
            """.write(to: config, atomically: true, encoding: .utf8)
        let environment = ["COURSE": courseToken, "MANAGER": managerToken, "GONGBU_RESOURCES": GongbuBinary.root.path]
        var running = try GongbuBinary.start(["run", "--config", config.path], environment: environment)

        let creator = manager.user(id: 721, firstName: "Cora")
        creator.send("/start")
        _ = try await creator.waitForMessage(containing: "Gongbu manager", timeout: .seconds(30))
        let student = bot.user(id: 9701, firstName: "Ann")
        student.send("/start")
        _ = try await student.waitForMessage(containing: "Start", timeout: .seconds(30))
        _ = try student.press("Start")
        _ = try await student.waitForMessage(containing: "Intro")
        _ = try student.press("Next ▶️")
        _ = try await student.waitForMessage(containing: "Send your essay")
        student.send("An essay to be approved once")
        _ = try await student.waitForMessage(containing: "awaits review")
        _ = try await creator.waitForMessage(containing: "New submission #1")
        _ = try creator.press("✅ Approve")
        _ = try await creator.waitForMessage(containing: "Write a comment")
        _ = try creator.press("Skip")
        // The verdict may be stored, applied, marked applied, or none of these yet: kill it now.
        running.process.signal(SIGKILL)
        _ = await running.wait()

        running = try GongbuBinary.start(["run", "--config", config.path], environment: environment)
        let told = try await student.waitForMessage(containing: "is approved", timeout: .seconds(30))
        #expect(told.buttonLabels.contains("Next ▶️"))
        let store = try CourseStore.open(dataDir: folder.appendingPathComponent("data").path, slug: "killed")
        let platform = try PlatformStore.open(dataDir: folder.appendingPathComponent("data").path)
        #expect(try await eventually { try await platform.unappliedDecisions().isEmpty })
        // A second look after the relay had every chance to apply it again.
        try await Task.sleep(for: .seconds(1.5))
        running.interrupt()
        #expect(await running.wait().status == 0)
        #expect(student.messages.filter { $0.body.contains("is approved") }.count == 1, "\(student.messages.map(\.body))")
        let submission = try #require(try await store.submissions().first)
        #expect(submission.status == .approved && submission.reviewerId == 721)
        #expect(try await store.progress()[9701]?.contains("essay") == true)
        let decisions = try await platform.decisions(courseSlug: "killed")
        // One verdict, settled: "applied", or "already_decided" when the kill fell between the
        // course database's commit and the platform's mark (the course database had it already).
        #expect(decisions.count == 1 && decisions.first?.outcome != nil, "\(decisions)")
        await emulator.stop()
        try? FileManager.default.removeItem(at: folder)
    }
}
