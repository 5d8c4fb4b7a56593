import AsyncHTTPClient
import BotRuntime
import Foundation
import GongbuTesting
import HTTPAPI
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Storage
import Testing

/// The process-wide metrics backend for tests (swift-metrics can be bootstrapped once).
enum TestMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

@Suite("/healthz and /metrics")
struct HealthAndMetricsTests {
    /// Serves `/healthz` and `/metrics` on a random loopback port while `body` runs.
    func withServer(health: BotHealth, _ body: @Sendable (String) async throws -> Void) async throws {
        let registry = TestMetrics.registry
        let port = Signal(latching: true)
        let bound = LogCapture()
        let app = HTTPServer.application(host: "127.0.0.1", port: 0, health: health, registry: registry, logger: Logger(label: "http")) { port in
            bound.sink("\(port)")
        } 
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            _ = port
            while bound.all.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            try await body("http://127.0.0.1:\(bound.all[0])")
            group.cancelAll()
        }
    }

    func get(_ url: String) async throws -> (status: UInt, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, String(buffer: body))
    }

    @Test("healthz reports each bot, and 503 once a bot's token is revoked; metrics carry no token")
    func healthAndMetrics() async throws {
        _ = TestMetrics.registry
        let harness = try await RuntimeHarness()
        let goodToken = "2201:TEST-health-good"
        let badToken = "2202:TEST-health-revoked"
        let good = harness.emulator.addBot(token: goodToken, username: "healthy_bot")
        _ = harness.emulator.addBot(token: badToken, username: "doomed_bot")
        let goodWorker = harness.start(harness.worker(token: goodToken, chats: try harness.courseStore("h1").chats, handler: SceneChatHandler(scene: EchoScene())))
        let badWorker = harness.start(harness.worker(token: badToken, chats: try harness.courseStore("h2").chats, handler: SceneChatHandler(scene: EchoScene())))
        let alice = good.user(id: 801, firstName: "Alice")
        alice.send("ping")
        _ = try await alice.waitForMessage(containing: "echo #1")

        try await withServer(health: harness.health) { base in
            #expect(try await eventually { harness.health.status(botId: 2202)?.lastPollAt != nil })
            let healthy = try await get(base + "/healthz")
            #expect(healthy.status == 200, "\(healthy.body)")
            #expect(healthy.body.contains(#""status":"ok""#))
            #expect(healthy.body.contains(#""state":"polling""#))
            #expect(healthy.body.contains("last_poll_at"))

            harness.emulator.revoke(token: badToken)
            #expect(try await eventually(timeout: .seconds(10)) { harness.health.status(botId: 2202)?.state == .failing })
            let failing = try await get(base + "/healthz")
            #expect(failing.status == 503)
            #expect(failing.body.contains(#""status":"failing""#))
            #expect(!failing.body.contains(badToken))

            let metrics = try await get(base + "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.body.contains("gongbu_updates_total"))
            #expect(metrics.body.contains("gongbu_telegram_requests_total"))
            #expect(metrics.body.contains("gongbu_update_duration_seconds"))
            #expect(metrics.body.contains("http_requests_total"))
            #expect(!metrics.body.contains(goodToken) && !metrics.body.contains(badToken))
            #expect(metrics.body.contains("2201:***"))
        }
        try await goodWorker.stopAndWait()
        await #expect(throws: WorkerEnd.self) { try await badWorker.stopAndWait() }
        #expect(harness.leaks(of: badToken).isEmpty)
        await harness.shutdown()
    }
}
