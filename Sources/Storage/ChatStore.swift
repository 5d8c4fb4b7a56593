import Foundation
import GRDB

/// One bot's durable chat data: states, processed update ids, outbox, media cache.
///
/// A worker commits each batch through `commit(_:)` in one transaction, and its sender drains
/// the outbox through the other methods. Lives in a course database or the platform database.
public struct ChatStore: Sendable {
    enum Source: Sendable {
        case open(any DatabaseWriter)
        case lazy(LazyDatabase)
    }

    let source: Source
    public let path: String

    init(writer: any DatabaseWriter, path: String) {
        self.source = .open(writer)
        self.path = path
    }

    init(database: LazyDatabase) {
        self.source = .lazy(database)
        self.path = database.path
    }

    var writer: any DatabaseWriter {
        get throws {
            switch source {
            case .open(let writer): writer
            case .lazy(let database): try database.queue()
            }
        }
    }

    /// False while a lazily opened database is closed: nothing was written since it was closed.
    public var isOpen: Bool {
        switch source {
        case .open: true
        case .lazy(let database): database.isOpen
        }
    }

    /// Of these update ids, the ones already committed (a redelivery after a crash).
    public func processedIds(botId: Int64, among ids: [Int64]) async throws -> Set<Int64> {
        guard let low = ids.min(), let high = ids.max() else { return [] }
        return try await writer.read { db in
            Set(try Int64.fetchAll(db.cachedStatement(sql: "SELECT update_id FROM processed_updates WHERE bot_id = ? AND update_id BETWEEN ? AND ?"), arguments: [botId, low, high]))
        }
    }

    /// The stored states of these chats.
    public func states(botId: Int64, chatIds: some Collection<Int64>) async throws -> [Int64: Data] {
        guard !chatIds.isEmpty else { return [:] }
        let ids = Array(chatIds)
        return try await writer.read { db in
            var result: [Int64: Data] = [:]
            let placeholders = databaseQuestionMarks(count: ids.count)
            let rows = try Row.fetchCursor(db, sql: "SELECT chat_id, state FROM chat_states WHERE bot_id = ? AND chat_id IN (\(placeholders))", arguments: StatementArguments([botId] + ids))
            while let row = try rows.next() {
                result[row["chat_id"]] = row["state"]
            }
            return result
        }
    }

    /// Commits one batch: states, processed update ids, outbox rows and progress, atomically.
    /// Update ids already processed are skipped by the UNIQUE key, never applied twice.
    /// Returns the outbox rows written, with their ids, for the bot's sender to take directly.
    @discardableResult
    public func commit(_ batch: BatchCommit, now: Double) async throws -> [OutboxRow] {
        try await writer.write { db in
            try Self.write(batch, now: now, db: db)
        }
    }

