import Hummingbird
import Logging
import ServiceLifecycle

/// A Hummingbird application run on 127.0.0.1 (port chosen by the system) as a service, so a
/// test can serve pages to the browser and stop them gracefully.
final class LoopbackServer: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    private init(port: Int, group: ServiceGroup, task: Task<Void, Never>) {
        self.port = port
        self.group = group
        self.task = task
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Serves `router` until `stop()`.
    static func start(router: Router<BasicRequestContext>) async throws -> LoopbackServer {
        let logger = Logger(label: "browser-test-server")
        let (ports, sink) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in sink.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            try? await group.run()
            sink.finish()
        }
        for await port in ports {
            return LoopbackServer(port: port, group: group, task: task)
        }
        throw HTTPError(.internalServerError, message: "the loopback server did not start")
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}

extension LoopbackServer {
    /// Serves `router` for the duration of `body`.
    static func serving<Result: Sendable>(
        _ router: Router<BasicRequestContext>, _ body: (LoopbackServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(router: router)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}
