import CourseModel
import Foundation
import Manifests
import Testing

@testable import CourseFlows

/// Editing steps that exist, as the pure editor: a quiz's questions and settings, a freemium
/// step's own price, an assignment's kinds and review, a media step's caption and file.
@Suite("Course editor: editing steps")
struct CourseEditorEditTests {
    typealias Creator = CourseEditorTests.Creator

    /// A course whose step s2 is a quiz: "Which keyword declares a constant?" (let ✅ / var)
    /// and a free-text "Type the keyword for a variable" (var).
    static func withQuiz(locale: String = "en") -> Creator {
        var creator = CourseEditorTests.newCourse(locale: locale)
        creator.press("et", "quiz")
        creator.send(.text("Check"))
        creator.send(.text("Which keyword declares a constant?"))
        creator.send(.text("let\nvar"))
        creator.press("ek", "0")
        creator.press("eK")
        creator.press("es")
        creator.press("eQ")
        creator.send(.text("Type the keyword for a variable"))
        creator.press("eq")
        creator.send(.text("var"))
        creator.press("es")
        creator.press("eF")
        return creator
    }

    static func quiz(_ creator: Creator, _ stepId: String = "s2") -> Quiz? {
        guard case .quiz(let quiz)? = creator.course?.course.step(stepId)?.content else { return nil }
        return quiz
    }

    static func valid(_ creator: Creator) -> Bool {
        creator.course.map { CourseManifest.validate(course: $0.course).isEmpty } ?? false
    }

    @Test("a quiz's questions are listed; a question's text, options, right answers and explanation are edited one by one")
    func editQuestion() throws {
        var creator = Self.withQuiz()
        creator.press("ee", "s2")
        #expect(creator.data("❓ Questions") != nil && creator.data("📝 Text") == nil && creator.data("🔒 Required: yes") != nil)
        creator.press("eL", "s2")
        #expect(creator.html.contains("Questions of &quot;Check&quot;") && creator.html.contains("Pass score 100% · attempts: unlimited"))
        #expect(creator.html.contains("1. Which keyword declares a constant? <i>(one answer)</i>") && creator.html.contains("(free text)"))
        #expect(creator.data("✏️ 2") != nil && creator.data("⬆️ 1") == nil && creator.data("⬇️ 1") != nil && creator.data("➕ Add question") != nil)

        creator.press("eE", "s2.0")
        #expect(creator.html.contains("✅ let") && creator.html.contains("▫️ var") && creator.html.contains("Explanation: none"))
        #expect(creator.data("📊 Send as a Telegram quiz poll") != nil && creator.data("✅ Right answers") != nil)
        creator.press("eI", "s2.0.t")
        #expect(creator.state?.stage == .questionText)
        creator.send(.text("Which keyword makes a constant?"))
        guard case .updated(_, "quiz.edit", _)? = creator.last.change else { Issue.record("not saved"); return }
        #expect(Self.quiz(creator)?.questions[0].text == "Which keyword makes a constant?" && creator.state == nil)
        #expect(creator.html.contains("Saved") && creator.html.contains("<b>Which keyword makes a constant?</b>"))

        creator.press("eI", "s2.0.o")
        creator.send(.text("let\nvar\nconst"))
        #expect(creator.state?.stage == .quizCorrect && creator.data("▫️ let") != nil)
        creator.press("ek", "0")
        creator.press("ek", "2")
        creator.press("eK")
        #expect(Self.quiz(creator)?.questions[0].kind == .multipleChoice(options: ["let", "var", "const"], correct: [0, 2]))
        #expect(creator.data("📊 Send as a Telegram quiz poll") == nil, "multiple choice cannot be a native poll")

        creator.press("eI", "s2.0.c")
        #expect(creator.data("✅ let") != nil && creator.data("✅ const") != nil && creator.data("▫️ var") != nil)
        creator.press("ek", "2")
        creator.press("eK")
        #expect(Self.quiz(creator)?.questions[0].kind == .singleChoice(options: ["let", "var", "const"], correct: 0))

        creator.press("eI", "s2.0.x")
        creator.send(.text("`let` is for constants."))
        #expect(Self.quiz(creator)?.questions[0].explanation == "`let` is for constants.")
        creator.press("eI", "s2.0.x")
        creator.press("es")
        #expect(Self.quiz(creator)?.questions[0].explanation == nil)

        creator.press("eE", "s2.1")
        #expect(creator.html.contains("Accepted answers: var") && creator.data("📝 Answers") != nil && creator.data("✅ Right answers") == nil)
        creator.press("eI", "s2.1.o")
        creator.send(.text("var\nvariable"))
        #expect(Self.quiz(creator)?.questions[1].kind == .freeText(answers: ["var", "variable"]))
        #expect(Self.valid(creator) && creator.course?.course.steps.map(\.id) == ["s1", "s2"])
    }

