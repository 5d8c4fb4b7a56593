import Foundation
import GongbuTesting

/// Runs the built `gongbu` executable as a user would, capturing its output and exit code.
struct GongbuBinary {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var path: String {
        for configuration in ["debug", "release"] {
            let candidate = root.appendingPathComponent(".build/\(configuration)/gongbu").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return root.appendingPathComponent(".build/debug/gongbu").path
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs to completion.
    static func run(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) async throws -> Output {
        let running = try start(arguments, environment: environment, directory: directory)
        return await running.wait()
    }

    /// Starts it in the background (posix_spawn, not Foundation's Process: see SpawnedProcess).
    static func start(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil, pipeStdin: Bool = false) throws -> Running {
        var env = ProcessInfo.processInfo.environment
        env["GONGBU_CONFIG"] = nil
        env["GONGBU_TELEGRAM_API_URL"] = nil
        for (key, value) in environment { env[key] = value }
        let process = try SpawnedProcess(executable: path, arguments: arguments, environment: env, directory: directory?.path, pipeStdin: pipeStdin)
        return Running(process: process)
    }

    /// A started `gongbu`.
    struct Running: Sendable {
        let process: SpawnedProcess

        func terminate() { process.terminate() }

        func interrupt() { process.interrupt() }

        /// Waits for it to exit without holding one of the test pool's threads.
        func wait() async -> Output {
            let result = await process.finished()
            return Output(status: result.status, stdout: result.stdout, stderr: result.stderr)
        }
    }
}
