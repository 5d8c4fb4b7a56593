import CourseFlows
import CourseModel
import Foundation
import GongbuTesting
import Manifests
import Storage
import Testing

/// Editing steps that exist by chat, end to end through the emulator: a quiz's questions and
/// settings (a student then takes the edited quiz), a freemium step's own price, an
/// assignment's kinds and review, a media step's caption and file; /cancel, a dialog kept over
/// a restart, Russian texts, refused voice messages.
@Suite("Course authoring: editing steps", .timeLimit(.minutes(3)))
struct AuthoringEditTests {
    /// Adds a quiz "Check" with one question: "Which keyword declares a constant?" (let ✅ / var).
    static func addQuiz(_ creator: ScriptedUser, number: Int) async throws {
        try await creator.press("➕ Add step", expecting: "What kind of step")
        try await creator.press("❓ Quiz", expecting: "step's title")
        try await creator.send("Check", expecting: "Question 1")
        try await creator.send("Which keyword declares a constant?", expecting: "options")
        try await creator.send("let\nvar", expecting: "right answer")
        try await creator.press("▫️ let", expecting: "right answer")
        try await creator.press("Done ✔️", expecting: "explanation")
        try await creator.press("Skip ⏭", expecting: "Question 1 added")
        try await creator.press("✅ Finish quiz", expecting: "Step \(number) added: Check")
    }

    /// Connects a new emulated bot to the creator's only course by pasting its token.
    static func connect(_ creator: ScriptedUser, _ harness: ReviewHarness, token: String, username: String) async throws -> EmulatedBot {
        let bot = harness.emulator.addBot(token: token, username: username)
        bot.setRateLimits(nil)
        try await creator.send("/connect", expecting: "paste its token")
        try await creator.send(token, expecting: "now teaches")
        return bot
    }