    /// Writes a batch inside a transaction already open (the commit, or a review verdict applied
    /// together with its submission row).
    /// Returns the outbox rows written, with their ids (monotonic: the table is AUTOINCREMENT).
    @discardableResult
    static func write(_ batch: BatchCommit, now: Double, db: Database) throws -> [OutboxRow] {
        var written: [OutboxRow] = []
        do {
            for id in batch.processedUpdateIds {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO processed_updates (bot_id, update_id, processed_at) VALUES (?, ?, ?)").execute(arguments: [batch.botId, id, now])
            }
            for state in batch.states {
                try db.cachedStatement(sql: """
                    INSERT INTO chat_states (bot_id, chat_id, user_id, state, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (bot_id, chat_id) DO UPDATE SET state = excluded.state, user_id = excluded.user_id, updated_at = excluded.updated_at
                    """).execute(arguments: [batch.botId, state.chatId, state.userId, state.state, now])
            }
            for row in batch.outbox {
                try db.cachedStatement(sql: """
                    INSERT INTO outbox (bot_id, chat_id, method, payload, media_path, media_field, urgent, update_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [batch.botId, row.chatId, row.method, row.payload, row.mediaPath, row.mediaField, row.urgent, row.updateId, now])
                written.append(OutboxRow(
                    id: db.lastInsertedRowID, botId: batch.botId, chatId: row.chatId, method: row.method, payload: row.payload,
                    mediaPath: row.mediaPath, mediaField: row.mediaField, urgent: row.urgent))
            }
            if !batch.progress.isEmpty || !batch.enrollments.isEmpty {
                try CourseTables.write(progress: batch.progress, enrollments: batch.enrollments, db: db)
            }
            if !batch.quizAnswers.isEmpty || !batch.quizPasses.isEmpty {
                try CourseTables.write(answers: batch.quizAnswers, passes: batch.quizPasses, db: db)
            }
            if !batch.submissions.isEmpty {
                try CourseTables.write(submissions: batch.submissions, db: db)
            }
            if !batch.reviewDecisions.isEmpty {
                try ReviewTables.write(decisions: batch.reviewDecisions, db: db)
            }
            if !batch.payments.isEmpty || !batch.paymentRefunds.isEmpty {
                try PaymentTables.write(payments: batch.payments, refunds: batch.paymentRefunds, now: now, db: db)
                try ReminderTables.write(payments: batch.payments.filter { $0.expiresAt != nil }, db: db)
            }
            if !batch.refundRequests.isEmpty {
                try PaymentTables.write(refundRequests: batch.refundRequests, db: db)
            }
            try JobTables.write(batch.jobs, now: now, db: db)
        }
        return written
    }

    /// Pending rows with an id above `after`, oldest first, except the ids in `known` (rows the
    /// sender already holds): one indexed query for the ids, and only the rows not known are read
    /// and decoded. `highest` is the last id the table ever gave (nil: none yet). The sender
    /// loads everything once at start (`after` 0), then only what other writers added.
    public func pendingOutbox(botId: Int64, after: Int64, excluding known: Set<Int64> = []) async throws -> (rows: [OutboxRow], highest: Int64?) {
        guard isOpen else { return ([], nil) }  // closed only when quiet; any write reopens it
        return try await writer.read { db in
            let columns = "id, bot_id, chat_id, method, payload, media_path, media_field, urgent, not_before, attempts, broadcast_id"
            if known.isEmpty {
                let rows = try OutboxRow.fetchAll(db.cachedStatement(sql: """
                    SELECT \(columns) FROM outbox WHERE bot_id = ? AND status = 'pending' AND id > ? ORDER BY id
                    """), arguments: [botId, after])
                return (rows, try Self.lastOutboxId(db))
            }
            let ids = try Int64.fetchAll(db.cachedStatement(sql: """
                SELECT id FROM outbox WHERE bot_id = ? AND status = 'pending' AND id > ? ORDER BY id
                """), arguments: [botId, after])
            let wanted = ids.filter { !known.contains($0) }
            var rows: [OutboxRow] = []
            var start = 0
            while start < wanted.count {
                let chunk = Array(wanted[start..<min(start + 500, wanted.count)])
                rows += try OutboxRow.fetchAll(db, sql: """
                    SELECT \(columns) FROM outbox WHERE id IN (\(databaseQuestionMarks(count: chunk.count))) ORDER BY id
                    """, arguments: StatementArguments(chunk))
                start += chunk.count
            }
            return (rows, try Self.lastOutboxId(db))
        }
    }

    /// The last outbox id ever given (AUTOINCREMENT: ids are never reused, and a transaction's ids
    /// are all visible once this one is), so every row above it is new.
    static func lastOutboxId(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'"))
    }

    /// Records what Telegram answered for many rows in one transaction: delivered rows deleted,
    /// refused ones marked failed, blocked chats remembered, retries put off; broadcast rows
    /// also leave their outcome for the creator's counts.
    public func settleOutbox(_ settlements: [OutboxSettlement], botId: Int64, now: Double) async throws {
        guard !settlements.isEmpty else { return }
        try await writer.write { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM outbox WHERE id = ?")
            let fail = try db.cachedStatement(sql: "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?")
            let retry = try db.cachedStatement(sql: "UPDATE outbox SET not_before = ?, attempts = attempts + 1, last_error = ? WHERE id = ?")
            var blocked = Set<Int64>()
            for settlement in settlements {
                let outcome: BroadcastOutcome?
                switch settlement.outcome {
                case .delivered:
                    try delete.execute(arguments: [settlement.id])
                    outcome = .delivered
                case .failed(let error):
                    try fail.execute(arguments: [error, settlement.id])
                    outcome = .failed
                case .blocked(let error):
                    try fail.execute(arguments: [error, settlement.id])
                    blocked.insert(settlement.chatId)
                    outcome = .blocked
                case .retry(let notBefore, let error):
                    try retry.execute(arguments: [notBefore, error, settlement.id])
                    outcome = nil
                }
                if let broadcastId = settlement.broadcastId, let outcome {
                    try db.cachedStatement(sql: """
                        INSERT OR REPLACE INTO broadcast_outcomes (broadcast_id, chat_id, outcome, at) VALUES (?, ?, ?, ?)
                        """).execute(arguments: [broadcastId, settlement.chatId, outcome.rawValue, now])
                }
            }
            for chatId in blocked {
                try db.execute(sql: "INSERT OR REPLACE INTO blocked_chats (bot_id, chat_id, blocked_at) VALUES (?, ?, ?)", arguments: [botId, chatId, now])
            }
        }
    }

    /// The number of pending rows.
    public func pendingCount(botId: Int64) async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE bot_id = ? AND status = 'pending'", arguments: [botId]) ?? 0
        }
    }

    /// Rows that failed for good, for diagnostics and tests.
    public func failedCount(botId: Int64) async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE bot_id = ? AND status = 'failed'", arguments: [botId]) ?? 0
        }
    }

    public func isBlocked(botId: Int64, chatId: Int64) async throws -> Bool {
        try await writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM blocked_chats WHERE bot_id = ? AND chat_id = ?", arguments: [botId, chatId]) ?? false
        }
    }

    /// The file_id Telegram gave this bot for a local file with this signature (size+mtime).
    public func cachedFileId(botId: Int64, path: String, signature: String) async throws -> String? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT file_id FROM media_cache WHERE bot_id = ? AND path = ? AND signature = ?", arguments: [botId, path, signature])
        }
    }

    public func cacheFileId(botId: Int64, path: String, signature: String, fileId: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO media_cache (bot_id, path, signature, file_id) VALUES (?, ?, ?, ?)", arguments: [botId, path, signature, fileId])
        }
    }

    /// Whether an update id was committed (tests and diagnostics).
    public func processedCount(botId: Int64) async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM processed_updates WHERE bot_id = ?", arguments: [botId]) ?? 0
        }
    }

    /// Forgets processed update ids far below the newest one (offsets already exclude them).
    public func pruneProcessed(botId: Int64, below updateId: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM processed_updates WHERE bot_id = ? AND update_id < ?", arguments: [botId, updateId])
        }
    }
}