    @Test("native: true is toggled per single-choice question, and refused by the rules of gongbu check over Telegram's poll limits")
    func nativePoll() throws {
        var creator = Self.withQuiz()
        creator.press("eI", "s2.0.n")
        #expect(Self.quiz(creator)?.questions[0].native == true && creator.html.contains("Sent as a Telegram quiz poll"))
        #expect(Self.valid(creator) && CourseManifest.render(course: creator.course!.course).contains("native: true"))

        // Options over Telegram's 100 characters cannot stay a native poll: refused, the dialog stays.
        let before = creator.course
        creator.press("eI", "s2.0.o")
        creator.send(.text("let\n" + String(repeating: "v", count: 101)))
        creator.press("ek", "0")
        creator.press("eK")
        #expect(creator.last.change == nil && creator.html.contains("native: true cannot be sent as a Telegram quiz poll"))
        #expect(creator.course == before && creator.state?.stage == .quizCorrect)
        creator.send(.cancel)

        // A forged toggle on a free-text question is refused by validation.
        creator.press("eI", "s2.1.n")
        #expect(creator.last.change == nil && creator.html.contains("only for single-choice"))
        creator.press("eI", "s2.0.n")
        #expect(Self.quiz(creator)?.questions[0].native == false)
    }

    @Test("questions are added to a quiz, moved, deleted with confirmation; the last one cannot go; pass score and attempts are set")
    func questionsAndSettings() throws {
        var creator = Self.withQuiz()
        creator.press("eN", "s2")
        #expect(creator.html.contains("Question 3: send the question"))
        creator.send(.text("Which is a collection?"))
        creator.send(.text("Int\nArray"))
        creator.press("ek", "1")
        creator.press("eK")
        creator.press("es")
        #expect(creator.html.contains("Question 3 added") && creator.html.contains("3. Which is a collection?") && creator.state == nil)
        #expect(Self.quiz(creator)?.questions.count == 3 && creator.course?.course.steps.count == 2)

        creator.press("eU", "s2.2")
        #expect(Self.quiz(creator)?.questions.map(\.text).last == "Type the keyword for a variable")
        #expect(creator.last.toast == "Moved.")
        creator.press("eZ", "s2.0")
        #expect(creator.state?.stage == .questionDelete && creator.html.contains("Delete question 1") && creator.last.change == nil)
        creator.press("eX")
        #expect(Self.quiz(creator)?.questions.map(\.text) == ["Which is a collection?", "Type the keyword for a variable"])
        #expect(creator.html.contains("Question 1 deleted"))

        creator.press("eC", "s2")
        creator.send(.text("150"))
        #expect(creator.state?.stage == .quizPassScore && creator.html.contains("0 to 100"))
        creator.send(.text("70"))
        creator.press("eJ", "s2")
        creator.send(.text("0"))
        #expect(creator.html.contains("1 or more"))
        creator.send(.text("3"))
        #expect(Self.quiz(creator)?.passScore == 70 && Self.quiz(creator)?.attempts == 3)
        #expect(creator.html.contains("Pass score 70% · attempts: 3"))
        creator.press("eJ", "s2")
        creator.press("es")
        #expect(Self.quiz(creator)?.attempts == nil)

        creator.press("eR", "s2")
        #expect(creator.course?.course.step("s2")?.required == false && creator.data("🔓 Required: no") != nil)
        #expect(creator.last.replies.first?.replacesPressedMessage == true && creator.last.toast == "✅ Saved.")
        #expect(Self.valid(creator))

        creator.press("eZ", "s2.1")
        creator.press("eX")
        creator.press("eZ", "s2.0")
        creator.press("eX")
        #expect(creator.last.change == nil && creator.html.contains("questions must not be empty") && Self.quiz(creator)?.questions.count == 1)
    }

