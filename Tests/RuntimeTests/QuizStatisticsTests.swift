import Foundation
import GongbuTesting
import Storage
import Testing

/// Quizzes end to end with every answer stored: every question kind (single, multiple, free
/// text, native poll), a failed pass then Retry, attempts used up, the pass score boundary, and
/// presses repeated without counting twice.
@Suite("Quiz statistics", .timeLimit(.minutes(2)))
struct QuizStatisticsTests {
    static let mixed = """
        slug: quiz-mixed
        title: Quiz course
        language: en
        steps:
          - id: intro
            type: text
            title: Intro
            text: Hello.
          - id: q
            type: quiz
            title: Mixed quiz
            pass_score: 100
            attempts: 2
            questions:
              - question: Which keyword declares a constant?
                options: [let, var, const]
                correct: 0
                explanation: let is a constant.
              - question: Which are Swift keywords?
                options: [func, def, struct]
                correct: [0, 2]
              - question: Type the keyword for a variable
                answers: [var, "variable"]
              - question: Is Swift compiled?
                options: ["Yes", "No"]
                correct: 0
                native: true
          - id: done
            type: text
            title: Done
            text: The end.

        """

    @Test("every question kind: a failed pass, Retry, a passed pass; answers, passes and statistics stored once")
    func mixedQuiz() async throws {
        try await ReviewHarness.with(managerToken: "4201:TEST-quiz-manager", courses: [("4202:TEST-quiz-course", Self.mixed)]) { harness in
            let student = harness.student("quiz-mixed", id: 9101)
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Intro")
            let first = try await student.press("Next ▶️", expecting: "Which keyword declares a constant?")
            let letData = try #require(first.buttons.flatMap { $0 }.first { $0.text == "let" }?.callbackData)
            // Pass 1: wrong, right, wrong, right → 50 %, below 100 %: Retry.
            try await student.press("var", expecting: "Wrong")
            _ = try await student.waitForMessage(containing: "Which are Swift keywords?")
            // The answered question's button again: refused, counted once.
            let queryId = "again-\(UUID().uuidString)"
            harness.course("quiz-mixed").bot.enqueueUpdate(["callback_query": [
                "id": .string(queryId), "chat_instance": "1", "data": .string(letData),
                "from": ["id": 9101, "is_bot": false, "first_name": "Student", "language_code": "en"], "message": first.json,
            ]])
            #expect(try await eventually {
                student.bot.calls(method: "answerCallbackQuery").contains {
                    $0.parameters["callback_query_id"]?.stringValue == queryId
                        && $0.parameters["text"]?.stringValue?.contains("already answered") == true
                }
            })
            try student.press("☐ func")
            _ = try await student.waitForMessage { $0.buttonLabels.contains("☑ func") }
            try student.press("☐ struct")
            _ = try await student.waitForMessage { $0.buttonLabels.contains("☑ struct") }
            try await student.press("Submit", expecting: "Correct")
            _ = try await student.waitForMessage(containing: "Type the keyword")
            try await student.send("  constant ", expecting: "Wrong")
            #expect(try await eventually { student.bot.calls(method: "sendPoll").count == 1 })
            try await Task.sleep(for: .milliseconds(200))
            try student.answerPoll(optionIds: [0])
            _ = try await student.waitForMessage(containing: "Not passed yet")
            let store = try harness.store("quiz-mixed")
            #expect(try await eventually { try await store.quizPasses(userId: 9101, stepId: "q").count == 1 })
            #expect(try await store.quizAnswers(userId: 9101, stepId: "q").map(\.correct) == [false, true, false, true])

