import CourseModel
import Localization
import SceneEngine
import Testing

@testable import CourseFlows

/// Back, Contents, locked steps, locales, /language, unpublished courses, stale and forged buttons.
@Suite struct NavigationTests {
    static let course = Course(
        slug: "nav", title: "Navigation <&> course", description: "Three steps.", language: "en",
        steps: [
            Fixture.text("one", title: "First"), Fixture.text("two"),
            Fixture.quiz("three", [Fixture.letQuestion]), Fixture.text("four", title: "Last"),
        ])

    @Test func backAndContents() {
        var student = StudentDriver(Fixture.scene(Self.course))
        student.press(CallbackData.start.encoded)
        student.press(label: "Next")
        #expect(student.allText.contains("Step 2/4 · Reading"))
        student.press(label: "Back")
        #expect(student.allText.contains("Step 1/4 · First"))
        #expect(student.state.currentStepId == "one")
        student.press(label: "Contents")
        #expect(student.answers.count == 1)
        #expect(student.allText.contains("✅ 1. <b>First</b>"))
        #expect(student.allText.contains("✅ 2. Reading"))
        #expect(student.allText.contains("▫️ 3. Quiz three"))
        #expect(student.allText.contains("🔒 4. Last"))
        // A button per unlocked step only.
        #expect(student.labels == ["✅ 1. First", "✅ 2. Reading", "▫️ 3. Quiz three"])
    }

    @Test func lockedStepPressIsRefusedWithoutStateChange() {
        var student = StudentDriver(Fixture.scene(Self.course))
        student.press(CallbackData.start.encoded)
        let before = student.state
        for data in [CallbackData.open(StepReference(index: 3, stepId: "four")), .next(StepReference(index: 2, stepId: "three"))] {
            student.press(data.encoded)
            #expect(student.effects == [.answerCallback(queryId: "q\(student.updateId)", text: "Finish the previous steps first.", alert: false)])
            #expect(student.state == before)
        }
    }

    @Test func russianStudentSeesRussian() {
        var student = StudentDriver(Fixture.scene(Self.course), languageCode: "ru-RU")
        student.command("start")
        #expect(student.allText.contains("4 шага"))
        #expect(student.labels == ["Начать"])
        student.press(label: "Начать")
        #expect(student.allText.contains("Шаг 1/4 · First"))
        #expect(student.labels.contains { $0.contains("Дальше") })
        #expect(student.labels.contains { $0.contains("Содержание") })
        student.press(label: "Дальше")
        #expect(student.allText.contains("Шаг 2/4 · Текст"))
        #expect(student.labels.contains { $0.contains("Назад") })
    }

    @Test func localeFallsBackToCourseLanguageThenEnglish() {
        var ruCourse = Self.course
        ruCourse.language = "ru"
        var student = StudentDriver(Fixture.scene(ruCourse), languageCode: "de")
        student.command("start")
        #expect(student.labels == ["Начать"])
        ruCourse.language = "xx"
        student = StudentDriver(Fixture.scene(ruCourse), languageCode: nil)
        student.command("start")
        #expect(student.labels == ["Start"])
    }

    @Test func languageSwitchChangesFollowingTexts() {
        var student = StudentDriver(Fixture.scene(Self.course), languageCode: "en")
        student.command("language")
        #expect(student.labels.contains("✓ English"))
        #expect(student.labels.contains("Русский"))
        student.press(label: "Русский")
        #expect(student.state.locale == "ru")
        #expect(student.answers.count == 1)
        student.press(CallbackData.start.encoded)
        #expect(student.allText.contains("Шаг 1/4"))
        // A forged unknown language changes nothing.
        let before = student.state
        student.press(CallbackData.language("xx").encoded)
        #expect(student.answers.first?.text == "Эта кнопка больше не действует.")
        #expect(student.state == before)
    }

    @Test func garbageAndForgedCallbacksAreAnsweredOnceAndChangeNothing() {
        var student = StudentDriver(Fixture.scene(Self.course))
        student.press(CallbackData.start.encoded)
        let before = student.state
        let forged = [
            "", "garbage", "v9|s", "v1|o|0|00000000", "v1|b|0|" + StepReference.hash(of: "one"),
            "v1|a|2|\(StepReference.hash(of: "three"))|1|0|0", "v1|t|0|\(StepReference.hash(of: "one"))|1|0|0",
            "v1|m|2|\(StepReference.hash(of: "three"))|7|0", "v1|r|0|\(StepReference.hash(of: "one"))",
            String(repeating: "x", count: 300), "v1|o|99999|ffffffff", "v1|l|../../etc",
        ]
        for data in forged {
            student.press(data)
            #expect(student.answers.count == 1, "\(data)")
            #expect(student.effects.count == 1, "\(data)")
            #expect(student.answers.first?.text?.isEmpty == false, "\(data)")
            #expect(student.state == before, "\(data)")
        }
    }

    @Test func unpublishedCourseSaysComingSoon() {
        var student = StudentDriver(Fixture.scene(Self.course, published: false))
        student.command("start")
        #expect(student.allText.contains("Coming soon"))
        #expect(student.allText.contains("Navigation &lt;&amp;&gt; course"))
        student.text("hi")
        #expect(student.allText.contains("not published yet"))
        student.press(CallbackData.start.encoded)
        #expect(student.effects.count == 1)
        #expect(student.answers.count == 1)
        #expect(student.state == StudentState())
    }

    @Test func commandsHelpProgressAndUnknown() {
        var student = StudentDriver(Fixture.scene(Self.course))
        student.command("help")
        #expect(student.allText.contains("/contents"))
        student.command("progress")
        #expect(student.allText.contains("0/4 steps done"))
        student.command("frobnicate")
        #expect(student.allText.contains("know this command"))
        student.text("hello")
        #expect(student.allText.contains("Use the buttons"))
    }

    @Test func preCheckoutIsDeclinedWhilePaymentsAreOff() {
        var student = StudentDriver(Fixture.scene(Self.course))
        student.event(.preCheckout(PreCheckout(queryId: "pc1", currency: "XTR", totalAmount: 1, payload: "x")))
        guard case .answerPreCheckout(queryId: "pc1", ok: false, let message) = student.effects.first else {
            Issue.record("no answer"); return
        }
        #expect(message?.isEmpty == false)
    }

    @Test func accessHookClosesSteps() {
        let access = StepAccess { _, step, _ in step.id == "two" ? .closed : .open }
        let scene = CourseBotScene(course: Self.course, courseDirectory: "/c", rendering: Fixture.rendering, access: access)
        var student = StudentDriver(scene)
        student.press(CallbackData.start.encoded)
        let before = student.state
        student.press(label: "Next")
        #expect(student.answers.first?.text == "This step is paid. Buy it to continue.")
        #expect(student.state == before)
    }

    @Test func withoutTemplatesMessagesStillReadWell() throws {
        let catalog = try LocaleCatalog(directory: Fixture.root.appendingPathComponent("Locales"))
        let rendering = CourseRendering(catalog: catalog)
        var student = StudentDriver(CourseBotScene(course: Self.course, courseDirectory: "/c", rendering: rendering))
        student.command("start")
        #expect(student.allText.hasPrefix("Navigation &lt;&amp;&gt; course"))
        student.press(label: "Start")
        #expect(student.allText.hasPrefix("Step 1/4 · First\n\nSome text."))
        student.press(label: "Next")
        student.press(label: "Next")
        #expect(student.allText.contains("Question 1 of 1"))
        student.press(label: "let")
        #expect(student.allText.contains("Quiz passed!"))
        student.command("contents")
        #expect(student.allText.contains("✅ 1 First"))
    }
}
