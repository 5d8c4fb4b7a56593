import BotRuntime
import Foundation
import GongbuTesting

/// The aiogram 3 peer (`bench/peer-aiogram/bot.py`): the example course written as a plain
/// aiogram bot, run as a child process on the same emulator with the same scripted students.
/// Its CPU comes from /proc/<pid>/stat, its memory from /proc/<pid>/status.
enum PeerAiogram {
    /// Makes or updates the virtualenv (`bench/peer-aiogram/setup.sh`); returns its python.
    static func prepare(root: String) throws -> String {
        let setup = try SpawnedProcess(
            executable: "/bin/sh", arguments: [root + "/bench/peer-aiogram/setup.sh"], environment: ProcessInfo.processInfo.environment)
        let outcome = setup.finish()
        guard outcome.status == 0 else {
            throw RuntimeError("bench/peer-aiogram/setup.sh failed (\(outcome.status)): \(outcome.stderr.suffix(2000))")
        }
        return root + "/.build/peer-aiogram-venv/bin/python"
    }

    static func run(students: Int, limits: Bool, root: String, python: String) async throws -> CourseLoadFigures {
        let session = try await EmulatorSession(
            arguments: ["--mode", "course", "--bots", "1", "--students", "\(students)", "--limits", limits ? "on" : "off"])
        let dataDir = ProcessFigures.dataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let peer = try SpawnedProcess(
            executable: python,
            arguments: [
                root + "/bench/peer-aiogram/bot.py", "--api", session.baseURL, "--token", BenchTokens.course(0),
                "--data", dataDir, "--course", root + "/courses/swift-basics",
            ],
            environment: ProcessInfo.processInfo.environment)
        _ = try await session.expect("GO")
        let cpuBefore = ProcessFigures.cpuMicroseconds(pid: peer.pid)
        let result = try await session.expect("RESULT ")
        let cpu = ProcessFigures.cpuMicroseconds(pid: peer.pid) - cpuBefore
        let figures = CourseLoadFigures(
            result: ResultLine(result) ?? ResultLine(), cpuMicroseconds: cpu,
            peakResidentMiB: ProcessFigures.statusMiB("VmHWM", pid: peer.pid),
            residentMiB: ProcessFigures.statusMiB("VmRSS", pid: peer.pid))
        peer.terminate()
        let killer = DispatchWorkItem { peer.signal(SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 15, execute: killer)
        let outcome = peer.finish()
        killer.cancel()
        session.finish()
        if figures.result["finished"] < Double(students) {
            FileHandle.standardError.write(Data("aiogram peer stderr (tail):\n\(outcome.stderr.suffix(3000))\n".utf8))
        }
        return figures
    }
}
