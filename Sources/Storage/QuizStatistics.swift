import GRDB

/// How a course's quizzes go, per quiz step and per question: attempts and the share answered
/// right, plus finished passes. Read from `quiz_answers` and `quiz_passes` for the manager
/// bot's statistics and exports.
public struct QuizStatistics: Sendable, Equatable {
    public struct QuestionStats: Sendable, Equatable {
        /// The question's position in the quiz, from 0.
        public var question: Int
        public var attempts: Int
        public var correct: Int
        /// `correct / attempts`, 0 when never answered.
        public var shareCorrect: Double { attempts == 0 ? 0 : Double(correct) / Double(attempts) }
    }

    public struct StepStats: Sendable, Equatable {
        public var stepId: String
        public var questions: [QuestionStats]
        /// Finished passes, and how many of them reached the pass score.
        public var passes: Int
        public var passed: Int
        /// Students who finished at least one pass.
        public var students: Int
    }

    public var steps: [StepStats]

    public func step(_ stepId: String) -> StepStats? {
        steps.first { $0.stepId == stepId }
    }

    static func load(_ db: Database) throws -> QuizStatistics {
        var byStep: [String: StepStats] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT step_id, question, count(*) AS attempts, sum(correct) AS correct
            FROM quiz_answers GROUP BY step_id, question ORDER BY step_id, question
            """) {
            let stepId: String = row["step_id"]
            byStep[stepId, default: StepStats(stepId: stepId, questions: [], passes: 0, passed: 0, students: 0)]
                .questions.append(QuestionStats(question: row["question"], attempts: row["attempts"], correct: row["correct"]))
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT step_id, count(*) AS passes, sum(passed) AS passed, count(DISTINCT user_id) AS students
            FROM quiz_passes GROUP BY step_id
            """) {
            let stepId: String = row["step_id"]
            var stats = byStep[stepId] ?? StepStats(stepId: stepId, questions: [], passes: 0, passed: 0, students: 0)
            stats.passes = row["passes"]
            stats.passed = row["passed"]
            stats.students = row["students"]
            byStep[stepId] = stats
        }
        return QuizStatistics(steps: byStep.values.sorted { $0.stepId < $1.stepId })
    }
}

extension CourseStore {
    /// Per quiz step and question: attempts and share correct.
    public func quizStatistics() async throws -> QuizStatistics {
        try await queue.read(QuizStatistics.load)
    }

    /// One student's answers to a quiz, in order: (pass, question, correct).
    public func quizAnswers(userId: Int64, stepId: String) async throws -> [(pass: Int, question: Int, correct: Bool)] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT pass, question, correct FROM quiz_answers WHERE user_id = ? AND step_id = ? ORDER BY pass, question", arguments: [userId, stepId])
                .map { ($0["pass"], $0["question"], $0["correct"]) }
        }
    }

    /// One student's finished passes of a quiz, in order: (pass, score, passed).
    public func quizPasses(userId: Int64, stepId: String) async throws -> [(pass: Int, score: Int, passed: Bool)] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT pass, score, passed FROM quiz_passes WHERE user_id = ? AND step_id = ? ORDER BY pass", arguments: [userId, stepId])
                .map { ($0["pass"], $0["score"], $0["passed"]) }
        }
    }
}
