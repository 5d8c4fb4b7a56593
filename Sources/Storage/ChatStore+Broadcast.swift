import Foundation
import GRDB

/// How one student's copy of a broadcast ended.
public enum BroadcastOutcome: String, Sendable, CaseIterable {
    case delivered
    /// Telegram answered 403: the user blocked the bot.
    case blocked
    /// Refused for good (400, a missing chat, …).
    case failed
}

/// Where a broadcast stands in one chat database: finished rows by outcome, rows still waiting.
public struct BroadcastProgress: Sendable, Equatable {
    public var delivered = 0
    public var blocked = 0
    public var failed = 0
    public var pending = 0

    public init(delivered: Int = 0, blocked: Int = 0, failed: Int = 0, pending: Int = 0) {
        self.delivered = delivered
        self.blocked = blocked
        self.failed = failed
        self.pending = pending
    }

    public var finished: Int { delivered + blocked + failed }
}

/// A broadcast's outbox rows and their outcomes: written all at once, settled row by row by the
/// bot's sender, counted for the creator's progress message.
extension ChatStore {
    /// Writes one outbox row per recipient (chat, sending bot) in one transaction, tagged with
    /// `broadcastId`. Does nothing (returns 0) if rows of this broadcast were written before.
    @discardableResult
    public func enqueueBroadcast(_ broadcastId: Int64, recipients: [(chatId: Int64, botId: Int64)], method: String, payload: (Int64) -> Data, now: Double) async throws -> Int {
        let rows = recipients.map { (chatId: $0.chatId, botId: $0.botId, payload: payload($0.chatId)) }
        return try await writer.write { db in
            let written = try Bool.fetchOne(db, sql: "SELECT 1 FROM outbox WHERE broadcast_id = ? LIMIT 1", arguments: [broadcastId]) ?? false
            let settled = try Bool.fetchOne(db, sql: "SELECT 1 FROM broadcast_outcomes WHERE broadcast_id = ? LIMIT 1", arguments: [broadcastId]) ?? false
            guard !written, !settled else { return 0 }
            let statement = try db.makeStatement(sql: """
                INSERT INTO outbox (bot_id, chat_id, method, payload, broadcast_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for row in rows {
                try statement.execute(arguments: [row.botId, row.chatId, method, row.payload, broadcastId, now])
            }
            return rows.count
        }
    }

    /// Outcomes so far and rows still pending.
    public func broadcastProgress(_ broadcastId: Int64) async throws -> BroadcastProgress {
        try await writer.read { db in
            var progress = BroadcastProgress()
            for row in try Row.fetchAll(db, sql: "SELECT outcome, count(*) AS n FROM broadcast_outcomes WHERE broadcast_id = ? GROUP BY outcome", arguments: [broadcastId]) {
                let count: Int = row["n"]
                switch BroadcastOutcome(rawValue: row["outcome"]) {
                case .delivered: progress.delivered = count
                case .blocked: progress.blocked = count
                case .failed, nil: progress.failed += count
                }
            }
            progress.pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE broadcast_id = ? AND status = 'pending'", arguments: [broadcastId]) ?? 0
            return progress
        }
    }

    /// The recipients' outcomes of a broadcast, by chat id (tests and diagnostics).
    public func broadcastOutcomes(_ broadcastId: Int64) async throws -> [Int64: BroadcastOutcome] {
        try await writer.read { db in
            var result: [Int64: BroadcastOutcome] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT chat_id, outcome FROM broadcast_outcomes WHERE broadcast_id = ?", arguments: [broadcastId]) {
                result[row["chat_id"]] = BroadcastOutcome(rawValue: row["outcome"]) ?? .failed
            }
            return result
        }
    }
}
