import CourseModel
import Foundation
import Localization
import Manifests
import Testing

@testable import CourseFlows

/// The manager bot's authoring conversation as a pure function: inputs in, dialog state,
/// replies and validated courses out.
@Suite("Course editor")
struct CourseEditorTests {
    static let catalog = try! LocaleCatalog(directory: Fixture.root.appendingPathComponent("Locales"))
    static let editor = CourseEditor(catalog: catalog) { course in CourseManifest.validate(course: course).first?.message }

    /// Drives the editor like the desk does: state kept, the course replaced by each change.
    struct Creator {
        var state: EditorState?
        var course: AuthoredCourse?
        var last = EditorResult(state: nil)
        var user: Int64 = 42
        var locale = "en"

        mutating func send(_ input: EditorInput, taken: Set<String> = []) {
            last = CourseEditorTests.editor.handle(input, state: state, context: .init(user: user, locale: locale, course: course, takenSlugs: taken))
            state = last.state
            switch last.change {
            case .created(let created)?: course = created
            case .updated(let updated, _, _)?: course = updated
            case nil: break
            }
        }

        mutating func press(_ verb: String, _ detail: String = "x") {
            let hash = course.map { EditorCallback.hash(of: $0.course.slug) } ?? ""
            let argument = EditorCallback.courseBound.contains(verb) ? (detail == "x" ? hash : "\(hash).\(detail)") : detail
            send(.press(verb: verb, argument: argument))
        }

        /// The callback data of the button labelled `label` in the last replies.
        func data(_ label: String) -> String? {
            last.replies.flatMap { $0.buttons.flatMap { $0 } }.first { $0.text == label }?.callbackData
        }

        var html: String { last.replies.map(\.html).joined(separator: "\n") }
    }

    static func newCourse(locale: String = "en") -> Creator {
        var creator = Creator(locale: locale)
        creator.send(.newCourse)
        creator.send(.text("Основы Swift"))
        creator.send(.text("Learn Swift step by step."))
        creator.press("el", "ru")
        creator.press("es")
        creator.press("ef", "2")
        return creator
    }

    @Test("/newcourse asks title, description, language, category and difficulty, then creates a valid course owned by the creator")
    func newCourse() throws {
        var creator = Creator()
        creator.send(.newCourse)
        #expect(creator.html.contains("Send its title"))
        creator.send(.text("Основы Swift"))
        #expect(creator.state?.stage == .courseDescription && creator.data("Skip ⏭") != nil)
        creator.send(.text("Learn Swift step by step."))
        #expect(creator.data("English") == "mc:el:en" && creator.data("Русский") == "mc:el:ru")
        creator.press("el", "ru")
        creator.send(.text("Programming"))
        #expect(creator.last.replies.first?.buttons.first?.map(\.text) == ["1", "2", "3", "4", "5"])
        creator.send(.text("oops"))
        #expect(creator.state?.stage == .courseDifficulty && creator.html.contains("buttons"))
        creator.send(.press(verb: "ef", argument: "4"), taken: ["osnovy-swift"])
        guard case .created(let authored)? = creator.last.change else { Issue.record("no course created"); return }
        #expect(creator.state == nil)
        #expect(authored.course.slug == "osnovy-swift-2")
        #expect(authored.course.language == "ru" && authored.course.category == "programming" && authored.course.difficulty == 4)
        #expect(authored.course.creator == 42 && authored.course.steps.map(\.id) == ["s1"] && authored.nextStep == 2)
        #expect(CourseManifest.validate(course: authored.course).isEmpty)
        #expect(creator.data("➕ Add step") == "mc:eA:\(EditorCallback.hash(of: "osnovy-swift-2"))")
    }

