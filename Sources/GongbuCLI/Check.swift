import ArgumentParser
import Foundation
import Manifests

/// `gongbu check`: validates bots.yaml and every course it names, without talking to Telegram.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate bots.yaml and its courses (exit 1 on any error).")

    @OptionGroup var config: ConfigOption
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging(secrets: [])
        let (diagnostics, summary) = ConfigCheck.run(configPath: config.path, displayPath: config.path, environment: ProcessInfo.processInfo.environment)
        for diagnostic in diagnostics {
            printError(diagnostic.description)
        }
        guard let summary, !diagnostics.contains(where: \.isError) else {
            throw ExitCode(1)
        }
        print(summary)
    }
}
