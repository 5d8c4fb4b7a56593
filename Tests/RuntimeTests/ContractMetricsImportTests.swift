import AsyncHTTPClient
import Foundation
import GongbuTesting
import Testing

/// `courses_created_total` counts a course brought in by `gongbu import` (its own process) from
/// the next start of `gongbu run`, as it counts courses built in the manager bot: the platform
/// database is what keeps the total.
@Suite("courses_created_total across gongbu import", .timeLimit(.minutes(2)))
struct ContractMetricsImportTests {
    @Test("a course imported before the start is counted on the first scrape")
    func importedCourseCounts() async throws {
        let emulator = BotAPIEmulator()
        try await emulator.start()
        _ = emulator.addBot(token: "3211:TEST-metrics-import-manager", username: "metrics_import_manager_bot")
        _ = emulator.addBot(token: "3212:TEST-metrics-import-course", username: "metrics_import_course_bot")
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gongbu-metrics-import-" + UUID().uuidString)
        let course = folder.appendingPathComponent("imported-one")
        try FileManager.default.createDirectory(at: course, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            slug: imported-one
            title: Imported One
            steps:
              - id: hello
                type: text
                text: Hello.
            """.write(to: course.appendingPathComponent("course.yaml"), atomically: true, encoding: .utf8)
        let port = try ContractMetricsTests.freePort()
        let config = try ManagerAndCourseConfig.write(into: folder, apiURL: emulator.baseURL, port: port)
        let environment = ["COURSE": "3212:TEST-metrics-import-course", "MANAGER": "3211:TEST-metrics-import-manager", "GONGBU_RESOURCES": GongbuBinary.root.path]
        let imported = try await GongbuBinary.run(["import", course.path, "--creator", "861", "--config", config], environment: environment)
        #expect(imported.status == 0, "stderr: \(imported.stderr)")

        let running = try GongbuBinary.start(["run", "--config", config], environment: environment)
        var metrics: String?
        let deadline = ContinuousClock.now + .seconds(30)
        while metrics == nil, ContinuousClock.now < deadline {
            metrics = try await ContractMetricsTests.get("http://127.0.0.1:\(port)/metrics")
            if metrics == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let scraped = try #require(metrics)
        #expect(ContractMetricsTests.value("courses_created_total", in: scraped) == 1, "\(scraped)")
        running.interrupt()
        #expect(await running.wait().status == 0)
        await emulator.stop()
    }
}
