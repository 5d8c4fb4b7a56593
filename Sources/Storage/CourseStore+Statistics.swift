import GRDB

/// A course's numbers for the manager bot's statistics: students, who was active lately, and
/// how many students have done each step (the completion funnel).
public struct CourseActivity: Sendable, Equatable {
    public var students: Int
    /// Students whose chat changed since the given time.
    public var activeSince: Int
    /// Students who have done each step, by step id.
    public var doneByStep: [String: Int]
    public var completed: Int
}

extension CourseStore {
    /// Students, active since `since` (their chat state changed), per-step done counts, completions.
    public func activity(since: Double) async throws -> CourseActivity {
        try await queue.read { db in
            let students = try Int.fetchOne(db, sql: "SELECT count(*) FROM enrollments") ?? 0
            let active = try Int.fetchOne(db, sql: "SELECT count(DISTINCT user_id) FROM chat_states WHERE updated_at >= ?", arguments: [since]) ?? 0
            let completed = try Int.fetchOne(db, sql: "SELECT count(*) FROM enrollments WHERE completed_at IS NOT NULL") ?? 0
            var done: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT step_id, count(DISTINCT user_id) AS n FROM progress GROUP BY step_id") {
                done[row["step_id"]] = row["n"]
            }
            return CourseActivity(students: students, activeSince: active, doneByStep: done, completed: completed)
        }
    }
}
