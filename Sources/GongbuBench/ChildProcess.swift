import Foundation
import GongbuTesting

/// The emulator child process, talked to line by line over its stdin and stdout.
final class ChildProcess: Sendable {
    let process: SpawnedProcess

    init(arguments: [String]) throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        process = try SpawnedProcess(
            executable: executable, arguments: ["emulator"] + arguments, environment: ProcessInfo.processInfo.environment,
            pipeStdin: true, collectOutput: false)
    }

    /// The next line the child prints (blocking read on a dispatch queue, not the cooperative pool).
    func readLine() async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: self.process.readLine())
            }
        }
    }

    func send(_ line: String) {
        process.write(line + "\n")
    }

    /// Closes stdin (the child exits) and waits for it.
    func finish() {
        process.closeInput()
        process.waitUntilExit()
    }
}
