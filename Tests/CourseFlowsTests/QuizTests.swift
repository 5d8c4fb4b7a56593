import CourseModel
import SceneEngine
import Testing

@testable import CourseFlows

/// Quiz passes: wrong answers, retry, attempts, optional quizzes, lettered options, free text.
@Suite struct QuizTests {
    static func course(_ quiz: Step) -> Course {
        Course(slug: "q", title: "Q", steps: [quiz, Fixture.text("after", title: "After")])
    }

    static let freeText = Question(text: "Type the keyword for a variable", kind: .freeText(answers: ["var"]))

    @Test func wrongAnswerThenRetryThenPass() {
        var student = StudentDriver(Fixture.scene(Self.course(Fixture.quiz("qz", [Fixture.letQuestion], attempts: 3))))
        student.press(CallbackData.start.encoded)
        #expect(student.allText.contains("3 attempts left"))
        student.press(label: "const", messageId: 9)
        #expect(student.answers.first?.text == "❌ Wrong.")
        guard case .edit(messageId: 9, let verdict) = student.effects[1] else { Issue.record("no edit"); return }
        #expect(verdict.text.contains("❌ Wrong.") && verdict.text.contains("Your answer: const"))
        #expect(student.allText.contains("Your score: 0% (0 of 1)"))
        #expect(student.allText.contains("you need 100% to pass"))
        #expect(student.allText.contains("2 attempts left"))
        #expect(student.labels == ["Retry", "📋 Contents"])
        #expect(!student.state.progress.done.contains("qz"))

        // The old question's buttons are stale now.
        let oldAnswer = CallbackData.answer(StepReference(index: 0, stepId: "qz"), pass: 1, question: 0, option: 0).encoded
        student.press(label: "Retry")
        #expect(student.allText.contains("Question 1 of 1"))
        #expect(student.state.quizPass?.number == 2)
        let before = student.state
        student.press(oldAnswer)
        #expect(student.answers.first?.text == "You have already answered this question.")
        #expect(student.state == before)

        student.press(label: "let")
        #expect(student.allText.contains("Quiz passed!"))
        #expect(student.state.progress.done.contains("qz"))
        #expect(student.state.quizResults["qz"]?.scores == [0, 1])
        #expect(student.labels == ["Next ▶️", "📋 Contents"])
        // No Retry button now: pressing the old one is refused politely.
        student.press(CallbackData.retry(StepReference(index: 0, stepId: "qz")).encoded)
        #expect(student.answers.first?.text == "You have already passed this quiz.")
    }

    @Test func attemptsExhaustedOnOptionalQuizLetsTheStudentGoOn() {
        let quiz = Fixture.quiz("qz", [Fixture.letQuestion], attempts: 2, required: false)
        var student = StudentDriver(Fixture.scene(Self.course(quiz)))
        student.press(CallbackData.start.encoded)
        student.press(label: "var")
        student.press(label: "Retry")
        student.press(label: "var")
        #expect(student.allText.contains("No attempts left."))
        #expect(student.allText.contains("optional"))
        #expect(!student.hasButton("Retry"))
        #expect(student.hasButton("Next"))
        #expect(student.state.progress.done.contains("qz"))
        #expect(student.state.quizResults["qz"] == QuizRecord(scores: [0, 0], questionCount: 1, passed: false))
        student.press(CallbackData.retry(StepReference(index: 0, stepId: "qz")).encoded)
        #expect(student.answers.first?.text == "No attempts left.")
        student.press(label: "Next")
        #expect(student.allText.contains("Step 2/2 · After"))
    }

    @Test func attemptsExhaustedOnRequiredQuizKeepsItLocked() {
        var student = StudentDriver(Fixture.scene(Self.course(Fixture.quiz("qz", [Fixture.letQuestion], attempts: 1))))
        student.press(CallbackData.start.encoded)
        student.press(label: "var")
        #expect(student.allText.contains("No attempts left."))
        #expect(student.labels == ["📋 Contents"])
        #expect(!student.state.progress.done.contains("qz"))
        // Reopening the step shows it without starting a pass.
        student.press(CallbackData.open(StepReference(index: 0, stepId: "qz")).encoded)
        #expect(student.allText.contains("No attempts left."))
        #expect(!student.allText.contains("Question 1"))
        #expect(student.state.quizPass == nil)
        student.press(CallbackData.open(StepReference(index: 1, stepId: "after")).encoded)
        #expect(student.answers.first?.text == "Finish the previous steps first.")
    }