    @Test("a quiz's question is reworded and made a Telegram quiz poll, a free-text question added, the pass score lowered; a student takes the edited quiz")
    func editQuiz() async throws {
        try await ReviewHarness.with(managerToken: "6141:TEST-edit-manager", courses: []) { harness in
            let cora = harness.reviewer(id: 841, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await AuthoringTests.newCourse(cora, title: "Quiz Edit")
            try await Self.addQuiz(cora, number: 2)

            try await cora.press("✏️ Steps", expecting: "Steps of")
            try await cora.press("✏️ 2", expecting: "What do you want to change")
            try await cora.press("❓ Questions", expecting: "Questions of \"Check\"")
            try await cora.press("✏️ 1", expecting: "Question 1 of \"Check\"")
            try await cora.press("✏️ Question", expecting: "new question")
            try await cora.send("Which keyword makes a constant?", expecting: "Saved")
            try await cora.press("📊 Send as a Telegram quiz poll", expecting: "Sent as a Telegram quiz poll")
            try await cora.press("⬅️ Questions", expecting: "Questions of")
            try await cora.press("➕ Add question", expecting: "Question 2: send the question")
            try await cora.send("Type the keyword for a variable", expecting: "options")
            try await cora.press("✍️ Free-text answer", expecting: "accepted answers")
            try await cora.send("var", expecting: "explanation")
            try await cora.press("Skip ⏭", expecting: "Question 2 added")
            try await cora.press("🎯 Pass score", expecting: "pass score")
            try await cora.send("fifty", expecting: "0 to 100")
            try await cora.send("50", expecting: "Pass score 50%")

            let course = try await AuthoringTests.course(harness, "quiz-edit")
            guard case .quiz(let quiz) = course.steps[1].content else { Issue.record("no quiz"); return }
            #expect(quiz.passScore == 50 && quiz.questions.map(\.text) == ["Which keyword makes a constant?", "Type the keyword for a variable"])
            #expect(quiz.questions[0].native && quiz.questions[1].kind == .freeText(answers: ["var"]))
            let edits = try await harness.platform().auditLog().filter { $0.action == "quiz.edit" && $0.actorId == 841 }
            #expect(edits.count == 4)

            let bot = try await Self.connect(cora, harness, token: "6143:TEST-edit-quiz", username: "quiz_edit_bot")
            let student = bot.user(id: 9641, firstName: "Sam")
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Welcome")
            try student.press("Next ▶️")
            let poll = try await student.waitForMessage { $0.media == .poll }
            #expect(poll.json["poll"]?["question"]?.stringValue == "Which keyword makes a constant?")
            try student.answerPoll(optionIds: [1])
            _ = try await student.waitForMessage(containing: "Question 2 of 2")
            let result = try await student.send("var", expecting: "Quiz passed!")
            #expect(result.body.contains("50% (1 of 2)"))
        }
    }

    @Test("freemium by chat: the unlock-everything amount, a step sold on its own shows Buy to a student; a paid course with a paid step is refused")
    func paidStep() async throws {
        try await ReviewHarness.with(managerToken: "6151:TEST-edit-manager", courses: []) { harness in
            let cora = harness.reviewer(id: 851, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await AuthoringTests.newCourse(cora, title: "Freemium Course")
            try await AuthoringTests.addText(cora, title: "Bonus", text: "Advanced tricks.", number: 2)
            try await cora.press("💰 Price", expecting: "How is")
            try await cora.press("Freemium", expecting: "unlock everything")
            try await cora.send("300", expecting: "Sell this step")
            try await cora.press("✏️ Steps", expecting: "Steps of")
            try await cora.press("✏️ 2", expecting: "What do you want to change")
            try await cora.press("💎 Sell this step", expecting: "price of step 2")
            try await cora.send("0", expecting: "greater than 0")
            try await cora.send("50", expecting: "Saved")
            #expect(cora.messages.last?.buttonLabels.contains("💎 Paid step: 50 ⭐") == true)
            let stored = try await AuthoringTests.course(harness, "freemium-course")
            #expect(stored.price == .freemium(unlockAll: 300) && stored.steps[1].paid && stored.steps[1].price == 50)

            try await cora.press("💰 Price", expecting: "How is")
            try await cora.press("Paid", expecting: "price in Stars")
            try await cora.send("100", expecting: "only a freemium course sells steps on their own")
            try await cora.send("/cancel", expecting: "Cancelled")
            #expect(try await AuthoringTests.course(harness, "freemium-course").price == .freemium(unlockAll: 300))

            // Another creator's forged presses on the new buttons are refused and audited.
            let dan = harness.reviewer(id: 852, name: "Dan")
            let welcome = try await dan.send("/start", expecting: "Gongbu manager")
            let hash = EditorCallback.hash(of: "freemium-course")
            for data in ["mc:eV:\(hash).s2", "mc:eR:\(hash).s2", "mc:eL:\(hash).s2", "mc:eI:\(hash).s2.0.n"] {
                let query = ManagerBotTests.forge(data, from: 852, on: welcome, harness: harness)
                #expect(try await ManagerBotTests.answered(query, containing: "only manage the courses you created", harness: harness))
            }
            #expect(try await harness.platform().auditLog().filter { $0.action == "denied" && $0.actorId == 852 }.count == 4)
            #expect(try await AuthoringTests.course(harness, "freemium-course").steps[1].required)

            let bot = try await Self.connect(cora, harness, token: "6153:TEST-edit-freemium", username: "freemium_edit_bot")
            let student = bot.user(id: 9651, firstName: "Sam")
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Welcome")
            try student.press("Next ▶️")
            let closed = try await student.waitForMessage { $0.buttonLabels.contains("Buy · 50 ⭐") }
            #expect(!closed.body.contains("Advanced tricks."))
        }
    }

    @Test("an assignment's accepted kinds and review mode are changed; a media step's caption and file are replaced; a voice message is refused")
    func assignmentAndMedia() async throws {
        try await ReviewHarness.with(managerToken: "6161:TEST-edit-manager", courses: []) { harness in
            let cora = harness.reviewer(id: 861, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await AuthoringTests.newCourse(cora, title: "Edit Kinds")
            try await cora.press("➕ Add step", expecting: "What kind of step")
            try await cora.press("📮 Assignment", expecting: "step's title")
            try await cora.send("Your turn", expecting: "instructions")
            try await cora.send("Send a screenshot.", expecting: "Which kinds")
            try await cora.press("Done ✔️", expecting: "Who accepts")
            try await cora.press("Accepted at once", expecting: "Step 2 added")

            try await cora.press("✏️ Steps", expecting: "Steps of")
            try await cora.press("✏️ 2", expecting: "Accepts: text")
            try await cora.press("📥 Accepted kinds", expecting: "Which kinds")
            try await cora.press("▫️ photo", expecting: "Which kinds")
            try await cora.press("✅ text", expecting: "Which kinds")
            try await cora.press("Done ✔️", expecting: "Accepts: photo")
            try await cora.press("👀 Review: Accepted at once", expecting: "What do you want to change")
            _ = try await cora.waitForMessage { $0.buttonLabels.contains("👀 Review: I review it") }

            try await cora.press("➕ Add step", expecting: "What kind of step")
            try await cora.press("🖼 Media", expecting: "Send the photo")
            cora.sendPhoto(data: AuthoringTests.photo, caption: "Old caption")
            _ = try await cora.waitForMessage(containing: "Step 3 added")
            try await cora.press("✏️ Steps", expecting: "Steps of")
            try await cora.press("✏️ 3", expecting: "Caption: Old caption")
            try await cora.press("📝 Caption", expecting: "new caption")
            try await cora.send("New caption", expecting: "Step 3 saved")
            try await cora.press("✏️ Steps", expecting: "Steps of")
            try await cora.press("✏️ 3", expecting: "Caption: New caption")
            try await cora.press("🔁 Replace file", expecting: "new photo, video, document or audio")
            cora.sendVoice(data: Data("OggS-voice".utf8))
            _ = try await cora.waitForMessage(containing: "cannot be a step")
            cora.sendDocument(data: Data("%PDF-1.4 notes".utf8), fileName: "notes.pdf", mimeType: "application/pdf")
            _ = try await cora.waitForMessage(containing: "Step 3 saved")

            let course = try await AuthoringTests.course(harness, "edit-kinds")
            #expect(course.steps[1].content == .assignment(Assignment(text: "Send a screenshot.", accept: [.photo], review: .creator)))
            guard case .media(let media) = course.steps[2].content, case .file(let path) = media.source else { Issue.record("no media"); return }
            #expect(media.kind == .document && media.caption == "New caption" && path.hasSuffix(".pdf"))
            #expect(FileManager.default.fileExists(atPath: harness.dataDir + "/courses/edit-kinds/files/" + path))
            #expect(course.steps.map(\.id) == ["s1", "s2", "s3"])
        }
    }

    @Test("/cancel and ✖️ Cancel leave a dialog cleanly; a dialog survives a restart; a Russian creator gets Russian texts")
    func cancelRestartRussian() async throws {
        try await ReviewHarness.with(managerToken: "6171:TEST-edit-manager", courses: []) { harness in
            let vera = harness.manager.user(id: 871, firstName: "Вера", languageCode: "ru")
            try await vera.send("/start", expecting: "Gongbu")
            try await vera.send("/newcourse", expecting: "Новый курс. Пришлите его название.")
            try await vera.send("/cancel", expecting: "Отменено: этот диалог ничего не изменил.")
            let platform = try harness.platform()
            #expect(try await platform.editorSession(userId: 871) == nil)
            // The dialog is over: a text is no answer to it any more.
            vera.send("Основы")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await platform.authoredCourses().isEmpty && vera.messages.allSatisfy { !$0.body.contains("описание") })

            try await vera.send("/newcourse", expecting: "Новый курс")
            try await vera.send("Основы", expecting: "описание")
            try await vera.send("Курс.", expecting: "На каком языке")
            try await vera.press("Русский", expecting: "категорию")
            try await vera.press("Пропустить ⏭", expecting: "Насколько")
            try await vera.press("2", expecting: "создан")
            try await vera.press("➕ Добавить шаг", expecting: "Какой")
            try await vera.press("📝 Текст", expecting: "название шага")
            try await vera.press("✖️ Отмена", expecting: "Отменено")
            #expect(try await platform.editorSession(userId: 871) == nil)

            try await vera.press("✏️ Шаги", expecting: "Шаги")
            try await vera.press("✏️ 1", expecting: "Что изменить")
            try await vera.press("✏️ Название", expecting: "новое название")
            #expect(try await platform.editorSession(userId: 871) != nil)
            try await harness.restart()
            try await vera.send("Привет", expecting: "Шаг 1 сохранён: Привет.")
            #expect(try await AuthoringTests.course(harness, "osnovy").steps.map(\.title) == ["Привет"])
            #expect(try await harness.platform().editorSession(userId: 871) == nil)

            try await vera.press("✏️ Шаги", expecting: "Шаги")
            try await vera.press("➕ Добавить шаг", expecting: "Какой")
            try await vera.press("🖼 Медиа", expecting: "Пришлите")
            vera.sendVoice(data: Data("OggS-voice".utf8))
            _ = try await vera.waitForMessage(containing: "не могут быть шагом")
        }
    }
}
