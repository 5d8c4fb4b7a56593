import ArgumentParser
import BotRuntime
import Foundation
import HTTPAPI
import Logging
import Manifests
import Metrics
import Prometheus
import ServiceLifecycle

/// `gongbu run`: the supervisor, one long-polling worker per bot token, until SIGINT/SIGTERM.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run every bot of bots.yaml until SIGINT/SIGTERM.")

    @OptionGroup var config: ConfigOption
    @OptionGroup var common: CommonOptions

    @Option(help: "Folder holding Locales/ and Templates/ (default: $GONGBU_RESOURCES, the folder of bots.yaml, the package root).")
    var resources: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let botsConfig: BotsConfig
        do {
            botsConfig = try BotsConfig.load(path: config.path, environment: environment)
        } catch {
            common.bootstrapLogging(secrets: [])
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitCode(1)
        }
        let secrets = botsConfig.bots.map(\.token) + [botsConfig.manager?.token].compactMap { $0 }
        common.bootstrapLogging(secrets: secrets)
        let logger = Logger(label: "gongbu")

        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let configFolder = (config.path as NSString).deletingLastPathComponent
        guard let resourcesDirectory = Resources.locate(candidates: [
            resources, environment["GONGBU_RESOURCES"], configFolder.isEmpty ? "." : configFolder, Self.packageRoot,
        ]) else {
            printError("error: cannot find Locales/ and Templates/: pass --resources DIR or set GONGBU_RESOURCES")
            throw ExitCode(1)
        }

        let httpClient = ClientFactory.makeHTTPClient()
        let clients = ClientFactory(httpClient: httpClient, baseURL: botsConfig.telegram.apiURL, logger: logger)
        let runtime: Runtime
        do {
            runtime = try await Runtime.make(
                config: botsConfig, resourcesDirectory: resourcesDirectory,
                settings: WorkerSettings(pollTimeout: botsConfig.telegram.pollTimeout),
                client: { clients.client(for: $0) }, logger: logger)
        } catch let error as DiagnosticsError {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            try await httpClient.shutdown()
            throw ExitCode(1)
        } catch {
            printError("error: \(error)")
            try await httpClient.shutdown()
            throw ExitCode(1)
        }

        // Every metric the contract names is on /metrics from the start, at zero.
        ContractMetrics.registerAtZero(bots: runtime.bots)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: runtime.supervisor)]
        if let http = botsConfig.http {
            let app = HTTPServer.application(
                host: http.host, port: http.port, health: runtime.health, registry: registry, logger: logger, workspace: runtime.workspace)
            services.append(.init(service: app))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("starting", metadata: ["bots": "\(runtime.bots.count)", "api_url": "\(botsConfig.telegram.apiURL)", "data_dir": "\(botsConfig.dataDir)"])
        runtime.startBots()
        do {
            try await group.run()
        } catch {
            logger.error("stopped with an error", metadata: ["error": "\(error)"])
            try await httpClient.shutdown()
            throw ExitCode(1)
        }
        try await httpClient.shutdown()
        logger.info("stopped cleanly")
    }

    /// The package root when run from a build of this repository (`swift run`).
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}