    @Test func passScoreIsAPercentOfQuestions() {
        let questions = [Fixture.letQuestion, Fixture.letQuestion, Fixture.letQuestion, Self.freeText]
        var student = StudentDriver(Fixture.scene(Self.course(Fixture.quiz("qz", questions, passScore: 70))))
        student.press(CallbackData.start.encoded)
        student.press(label: "let")
        student.press(label: "let")
        student.press(label: "var")
        #expect(student.allText.contains("Type your answer"))
        student.text("  Var ")
        #expect(student.allText.contains("Your score: 75% (3 of 4)"))
        #expect(student.allText.contains("Quiz passed!"))
    }

    @Test func freeTextWrongAnswerAndStrayTexts() {
        var student = StudentDriver(Fixture.scene(Self.course(Fixture.quiz("qz", [Self.freeText, Fixture.letQuestion]))))
        student.press(CallbackData.start.encoded)
        student.text("let")
        #expect(student.allText.contains("❌ Wrong."))
        #expect(student.allText.contains("Question 2 of 2"))
        // A text while a choice question waits for a button.
        student.text("let")
        #expect(student.allText.contains("buttons under the question"))
        #expect(student.state.quizPass?.question == 1)
    }

    @Test func longOptionsAreLetteredAndListed() {
        let options = [
            "A constant that can never be reassigned later", "A variable whose value may change at any time",
            "Neither of these two", "Short",
        ]
        let question = Question(text: "What is `let`?", kind: .singleChoice(options: options, correct: 0))
        var student = StudentDriver(Fixture.scene(Self.course(Fixture.quiz("qz", [question]))))
        student.press(CallbackData.start.encoded)
        #expect(student.labels.suffix(4) == ["A", "B", "C", "D"])
        #expect(student.allText.contains("<b>A.</b> A constant that can never be reassigned later"))
        #expect(student.allText.contains("<b>D.</b> Short"))
        student.press(label: "A")
        #expect(student.allText.contains("Your answer: A. A constant"))
        #expect(student.allText.contains("Quiz passed!"))
    }

    @Test func multipleChoiceNeedsASelectionAndChecksTheExactSet() {
        let question = Question(text: "Pick the types", kind: .multipleChoice(options: ["Int", "Number", "Bool"], correct: [0, 2]))
        var student = StudentDriver(Fixture.scene(Self.course(Fixture.quiz("qz", [question]))))
        student.press(CallbackData.start.encoded)
        student.press(label: "Submit")
        #expect(student.answers.first?.text == "Choose at least one option first.")
        #expect(student.effects.count == 1)
        student.press(label: "☐ Int")
        student.press(label: "Submit")
        #expect(student.allText.contains("❌ Wrong.") && student.allText.contains("Your answer: Int"))
        #expect(student.hasButton("Retry"))
    }

    @Test func leavingAndComingBackResumesThePass() {
        let questions = [Fixture.letQuestion, Fixture.letQuestion]
        var student = StudentDriver(Fixture.scene(Self.course(Fixture.quiz("qz", questions))))
        student.press(CallbackData.start.encoded)
        student.press(label: "let")
        student.command("contents")
        student.press(label: "1.")
        #expect(student.allText.contains("Question 2 of 2"))
        #expect(student.state.quizPass?.answers == [true])
    }

    @Test func aQuizShortenedUnderAPassStartsAFreshPass() {
        let long = Self.course(Fixture.quiz("qz", [Fixture.letQuestion, Fixture.letQuestion, Self.freeText]))
        var student = StudentDriver(Fixture.scene(long))
        student.press(CallbackData.start.encoded)
        student.press(label: "let")
        student.press(label: "let")
        #expect(student.state.quizPass?.question == 2)
        student.scene = Fixture.scene(Self.course(Fixture.quiz("qz", [Fixture.letQuestion])))
        student.text("var")
        #expect(student.allText.contains("Use the buttons"))
        student.press(CallbackData.open(StepReference(index: 0, stepId: "qz")).encoded)
        #expect(student.allText.contains("Question 1 of 1"))
        #expect(student.state.quizPass?.question == 0)
    }
}
