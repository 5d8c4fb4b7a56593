import CourseModel
import Testing

/// The pure rules of CourseModel: unlocking, quiz scoring, answer checking.
@Suite struct CourseRulesTests {
    static func text(_ id: String, required: Bool = true) -> Step {
        Step(id: id, content: .text(id), required: required)
    }

    static let course = Course(slug: "c", title: "C", steps: [
        text("a"), text("b", required: false), text("c"), text("d"),
    ])

    @Test func firstStepIsAlwaysOpen() {
        #expect(UnlockRules.isUnlocked(0, in: Self.course, progress: Progress()))
        #expect(!UnlockRules.isUnlocked(1, in: Self.course, progress: Progress()))
        #expect(UnlockRules.nextStepIndex(in: Self.course, progress: Progress()) == 0)
    }

    @Test func optionalStepsDoNotBlock() {
        let progress = Progress(done: ["a"])
        #expect(UnlockRules.isUnlocked(1, in: Self.course, progress: progress))
        #expect(UnlockRules.isUnlocked(2, in: Self.course, progress: progress))
        #expect(!UnlockRules.isUnlocked(3, in: Self.course, progress: progress))
        #expect(UnlockRules.nextStepIndex(in: Self.course, progress: progress) == 1)
    }

    @Test func outOfRangeIsLocked() {
        let all = Progress(done: ["a", "b", "c", "d"])
        #expect(!UnlockRules.isUnlocked(-1, in: Self.course, progress: all))
        #expect(!UnlockRules.isUnlocked(4, in: Self.course, progress: all))
        #expect(UnlockRules.nextStepIndex(in: Self.course, progress: all) == nil)
        #expect(all.isComplete(Self.course))
    }

    @Test func progressSurvivesRemovedSteps() {
        let progress = Progress(done: ["a", "gone", "c"])
        #expect(progress.doneCount(in: Self.course) == 2)
        #expect(!progress.isComplete(Self.course))
    }

    static func quiz(questions count: Int, passScore: Int) -> Quiz {
        Quiz(questions: Array(repeating: Question(text: "q", kind: .freeText(answers: ["a"])), count: count), passScore: passScore)
    }

    @Test(arguments: [(69, false), (70, true), (71, true)])
    func passScoreBoundaryWithAHundredQuestions(correct: Int, passes: Bool) {
        #expect(Self.quiz(questions: 100, passScore: 70).passes(correctCount: correct) == passes)
    }

    @Test func passScoreRoundsAgainstTheStudentWithFewQuestions() {
        let quiz = Self.quiz(questions: 3, passScore: 70)
        #expect(!quiz.passes(correctCount: 2))  // 66.7 %
        #expect(quiz.passes(correctCount: 3))
        #expect(Self.quiz(questions: 4, passScore: 100).passes(correctCount: 4))
        #expect(!Self.quiz(questions: 4, passScore: 100).passes(correctCount: 3))
        #expect(Self.quiz(questions: 4, passScore: 0).passes(correctCount: 0))
    }

    @Test func freeTextIsTrimmedAndCaseInsensitive() {
        let question = Question(text: "Keyword?", kind: .freeText(answers: ["var", " Let "]))
        #expect(question.accepts(text: "  VAR\n"))
        #expect(question.accepts(text: "let"))
        #expect(!question.accepts(text: "const"))
        #expect(!question.accepts(text: "va r"))
        #expect(!question.accepts(choices: [0]))
    }

    @Test func choicesMustMatchExactly() {
        let single = Question(text: "?", kind: .singleChoice(options: ["a", "b", "c"], correct: 1))
        #expect(single.accepts(choices: [1]))
        #expect(!single.accepts(choices: [0]))
        #expect(!single.accepts(choices: [0, 1]))
        #expect(!single.accepts(text: "b"))

        let multiple = Question(text: "?", kind: .multipleChoice(options: ["a", "b", "c", "d"], correct: [0, 2, 3]))
        #expect(multiple.accepts(choices: [3, 0, 2]))
        #expect(!multiple.accepts(choices: [0, 2]))
        #expect(!multiple.accepts(choices: [0, 1, 2, 3]))
    }
}
