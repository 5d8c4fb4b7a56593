import BotRuntime
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

/// The HTTP listener of `http.listen`: `/healthz` and `/metrics` (contract §7, §8), and with a
/// workspace the REST API, `/openapi.json` and the Mini App (§9), run as a Service in the same
/// process as the bots.
public enum HTTPServer {
    /// Builds the Hummingbird application serving health and metrics on `host:port` (port 0:
    /// any), the web workspace's routes when `workspace` is given (it holds the manager bot's
    /// token, which signs the sign-in payloads), and the Mini App page; `configure` adds more
    /// routes to the same router (the playground of `gongbu demo`).
    public static func application(
        host: String, port: Int, health: BotHealth, registry: PrometheusCollectorRegistry, logger: Logger,
        workspace: Workspace? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        configure: (Router<APIContext>) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = router(health: health, registry: registry, logger: logger, workspace: workspace)
        configure(router)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "gongbu"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Every route of the listener (the OpenAPI drift test lists them from here).
    public static func router(
        health: BotHealth, registry: PrometheusCollectorRegistry, logger: Logger, workspace: Workspace? = nil
    ) -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        router.add(middleware: RequestMetricsMiddleware())
        router.add(middleware: BodyLimitMiddleware(maxBytes: Workspace.maxBodyBytes))
        router.get("/openapi.json") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
        }
        if let workspace {
            APIRoutes(workspace: workspace, logger: logger).register(on: router)
            AppPage.register(on: router, workspace: workspace, health: health)
        }
        router.get("/healthz") { _, _ -> Response in
            HealthReport(health: health).response()
        }
        router.get("/metrics") { _, _ -> Response in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(4096)
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        return router
    }
}

/// `GET /openapi.json`: the OpenAPI 3.1 document kept in the repo (`Sources/HTTPAPI/openapi.json`), served as is.
public enum OpenAPIDocument {
    public static let bytes: [UInt8] = PackageResources.openapi_json
}

/// The JSON of `/healthz`: `{"status": "ok"|"failing", "bots": [...]}`, 503 when a bot fails.
struct HealthReport: Encodable {
    struct Bot: Encodable {
        var username: String?
        var course: String?
        var state: String
        var last_poll_at: String?
        var error: String?
    }

    var status: String
    var bots: [Bot]

    init(health: BotHealth) {
        let snapshot = health.snapshot
        let formatter = ISO8601DateFormatter()
        status = snapshot.contains { $0.state == .failing } ? "failing" : "ok"
        bots = snapshot.map { bot in
            Bot(
                username: bot.username, course: bot.course, state: bot.state.rawValue,
                last_poll_at: bot.lastPollAt.map { formatter.string(from: Date(timeIntervalSince1970: $0)) },
                error: bot.error)
        }
    }

    func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return Response(
            status: status == "ok" ? .ok : .serviceUnavailable,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Counts requests (`http_requests_total{method,route,status}`) and times them
/// (`http_request_duration_seconds{method,route}`), labelled by the route template the router
/// matched (`other` when none did), never by the raw path, so random paths cannot grow the label set.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request: request, route: context.endpointPath, status: response.status.code, start: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request: request, route: context.endpointPath, status: status, start: start)
            throw error
        }
    }

    private func record(request: Request, route matched: String?, status: Int, start: ContinuousClock.Instant) {
        // A template of the router (`/courses/:id`), so the label set stays as small as the routes;
        // `other` when no route matched (Hummingbird then says `NotFound`).
        let route = matched.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "other"
        let dimensions = [("method", request.method.rawValue), ("route", route), ("status", String(status))]
        Counter(label: ContractMetrics.httpRequests, dimensions: dimensions).increment()
        Metrics.Timer(
            label: ContractMetrics.httpRequestDuration, dimensions: [("method", request.method.rawValue), ("route", route)],
            preferredDisplayUnit: .seconds
        ).recordInterval(since: start)
    }
}

extension Metrics.Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
