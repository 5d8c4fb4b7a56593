import Foundation
import GRDB

/// A broadcast previewed in the manager bot and waiting for Send or Cancel: kept in the
/// platform database so that a Send pressed just before a crash is carried out after it.
public struct BroadcastDraftRecord: Sendable, Equatable {
    public var slug: String
    public var creatorId: Int64
    /// The Markdown as typed, and the Telegram HTML students get.
    public var text: String
    public var html: String
    public var locale: String

    public init(slug: String, creatorId: Int64, text: String, html: String, locale: String) {
        self.slug = slug
        self.creatorId = creatorId
        self.text = text
        self.html = html
        self.locale = locale
    }
}

/// The `broadcast_drafts` table (platform database).
enum BroadcastDraftTables {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("platform-broadcast-drafts-v1") { db in
            try db.execute(sql: """
                CREATE TABLE broadcast_drafts (
                    id TEXT PRIMARY KEY,
                    course_slug TEXT NOT NULL,
                    creator_id INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    html TEXT NOT NULL,
                    locale TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                """)
        }
    }
}

extension PlatformStore {
    public func saveBroadcastDraft(id: String, _ draft: BroadcastDraftRecord, now: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO broadcast_drafts (id, course_slug, creator_id, text, html, locale, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, draft.slug, draft.creatorId, draft.text, draft.html, draft.locale, now])
        }
    }

    public func broadcastDraft(id: String) async throws -> BroadcastDraftRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM broadcast_drafts WHERE id = ?", arguments: [id]).map {
                BroadcastDraftRecord(slug: $0["course_slug"], creatorId: $0["creator_id"], text: $0["text"], html: $0["html"], locale: $0["locale"])
            }
        }
    }

    /// Drops a draft (cancelled); true when it was there.
    @discardableResult
    public func dropBroadcastDraft(id: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM broadcast_drafts WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Starts a broadcast from a draft in ONE transaction: the broadcast row, the draft used up
    /// (a second Send finds nothing), and the desk job's step marked applied with the broadcast's
    /// id (a replay after a crash carries on with it instead of starting another).
    public func createBroadcast(
        fromDraft draftId: String, _ draft: BroadcastDraftRecord, total: Int, statusChatId: Int64?, statusMessageId: Int?, actionKey: String?, now: Double
    ) async throws -> Int64 {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO broadcasts (course_slug, creator_id, text, created_at, locale, status_chat_id, status_message_id, total)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [draft.slug, draft.creatorId, draft.text, now, draft.locale, statusChatId, statusMessageId, total])
            let id = db.lastInsertedRowID
            try db.execute(sql: "DELETE FROM broadcast_drafts WHERE id = ?", arguments: [draftId])
            if let actionKey { _ = try JobTables.markApplied(actionKey, value: String(id), now: now, db: db) }
            return id
        }
    }
}
