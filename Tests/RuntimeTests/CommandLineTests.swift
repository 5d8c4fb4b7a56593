import Foundation
import GongbuTesting
import Storage
import Testing

/// The `gongbu` executable as a user runs it: check, version, run with SIGTERM.
@Suite("gongbu command line", .serialized)
struct CommandLineTests {
    static func temporaryFolder() throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gongbu-cli-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("gongbu check accepts the example bots.yaml")
    func checkExample() async throws {
        let output = try await GongbuBinary.run(
            ["check", "--config", GongbuBinary.root.appendingPathComponent("bots.yaml").path],
            environment: ["GONGBU_MANAGER_TOKEN": "3001:TEST-manager", "SWIFT_BASICS_TOKEN": "3002:TEST-course"])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(output.stdout.contains("OK"))
    }

    @Test("gongbu check points at the line and column of a config error")
    func checkErrors() async throws {
        let folder = try Self.temporaryFolder()
        let config = folder.appendingPathComponent("bots.yaml")
        try """
            telegram:
              api_url: http://127.0.0.1:9
              pol_timeout: 5
            data_dir: data
            bots:
              - token: ${MISSING_TOKEN_VAR}
                course: nowhere
            """.write(to: config, atomically: true, encoding: .utf8)
        let output = try await GongbuBinary.run(["check", "--config", "bots.yaml"], directory: folder)
        #expect(output.status == 1)
        #expect(output.stderr.contains("bots.yaml:3:3: "), "stderr: \(output.stderr)")
        #expect(output.stderr.contains("pol_timeout"))
        #expect(output.stderr.contains("bots.yaml:6:12: "), "missing variable at its scalar: \(output.stderr)")
        #expect(output.stdout.isEmpty)
    }

    @Test("gongbu --version prints the version")
    func version() async throws {
        let output = try await GongbuBinary.run(["--version"])
        #expect(output.status == 0)
        #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines).first?.isNumber == true)
    }

    @Test("SIGTERM stops gongbu run cleanly: exit 0, no outbox row lost, delivered after restart")
    func gracefulShutdown() async throws {
        let emulator = BotAPIEmulator()
        try await emulator.start()
        let token = "3101:TEST-sigterm-course"
        let managerToken = "3102:TEST-sigterm-manager"
        let bot = emulator.addBot(token: token, username: "sigterm_bot")
        _ = emulator.addBot(token: managerToken, username: "manager_bot")
        let folder = try Self.temporaryFolder()
        let config = folder.appendingPathComponent("bots.yaml")
        try """
            telegram:
              api_url: \(emulator.baseURL)
              poll_timeout: 2
            data_dir: data
            manager:
              token: ${MANAGER}
            bots:
              - token: ${COURSE}
                course: \(GongbuBinary.root.appendingPathComponent("courses/swift-basics").path)
            """.write(to: config, atomically: true, encoding: .utf8)
        let environment = ["COURSE": token, "MANAGER": managerToken, "GONGBU_RESOURCES": GongbuBinary.root.path]

        var running = try GongbuBinary.start(["run", "--config", config.path, "--log-format", "json"], environment: environment)
        let student = bot.user(id: 701, firstName: "Dana")
        student.send("/start")
        _ = try await student.waitForMessageCount(1, timeout: .seconds(30))

        // Telegram refuses every message for a while: the next reply waits in the outbox.
        emulator.inject(.tooManyRequests(retryAfter: 1), method: "sendMessage", token: token, count: 1_000)
        student.send("/progress")
        let store = try CourseStore.open(dataDir: folder.appendingPathComponent("data").path, slug: "swift-basics")
        #expect(try await eventually(timeout: .seconds(15)) { try await store.chats.pendingCount(botId: 3101) >= 1 })
        running.terminate()
        var output = await running.wait()
        #expect(output.status == 0, "stderr: \(output.stderr.suffix(2000))")
        // Read again for a few seconds: once (in CI) the first read after the exit saw no pending row
        // although the reply was then delivered after the restart (not understood yet; see the notes).
        #expect(try await eventually(timeout: .seconds(5)) { try await store.chats.pendingCount(botId: 3101) >= 1 }, "the reply is still in the outbox")
        for line in output.stderr.split(separator: "\n") {
            #expect(line.hasPrefix("{"), "json log lines only: \(line)")
        }
        #expect(!output.stderr.contains(token))
        #expect(!output.stderr.contains(managerToken))

        emulator.clearFaults()
        running = try GongbuBinary.start(["run", "--config", config.path], environment: environment)
        _ = try await student.waitForMessageCount(2, timeout: .seconds(30))
        #expect(try await eventually { try await store.chats.pendingCount(botId: 3101) == 0 })
        running.interrupt()
        output = await running.wait()
        #expect(output.status == 0)
        #expect(student.messages.count == 2, "nothing sent twice: \(student.messages.map(\.body))")
        await emulator.stop()
    }
}