    @Test("a text step is previewed rendered from Markdown before it is saved; a new text replaces the draft")
    func textStep() throws {
        var creator = Self.newCourse()
        creator.press("eA")
        #expect(creator.data("📝 Text") != nil && creator.data("🖼 Media") != nil && creator.data("❓ Quiz") != nil)
        creator.press("et", "text")
        creator.send(.text("Constants"))
        creator.send(.text("Use **let** for `x`"))
        #expect(creator.state?.stage == .textPreview && creator.last.change == nil)
        #expect(creator.html.contains("<b>let</b>") && creator.html.contains("<code>x</code>"))
        creator.send(.text("Use **let**, not var"))
        #expect(creator.html.contains("<b>let</b>, not var"))
        creator.press("ey")
        guard case .updated(let authored, let action, let details)? = creator.last.change else { Issue.record("not saved"); return }
        #expect(action == "step.add" && details == "s2" && creator.state == nil)
        #expect(authored.course.steps.last == Step(id: "s2", title: "Constants", content: .text("Use **let**, not var")))
        #expect(creator.html.contains("Step 2 added: Constants"))
    }

    @Test("a quiz is built question by question: single choice, multiple choice by toggles, free text")
    func quiz() throws {
        var creator = Self.newCourse()
        creator.press("et", "quiz")
        creator.send(.text("Check"))
        creator.send(.text("Which keyword declares a constant?"))
        creator.send(.text("let\nvar"))
        #expect(creator.state?.stage == .quizCorrect)
        creator.press("eK")
        #expect(creator.last.alert && creator.state?.stage == .quizCorrect)
        creator.press("ek", "0")
        #expect(creator.data("✅ let") != nil && creator.data("▫️ var") != nil && creator.last.replies.first?.replacesPressedMessage == true)
        creator.press("eK")
        creator.send(.text("`let` is constant"))
        creator.press("eQ")
        creator.send(.text("Which are collections?"))
        creator.send(.text("Array\nInt\nSet"))
        creator.press("ek", "2")
        creator.press("ek", "0")
        creator.press("ek", "1")
        creator.press("ek", "1")
        creator.press("eK")
        creator.press("es")
        creator.press("eQ")
        creator.send(.text("Type the keyword for a variable"))
        creator.press("eq")
        creator.send(.text("var\n VAR "))
        creator.press("es")
        #expect(creator.html.contains("Question 3 added"))
        creator.press("eF")
        guard case .quiz(let quiz)? = creator.course?.course.steps.last?.content else { Issue.record("no quiz"); return }
        #expect(quiz.questions.map(\.kind) == [
            .singleChoice(options: ["let", "var"], correct: 0),
            .multipleChoice(options: ["Array", "Int", "Set"], correct: [0, 2]),
            .freeText(answers: ["var", "VAR"]),
        ])
        #expect(quiz.questions[0].explanation == "`let` is constant" && quiz.questions[1].explanation == nil)
        #expect(creator.course?.course.steps.last?.title == "Check" && creator.state == nil)
    }

    @Test("an assignment takes its accepted kinds by toggles and a review mode; media steps come from a stored file")
    func assignmentAndMedia() throws {
        var creator = Self.newCourse()
        creator.press("et", "assignment")
        creator.send(.text("Playground"))
        creator.send(.text("Send a screenshot."))
        #expect(creator.data("✅ text") != nil && creator.data("▫️ photo") != nil)
        creator.press("ea", "photo")
        creator.press("ea", "text")
        creator.press("ea", "document")
        creator.press("eo")
        creator.press("er", "creator")
        #expect(creator.course?.course.steps.last?.content == .assignment(Assignment(text: "Send a screenshot.", accept: [.photo, .document], review: .creator)))

        creator.send(.media(.photo, path: "media/x.jpg", caption: "Look"))
        #expect(creator.last.change == nil && creator.last.replies.isEmpty)
        creator.press("et", "media")
        creator.send(.text("not a file"))
        #expect(creator.state?.stage == .media)
        creator.send(.media(.photo, path: "media/s3.jpg", caption: "Look"))
        #expect(creator.course?.course.steps.last == Step(id: "s3", content: .media(MediaStep(kind: .photo, source: .file("media/s3.jpg"), caption: "Look"))))
    }

    @Test("reorder and delete keep step ids; a deleted id is never given again; deleting the last step is refused by validation")
    func reorderAndDelete() throws {
        var creator = Self.newCourse()
        for title in ["Two", "Three"] {
            creator.press("et", "text")
            creator.send(.text(title))
            creator.send(.text("Body of \(title)"))
            creator.press("ey")
        }
        #expect(creator.course?.course.steps.map(\.id) == ["s1", "s2", "s3"])
        creator.press("eu", "s3")
        #expect(creator.course?.course.steps.map(\.id) == ["s1", "s3", "s2"])
        guard case .updated(_, "step.move", _)? = creator.last.change else { Issue.record("not moved"); return }
        #expect(creator.data("⬆️ 1") == nil && creator.data("⬇️ 3") == nil && creator.data("🗑 3") != nil)
        creator.press("ed", "s1")
        #expect(creator.course?.course.steps.map(\.id) == ["s3", "s1", "s2"])
        creator.press("ex", "s2")
        #expect(creator.last.change == nil && creator.state?.stage == .deleteConfirm && creator.html.contains("Delete step 3"))
        creator.press("eX")
        #expect(creator.course?.course.steps.map(\.id) == ["s3", "s1"])
        creator.press("et", "text")
        creator.send(.text("Four"))
        creator.send(.text("Body"))
        creator.press("ey")
        #expect(creator.course?.course.steps.map(\.id) == ["s3", "s1", "s4"])
        // Editing a title and a text keeps the id.
        creator.press("eT", "s1")
        creator.send(.text("Hello"))
        creator.press("eB", "s1")
        creator.send(.text("New _text_"))
        #expect(creator.html.contains("<i>text</i>"))
        creator.press("ey")
        #expect(creator.course?.course.step("s1") == Step(id: "s1", title: "Hello", content: .text("New _text_")))

        for id in ["s3", "s4"] {
            creator.press("ex", id)
            creator.press("eX")
        }
        let before = creator.course
        creator.press("ex", "s1")
        creator.press("eX")
        #expect(creator.last.change == nil && creator.html.contains("Not saved: steps must not be empty"))
        #expect(creator.course == before)
    }

    @Test("price models: paid asks an amount, freemium may skip it, subscription is 30 days, free clears it")
    func price() throws {
        var creator = Self.newCourse()
        creator.press("eP")
        #expect(creator.html.contains("Now: Free"))
        creator.press("em", "paid")
        creator.send(.text("zero"))
        #expect(creator.state?.stage == .priceAmount && creator.html.contains("whole number"))
        creator.send(.text("250"))
        #expect(creator.course?.course.price == .paid(amount: 250) && creator.state == nil)
        creator.press("em", "freemium")
        creator.press("es")
        #expect(creator.course?.course.price == .freemium(unlockAll: nil))
        creator.press("em", "subscription")
        creator.send(.text("99"))
        #expect(creator.course?.course.price == .subscription(amount: 99, periodDays: 30))
        creator.press("em", "free")
        #expect(creator.course?.course.price == .free)
    }

    @Test("cancel ends a dialog; a dialog button without a dialog is stale; callback data stays within 64 bytes")
    func cancelAndLimits() throws {
        var creator = Self.newCourse()
        creator.press("et", "text")
        creator.send(.cancel)
        #expect(creator.state == nil && creator.html.contains("Cancelled"))
        creator.press("ey")
        #expect(creator.last.toast?.contains("finished dialog") == true && creator.last.change == nil)
        let id = String(repeating: "a", count: 32)
        let data = EditorCallback.encode("ee", "\(EditorCallback.hash(of: "x")).\(id)")
        #expect(data.utf8.count <= 64)
        #expect(CourseEditor.slug(for: "Swift: the Basics!", taken: []) == "swift-the-basics")
        #expect(CourseEditor.slug(for: "!!!", taken: ["course"]) == "course-2")
        #expect(AuthoredCourse(course: Course(slug: "a", title: "A", steps: [Step(id: "s7", content: .text("x"))])).nextStep == 8)
    }
}
