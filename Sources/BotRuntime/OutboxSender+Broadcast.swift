import Storage

extension OutboxSender {
    /// Ends a row for good: delivered rows are deleted, others kept as failed; a broadcast's
    /// row also records its outcome (delivered / blocked by the user / failed) for the creator's count.
    func settle(_ row: OutboxRow, _ outcome: BroadcastOutcome, error: String?) async throws {
        if let broadcastId = row.broadcastId {
            try await chats.settleBroadcastRow(id: row.id, broadcastId: broadcastId, chatId: row.chatId, outcome: outcome, error: error, now: now())
        } else if outcome == .delivered {
            try await chats.delivered(row.id)
        } else {
            try await chats.failed(row.id, error: error ?? "")
        }
    }
}