    @Test("freemium: a step is sold on its own for a price; the course's other models refuse paid steps; unlock everything is optional")
    func paidSteps() throws {
        var creator = CourseEditorTests.newCourse()
        creator.press("ee", "s1")
        #expect(creator.data("💎 Sell this step") == nil, "only a freemium course sells steps")
        creator.press("em", "freemium")
        creator.send(.text("300"))
        #expect(creator.course?.course.price == .freemium(unlockAll: 300) && creator.html.contains("Sell this step"))
        creator.press("ee", "s1")
        creator.press("eV", "s1")
        creator.send(.text("0"))
        #expect(creator.state?.stage == .stepPrice && creator.html.contains("greater than 0"))
        creator.send(.text("50"))
        let step = try #require(creator.course?.course.step("s1"))
        #expect(step.paid && step.price == 50 && creator.data("💎 Paid step: 50 ⭐") != nil && Self.valid(creator))
        #expect(CourseManifest.render(course: creator.course!.course).contains("price: 50"))

        creator.press("em", "paid")
        creator.send(.text("100"))
        #expect(creator.last.change == nil && creator.html.contains("only a freemium course sells steps on their own"))
        #expect(creator.course?.course.price == .freemium(unlockAll: 300))
        creator.send(.cancel)

        creator.press("eV", "s1")
        creator.press("eW")
        #expect(creator.course?.course.step("s1")?.paid == false && creator.course?.course.step("s1")?.price == nil)
        creator.press("em", "paid")
        creator.send(.text("100"))
        #expect(creator.course?.course.price == .paid(amount: 100))
    }

    @Test("an assignment's accepted kinds and review mode are edited; a media step's caption and file are replaced; a voice message is refused")
    func assignmentAndMedia() throws {
        var creator = CourseEditorTests.newCourse()
        creator.press("et", "assignment")
        creator.send(.text("Playground"))
        creator.send(.text("Send a screenshot."))
        creator.press("eo")
        creator.press("er", "auto")
        creator.press("ee", "s2")
        #expect(creator.html.contains("Accepts: text") && creator.data("👀 Review: Accepted at once") != nil)
        creator.press("eG", "s2")
        #expect(creator.data("✅ text") != nil)
        creator.press("ea", "text")
        creator.press("eo")
        #expect(creator.last.alert && creator.state?.stage == .assignmentAccept)
        creator.press("ea", "photo")
        creator.press("ea", "document")
        creator.press("eo")
        creator.press("eH", "s2")
        #expect(creator.course?.course.step("s2")?.content == .assignment(Assignment(text: "Send a screenshot.", accept: [.photo, .document], review: .creator)))
        #expect(creator.data("👀 Review: I review it") != nil)
        creator.press("eB", "s2")
        creator.send(.text("Send a screenshot of your playground."))
        guard case .assignment(let assignment)? = creator.course?.course.step("s2")?.content else { Issue.record("no assignment"); return }
        #expect(assignment.text == "Send a screenshot of your playground." && assignment.review == .creator)

        creator.press("et", "media")
        creator.send(.unsupported(kind: "voice"))
        #expect(creator.state?.stage == .media && creator.html.contains("cannot be a step"))
        creator.send(.media(.photo, path: "media/a.jpg", caption: "Old"))
        creator.press("ee", "s3")
        #expect(creator.data("📝 Caption") != nil && creator.data("🔁 Replace file") != nil && creator.html.contains("Caption: Old"))
        creator.press("eB", "s3")
        #expect(creator.html.contains("new caption"))
        creator.send(.text("New caption"))
        creator.press("eM", "s3")
        #expect(creator.state?.stage == .replaceMedia && creator.state?.expectsMedia == true)
        creator.send(.text("hello"))
        creator.send(.unsupported(kind: "sticker"))
        #expect(creator.html.contains("cannot be a step") && creator.last.change == nil)
        creator.send(.media(.video, path: "media/b.mp4", caption: nil))
        #expect(creator.course?.course.step("s3") == Step(id: "s3", content: .media(MediaStep(kind: .video, source: .file("media/b.mp4"), caption: "New caption"))))
        #expect(creator.html.contains("Step 3 saved") && creator.state == nil && Self.valid(creator))
        creator.send(.unsupported(kind: "voice"))
        #expect(creator.last.replies.isEmpty, "no dialog, nothing to say")
    }

    @Test("a creator with language ru gets the editing texts in Russian")
    func russian() throws {
        var creator = Self.withQuiz(locale: "ru")
        creator.press("ee", "s2")
        #expect(creator.html.contains("Что изменить") && creator.data("❓ Вопросы") != nil && creator.data("🔒 Обязательный: да") != nil)
        creator.press("eL", "s2")
        #expect(creator.html.contains("Вопросы «Check»") && creator.html.contains("Проходной балл 100%") && creator.data("➕ Добавить вопрос") != nil)
        creator.press("eC", "s2")
        creator.send(.text("200"))
        #expect(creator.html.contains("от 0 до 100"))
        creator.send(.cancel)
        #expect(creator.html.contains("Отменено: этот диалог ничего не изменил."))
    }
}
