import AsyncHTTPClient
import Foundation
import GongbuTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `/metrics` of a real `gongbu run` (its own process, so its own registry): every contract
/// metric (PRODUCT.md §7) is there from the first scrape, before any update arrived; a course
/// built in the manager bot counts in `courses_created_total`; HTTP series are labelled by route,
/// never by the raw path asked for.
@Suite("contract metrics of gongbu run", .serialized)
struct ContractMetricsTests {
    static let names = [
        "http_requests_total", "http_request_duration_seconds", "courses_created_total", "payments_processed_total",
        "gongbu_updates_total", "gongbu_update_duration_seconds", "gongbu_telegram_requests_total",
    ]

    /// A loopback port nobody listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func get(_ url: String) async throws -> String? {
        guard let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5)),
            response.status == .ok
        else { return nil }
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    /// The value of the series `line` (name and labels as printed), if it is there.
    static func value(_ series: String, in metrics: String) -> Double? {
        metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// Anything shaped like a bot token (`123456:` and at least 8 token characters) in `text`.
    static func leaks(_ text: String) -> [String] {
        let pattern = try! Regex("[0-9]{3,}:[A-Za-z0-9_-]{8,}")
        return text.matches(of: pattern).map { String(text[$0.range]) }
    }

    @Test("every contract metric is on /metrics from the start; a course made in the manager bot counts once; no token in clear anywhere")
    func presentFromStartAndCounted() async throws {
        let emulator = BotAPIEmulator()
        try await emulator.start()
        let manager = emulator.addBot(token: "3201:TEST-metrics-manager", username: "metrics_manager_bot")
        _ = emulator.addBot(token: "3202:TEST-metrics-course", username: "metrics_course_bot")
        // Flood limits off for the manager bot: the test counts what it sends, not how it is paced.
        manager.setRateLimits(nil)
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gongbu-metrics-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try Self.freePort()
        let config = try ManagerAndCourseConfig.write(into: folder, apiURL: emulator.baseURL, port: port)
        let environment = ["COURSE": "3202:TEST-metrics-course", "MANAGER": "3201:TEST-metrics-manager", "GONGBU_RESOURCES": GongbuBinary.root.path]
        let running = try GongbuBinary.start(
            ["run", "--config", config, "--log-level", "trace", "--log-format", "json"],
            environment: environment)
        let base = "http://127.0.0.1:\(port)"

        // The first scrape that answers: no update has come to any bot yet.
        var first: String?
        let deadline = ContinuousClock.now + .seconds(30)
        while first == nil, ContinuousClock.now < deadline {
            first = try await Self.get(base + "/metrics")
            if first == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let metrics = try #require(first, "gongbu run never served /metrics")
        for name in Self.names {
            #expect(metrics.contains("# TYPE \(name) "), "\(name) missing from the first scrape:\n\(metrics)")
        }
        #expect(Self.value("courses_created_total", in: metrics) == 0)
        #expect(Self.value("payments_processed_total", in: metrics) == 0)
        #expect(Self.value(#"gongbu_updates_total{bot="3202:***"}"#, in: metrics) == 0, "\(metrics)")
        #expect(!metrics.contains("TEST-metrics"), "no token in /metrics")

        // A course built in the manager bot.
        let cora = manager.user(id: 811, firstName: "Cora")
        do {
        try await cora.send("/start", expecting: "Gongbu manager")
        try await cora.send("/newcourse", expecting: "Send its title")
        try await cora.send("Metrics 101", expecting: "description")
        try await cora.send("All about counting.", expecting: "Which language")
        try await cora.press("English", expecting: "category")
        try await cora.press("Skip ⏭", expecting: "How hard")
        try await cora.press("2", expecting: "created")
        // Security: a course bot connected by pasting its token in the chat, then taught.
        let pasted = emulator.addBot(token: "3203:TEST-metrics-pasted", username: "metrics_pasted_bot")
        pasted.setRateLimits(nil)
        try await cora.send("/courses", expecting: "Metrics 101")
        try await cora.press("🤖 Connect bot", expecting: "paste its token")
        try await cora.send("3203:TEST-metrics-pasted", expecting: "now teaches")
        try await pasted.user(id: 9811, firstName: "Sam").send("/start", expecting: "Metrics 101")
        } catch {
            running.interrupt()
            Issue.record("\(error)\n--- gongbu run ---\n\(await running.wait().stderr.suffix(6000))")
            await emulator.stop()
            return
        }
        _ = try await Self.get(base + "/no/such/page-\(UUID().uuidString)")

        let after = try #require(try await Self.get(base + "/metrics"))
        #expect(Self.value("courses_created_total", in: after) == 1, "\(after)")
        #expect((Self.value(#"gongbu_updates_total{bot="3201:***"}"#, in: after) ?? 0) >= 7, "\(after)")
        #expect(after.contains(#"route="/metrics""#))
        #expect(after.contains(#"route="other""#))
        #expect(!after.contains("no/such"), "no raw path in a label")

        let health = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/healthz"), timeout: .seconds(5))
        let healthBody = String(buffer: try await health.body.collect(upTo: 1 << 20))
        #expect(healthBody.contains("3202:***") || healthBody.contains("metrics_course_bot"), "\(healthBody)")

        running.interrupt()
        let output = await running.wait()
        #expect(output.status == 0, "stderr: \(output.stderr.suffix(2000))")
        // Security: no token in clear anywhere the run wrote or served, even at trace level.
        let everything = [output.stderr, output.stdout, metrics, after, healthBody]
        for text in everything {
            #expect(!text.contains("TEST-metrics"), "a token in clear: \(Self.leaks(text))")
            #expect(Self.leaks(text).isEmpty, "\(Self.leaks(text))")
        }
        await emulator.stop()
    }
}
