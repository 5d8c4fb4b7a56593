import Foundation
import Logging

/// The backlog scenario: `queued` students have each sent /help before the bot starts, so once
/// the bot has handled them its outbox holds `queued` messages that Telegram's limits let out at
/// ~29/s. CPU per sent message is measured over a window after that (handling excluded), for a
/// large backlog and a small one: the sender's cost must not grow with what waits behind it.
enum Backlog {
    struct Figures {
        var queued: Int
        var sent: Int
        var seconds: Double
        var cpuPerSend: Double
        var tooMany: Int
    }

    static func run(queued: Int, window: Double, root: String, logger: Logger) async throws -> Figures {
        let session = try await EmulatorSession(arguments: ["--mode", "backlog", "--queued", "\(queued)"])
        let running = try await RunningGongbu.start(bots: 1, baseURL: session.baseURL, root: root, logger: logger)
        let ingested = try await session.expect("INGESTED ")
        let sentBefore = Int(ingested.split(separator: "=").last ?? "0") ?? 0
        let cpuBefore = ProcessFigures.cpuMicroseconds()
        let started = ContinuousClock.now
        var sent = sentBefore
        var tooMany = 0
        // Until the window ends or nothing is left to send.
        while sent < queued, ContinuousClock.now - started < .seconds(window) {
            try await Task.sleep(for: .milliseconds(500))
            session.child.send("count")
            let words = (await session.child.readLine() ?? "").split(separator: " ")
            if words.count == 4 {
                sent = Int(words[1]) ?? sent
                tooMany = Int(words[3]) ?? tooMany
            }
        }
        let cpu = ProcessFigures.cpuMicroseconds() - cpuBefore
        let seconds = (ContinuousClock.now - started).seconds
        try await running.stop()
        session.finish()
        return Figures(
            queued: queued, sent: sent - sentBefore, seconds: seconds, cpuPerSend: cpu / Double(max(sent - sentBefore, 1)), tooMany: tooMany)
    }
}
