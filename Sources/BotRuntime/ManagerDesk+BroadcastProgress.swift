import Foundation
import Storage

/// The progress of broadcasts going out: every few seconds the creator's status message shows
/// "Sent 120/500…"; when no row of a broadcast waits any more, the totals are stored and the
/// creator gets the count delivered / blocked by the user / failed. Runs beside the manager bot;
/// broadcasts unfinished at a restart are watched again.
extension ManagerDesk {
    /// Seconds between two progress edits.
    static let broadcastProgressInterval: Double = 3

    func watchBroadcasts(stop: Signal) async {
        do {
            for record in try await platform.unfinishedBroadcasts() { broadcasts.watch(record.id) }
        } catch {
            logger.warning("could not read unfinished broadcasts", metadata: ["error": "\(error)"])
        }
        var shown: [Int64: Int] = [:]
        while !stop.isRung {
            let ids = broadcasts.watched
            if ids.isEmpty {
                await broadcasts.bell.wait(orUntil: stop)
                continue
            }
            for id in ids {
                do {
                    let desk = forJob(nil)
                    try await desk.update(broadcast: id, shown: &shown)
                    try await desk.flush()
                } catch {
                    logger.warning("broadcast progress failed", metadata: ["broadcast": "\(id)", "error": "\(redactTokens(String(describing: error)))"])
                }
            }
            await Self.sleep(Self.broadcastProgressInterval, unless: stop)
        }
    }

    private func update(broadcast id: Int64, shown: inout [Int64: Int]) async throws {
        guard let record = try await platform.broadcast(id: id), record.finishedAt == nil, let entry = courses[record.courseSlug] else {
            broadcasts.unwatch(id)
            return
        }
        let progress = try await entry.store.chats.broadcastProgress(id)
        // Created but its rows not written yet (the desk job carries on after a crash): not over.
        if progress.pending == 0, progress.finished == 0, record.total > 0 { return }
        if progress.pending > 0 {
            guard shown[id] != progress.finished else { return }
            shown[id] = progress.finished
            try await showStatus(record, escaped("broadcast.progress", record.locale, ["done": String(progress.finished), "total": String(record.total)]))
            return
        }
        try await platform.finishBroadcast(id: id, delivered: progress.delivered, blocked: progress.blocked, failed: progress.failed, now: now())
        broadcasts.unwatch(id)
        shown[id] = nil
        try await platform.audit(
            actorId: record.creatorId, action: "broadcast.finish", subject: record.courseSlug,
            details: "#\(id): \(progress.delivered) delivered, \(progress.blocked) blocked, \(progress.failed) failed", now: now())
        let summary = escaped("broadcast.finished", record.locale, [
            "course": entry.course.title, "delivered": String(progress.delivered), "blocked": String(progress.blocked),
            "failed": String(progress.failed), "total": String(record.total),
        ])
        try await showStatus(record, escaped("broadcast.progress_done", record.locale, ["done": String(progress.finished), "total": String(record.total)]))
        try await send(chatId: record.statusChatId ?? record.creatorId, html: summary)
    }

    private func showStatus(_ record: BroadcastRecord, _ html: String) async throws {
        guard let chatId = record.statusChatId, let messageId = record.statusMessageId else { return }
        try await edit(chatId: chatId, messageId: messageId, html: html)
    }

    private static func sleep(_ seconds: Double, unless stop: Signal) async {
        guard !stop.isRung else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: .seconds(seconds)) }
            group.addTask { await stop.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
