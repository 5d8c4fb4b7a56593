import GRDB

/// One answer a student gave to a quiz question (the web workspace's student page).
public struct StudentQuizAnswer: Sendable, Equatable {
    public var stepId: String
    /// 1 for the first pass of the quiz.
    public var pass: Int
    /// 0-based question number.
    public var question: Int
    public var correct: Bool
    public var answeredAt: Double
}

extension CourseStore {
    /// Every quiz answer of one student, in the order given.
    public func quizAnswers(userId: Int64) async throws -> [StudentQuizAnswer] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT step_id, pass, question, correct, answered_at FROM quiz_answers WHERE user_id = ?
                ORDER BY answered_at, step_id, pass, question
                """, arguments: [userId]).map { row in
                StudentQuizAnswer(stepId: row["step_id"], pass: row["pass"], question: row["question"], correct: row["correct"], answeredAt: row["answered_at"])
            }
        }
    }
}
