import GRDB

extension CourseStore {
    /// Every enrolled student's private chat, with the bot (among `bots`) that last talked with
    /// them (nil: none of these bots; the caller picks the course's main bot).
    public func broadcastAudience(bots: [Int64]) async throws -> [(chatId: Int64, botId: Int64?)] {
        try await queue.read { db in
            let placeholders = bots.isEmpty ? "NULL" : databaseQuestionMarks(count: bots.count)
            let rows = try Row.fetchAll(db, sql: """
                SELECT e.chat_id AS chat_id,
                    (SELECT s.bot_id FROM chat_states s WHERE s.chat_id = e.chat_id AND s.bot_id IN (\(placeholders))
                     ORDER BY s.updated_at DESC LIMIT 1) AS bot_id
                FROM enrollments e ORDER BY e.enrolled_at, e.user_id
                """, arguments: StatementArguments(bots))
            return rows.map { (chatId: $0["chat_id"], botId: $0["bot_id"]) }
        }
    }
}