            // Pass 2: all right.
            try await student.press("Retry", expecting: "Which keyword declares a constant?")
            try await student.press("let", expecting: "Correct")
            _ = try await student.waitForMessage(containing: "Which are Swift keywords?")
            try student.press("☐ func")
            _ = try await student.waitForMessage { $0.buttonLabels.contains("☑ func") }
            try student.press("☐ struct")
            _ = try await student.waitForMessage { $0.buttonLabels.contains("☑ struct") }
            try await student.press("Submit", expecting: "Correct")
            _ = try await student.waitForMessage(containing: "Type the keyword")
            try await student.send("VAR", expecting: "Correct")
            #expect(try await eventually { student.bot.calls(method: "sendPoll").count == 2 })
            try await Task.sleep(for: .milliseconds(200))
            try student.answerPoll(optionIds: [0])
            _ = try await student.waitForMessage(containing: "Quiz passed")

            #expect(try await eventually { try await store.quizPasses(userId: 9101, stepId: "q").count == 2 })
            let passes = try await store.quizPasses(userId: 9101, stepId: "q")
            #expect(passes.map(\.score) == [2, 4] && passes.map(\.passed) == [false, true])
            let answers = try await store.quizAnswers(userId: 9101, stepId: "q")
            #expect(answers.count == 8)
            #expect(answers.map(\.pass) == [1, 1, 1, 1, 2, 2, 2, 2])
            let stats = try #require(try await store.quizStatistics().step("q"))
            #expect(stats.questions.map(\.attempts) == [2, 2, 2, 2])
            #expect(stats.questions.map(\.shareCorrect) == [0.5, 1, 0.5, 1])
            #expect(stats.passes == 2 && stats.passed == 1 && stats.students == 1)
            #expect(try await store.progress()[9101]?.contains("q") == true)
        }
    }

    /// A 10-question quiz with this pass score and one attempt.
    static func boundary(slug: String, passScore: Int) -> String {
        let questions = (1...10).map { index in
            """
                  - question: Question number \(index)?
                    options: [right\(index), wrong\(index)]
                    correct: 0
            """
        }.joined(separator: "\n")
        return """
            slug: \(slug)
            title: Boundary \(passScore)
            language: en
            steps:
              - id: quiz
                type: quiz
                title: Boundary
                pass_score: \(passScore)
                attempts: 1
                questions:
            \(questions)
              - id: after
                type: text
                title: After
                text: Next part.

            """
    }

    @Test("pass score boundary: 7 of 10 right passes at 69 % and 70 %, fails at 71 % with no attempt left", arguments: [69, 70, 71])
    func passScoreBoundary(passScore: Int) async throws {
        let slug = "boundary-\(passScore)"
        try await ReviewHarness.with(
            managerToken: "43\(passScore)1:TEST-quiz-manager", courses: [("43\(passScore)2:TEST-quiz-course", Self.boundary(slug: slug, passScore: passScore))]
        ) { harness in
            let student = harness.student(slug, id: 9200 + Int64(passScore))
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Question number 1?")
            for index in 1...10 {
                let label = index <= 7 ? "right\(index)" : "wrong\(index)"
                try student.press(label)
                if index < 10 { _ = try await student.waitForMessage(containing: "Question number \(index + 1)?") }
            }
            let result = try await student.waitForMessage(containing: "70%")
            let store = try harness.store(slug)
            #expect(try await eventually { try await store.quizPasses(userId: 9200 + Int64(passScore), stepId: "quiz").count == 1 })
            let pass = try #require(try await store.quizPasses(userId: 9200 + Int64(passScore), stepId: "quiz").first)
            #expect(pass.score == 7)
            if passScore <= 70 {
                #expect(result.body.contains("Quiz passed") && pass.passed)
                #expect(result.buttonLabels.contains("Next ▶️"))
            } else {
                #expect(result.body.contains("No attempts left") && !pass.passed)
                #expect(!result.buttonLabels.contains("Retry") && !result.buttonLabels.contains("Next ▶️"))
            }
            let stats = try #require(try await store.quizStatistics().step("quiz"))
            #expect(stats.questions.count == 10 && stats.questions.allSatisfy { $0.attempts == 1 })
            #expect(stats.questions.filter { $0.correct == 1 }.count == 7)
        }
    }
}
