import Foundation
import GRDB

/// Subscription reminders of a course database (`course-v4`): when a payment with a
/// `subscription_expires_at` is stored, the times its student must be checked (3 days and 1 day
/// before the end, and the end) are stored with it, in the same transaction. The scheduler
/// delivers each due row to the student's scene and marks it done in one transaction, so a
/// reminder is neither lost nor repeated across a crash or a restart.
enum ReminderTables {
    /// Seconds before the access end at which the student is checked.
    static let offsets: [Double] = [3 * 86_400, 86_400, 0]

    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("course-v4") { db in
            try db.execute(sql: """
                CREATE TABLE subscription_reminders (
                    user_id INTEGER NOT NULL,
                    chat_id INTEGER NOT NULL,
                    due_at REAL NOT NULL,
                    done_at REAL,
                    PRIMARY KEY (user_id, due_at)
                );
                CREATE INDEX subscription_reminders_due ON subscription_reminders (done_at, due_at);
                """)
        }
    }

    /// The checks of each subscription payment in this batch (already stored ones are kept).
    static func write(payments: [CoursePaymentRow], db: Database) throws {
        for payment in payments {
            guard let end = payment.expiresAt else { continue }
            for offset in offsets {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO subscription_reminders (user_id, chat_id, due_at) VALUES (?, ?, ?)",
                    arguments: [payment.userId, payment.chatId, end - offset])
            }
        }
    }
}

/// A student's subscription check that has come due.
public struct DueReminder: Sendable, Equatable {
    public var userId: Int64
    public var chatId: Int64
    public var dueAt: Double
}

extension CourseStore {
    /// Checks due by `now` and not done, oldest first.
    public func dueReminders(now: Double, limit: Int = 100) async throws -> [DueReminder] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT user_id, chat_id, due_at FROM subscription_reminders
                WHERE done_at IS NULL AND due_at <= ? ORDER BY due_at LIMIT ?
                """, arguments: [now, limit])
                .map { DueReminder(userId: $0["user_id"], chatId: $0["chat_id"], dueAt: $0["due_at"]) }
        }
    }

    /// The earliest check not done yet (nil: none).
    public func nextReminder() async throws -> Double? {
        try await queue.read { db in
            try Double.fetchOne(db, sql: "SELECT MIN(due_at) FROM subscription_reminders WHERE done_at IS NULL")
        }
    }

    /// Delivers one due check in one transaction: `student` gets the stored state and returns
    /// the batch (new state, messages), written together with the check marked done. False when
    /// it was done already (nothing written).
    public func applyReminder(
        _ reminder: DueReminder, botId: Int64, now: Double, student: @Sendable (Data?) -> BatchCommit
    ) async throws -> Bool {
        try await queue.write { db in
            let open = try Bool.fetchOne(db, sql: """
                SELECT done_at IS NULL FROM subscription_reminders WHERE user_id = ? AND due_at = ?
                """, arguments: [reminder.userId, reminder.dueAt]) ?? false
            guard open else { return false }
            let state = try Data.fetchOne(db, sql: "SELECT state FROM chat_states WHERE bot_id = ? AND chat_id = ?", arguments: [botId, reminder.chatId])
            try ChatStore.write(student(state), now: now, db: db)
            try db.execute(
                sql: "UPDATE subscription_reminders SET done_at = ? WHERE user_id = ? AND due_at = ?",
                arguments: [now, reminder.userId, reminder.dueAt])
            return true
        }
    }
}
