import Foundation

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
    static func run(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> Output {
        let running = try start(arguments, environment: environment, directory: directory)
        return running.wait()
    }

    /// Starts it in the background.
    static func start(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["GONGBU_CONFIG"] = nil
        env["GONGBU_TELEGRAM_API_URL"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdout = PipeCollector(pipe: out)
        let stderr = PipeCollector(pipe: err)
        try process.run()
        return Running(process: process, stdout: stdout, stderr: stderr)
    }

    final class Running: @unchecked Sendable {
        // @unchecked: Process is used from one test at a time.
        let process: Process
        let stdout: PipeCollector
        let stderr: PipeCollector

        init(process: Process, stdout: PipeCollector, stderr: PipeCollector) {
            self.process = process
            self.stdout = stdout
            self.stderr = stderr
        }

        func terminate() { process.terminate() }

        func interrupt() { process.interrupt() }

        func wait() -> Output {
            process.waitUntilExit()
            return Output(status: process.terminationStatus, stdout: stdout.text, stderr: stderr.text)
        }
    }
}

/// Collects a pipe's bytes as they arrive (so a chatty child never blocks on a full pipe).
final class PipeCollector: @unchecked Sendable {
    // @unchecked: `data` is guarded by `lock`.
    private let lock = NSLock()
    private var data = Data()

    init(pipe: Pipe) {
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard let self else { return }
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            self.lock.lock()
            self.data.append(chunk)
            self.lock.unlock()
        }
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
