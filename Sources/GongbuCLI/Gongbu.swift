import ArgumentParser
import BotRuntime
import Foundation
import Logging
import Manifests

/// `gongbu`: one executable for running, checking, previewing and exporting courses.
@main
struct Gongbu: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "gongbu",
        abstract: "Turns courses into Telegram bots.",
        version: version,
        subcommands: [Run.self, Check.self, Preview.self, Demo.self, Export.self, Import.self],
        defaultSubcommand: nil)
}

/// Options every command accepts.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "Log lines on stderr: text or json.")
    var logFormat: LogFormatOption = .text

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    /// Installs the process-wide log handler; `secrets` are redacted from every line.
    func bootstrapLogging(secrets: [String]) {
        let format = logFormat.format
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, format: format, level: level, secrets: secrets)
        }
    }
}

enum LogFormatOption: String, ExpressibleByArgument, CaseIterable {
    case text, json

    var format: LineLogHandler.Format { self == .json ? .json : .text }
}

/// `--config`: the flag, else `$GONGBU_CONFIG`, else `./bots.yaml`.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "bots.yaml (default: $GONGBU_CONFIG, then ./bots.yaml).")
    var config: String?

    var path: String {
        config ?? ProcessInfo.processInfo.environment["GONGBU_CONFIG"] ?? "bots.yaml"
    }

    /// bots.yaml loaded with this process's environment; on an error its `FILE:LINE:COL: message`
    /// lines go to stderr and the command exits 1.
    func loadOrExit() throws -> BotsConfig {
        do {
            return try BotsConfig.load(path: path, environment: ProcessInfo.processInfo.environment)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitCode(1)
        }
    }
}

/// Writes a line to stderr (diagnostics; logs go through swift-log).
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
