import Foundation
import GRDB
import GongbuTesting
import Storage
import Testing

/// A student's whole way through the example course, through the real runtime and the emulator:
/// what they see in the chat, and what the course database records.
@Suite("Course journey through the runtime")
struct CourseJourneyTests {
    @Test("a student takes Swift Basics from /start to completion; /progress says 10/10; the database agrees")
    func wholeCourse() async throws {
        try await CourseJourneyHarness.with(token: "4101:TEST-journey-whole") { harness in
            let running = try await harness.start()
            let ada = harness.bot.user(id: 9101, firstName: "Ada")

            let welcome = try await ada.send("/start", expecting: "Swift Basics")
            #expect(welcome.body.contains("10 steps"))
            #expect(welcome.buttonLabels == ["Start"])

            let first = try await ada.press("Start", expecting: "Step 1/10 · Welcome")
            #expect(first.media == nil)
            #expect(first.buttonLabels == ["Next ▶️", "📋 Contents"])

            let walk: [(header: String, media: ChatMessage.Media?)] = [
                ("Step 2/10 · Meet Swift", .photo),
                ("Step 3/10 · Constants and variables", nil),
                ("Step 4/10 · A quick warm-up", .video),
                ("Step 5/10 · Types and functions", nil),
                ("Step 6/10 · Cheat sheet", .document),
                ("Step 7/10 · Halfway there", .audio),
            ]
            for (header, media) in walk {
                let step = try await ada.press("Next ▶️", expecting: header)
                #expect(step.media == media, "\(header)")
                #expect(step.buttonLabels == ["◀️ Back", "Next ▶️", "📋 Contents"], "\(header)")
            }

            // The quiz: a first pass with two wrong answers fails, the second passes.
            let card = try await ada.press("Next ▶️", expecting: "Step 8/10 · Check yourself")
            #expect(card.body.contains("4 questions · 70% to pass"))
            try await failFirstPass(ada)
            try await ada.press("Retry", expecting: "Question 1 of 4")
            try await passQuiz(ada)

            // The assignment, reviewed automatically.
            let assignment = try await ada.press("Next ▶️", expecting: "Step 9/10 · Your first program")
            #expect(assignment.body.contains("Accepted: text, document"))
            try await ada.send("func double(_ x: Int) -> Int { x * 2 }\nprint(double(21))", expecting: "Your work is accepted")

            let last = try await ada.press("Next ▶️", expecting: "Step 10/10 · What next?")
            #expect(!last.buttonLabels.contains("Next ▶️"))
            let completion = try await ada.waitForMessage(containing: "Congratulations!", timeout: patience)
            #expect(completion.body.contains("You have finished «Swift Basics» — 10/10 steps done."), "\(completion.body)")
            #expect(completion.body.contains("Your average quiz score: 100%."), "\(completion.body)")

            let progress = try await ada.send("/progress", expecting: "Your progress")
            #expect(progress.body.contains("▰▰▰▰▰▰▰▰▰▰ 10/10 steps done"), "\(progress.body)")
            #expect(progress.body.contains("Course completed 🎉"))
            #expect(ada.messages.filter { $0.body.contains("Congratulations!") }.count == 1, "completion is said once")

            let store = try harness.courseStore()
            let scores = try await store.read { db in
                try Row.fetchAll(db, sql: "SELECT step_id, score FROM progress WHERE user_id = ?", arguments: [9101])
                    .map { row -> (String, Int?) in (row["step_id"], row["score"]) }
            }
            #expect(scores.count == 10)
            #expect(Set(scores.map(\.0)).count == 10)
            #expect(scores.first { $0.0 == "basics-quiz" }?.1 == 4)
            let completedAt = try await store.read { db in
                try Double.fetchOne(db, sql: "SELECT completed_at FROM enrollments WHERE user_id = ?", arguments: [9101])
            }
            #expect(completedAt != nil)
            #expect(try await store.studentCount() == 1)

            try await running.stop()
            let pending = try await store.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'pending'") ?? -1
            }
            #expect(pending == 0)
        }
    }

    /// Pass 1: Q1 wrong, Q2 wrong (Number is not a type), the poll right, the free text right: 50%.
    func failFirstPass(_ ada: ScriptedUser) async throws {
        _ = try await ada.waitForMessage(containing: "Question 1 of 4", timeout: patience)
        let wrong = try await ada.press("var", waitingForAnswer: patience)
        #expect(wrong.text == "❌ Wrong.")
        _ = try await ada.waitForMessage(containing: "Question 2 of 4", timeout: patience)
        _ = try await ada.press("☐ Number", waitingForAnswer: patience)
        _ = try await ada.waitForMessage(timeout: patience) { $0.buttonLabels.contains("☑ Number") }
        let submitted = try await ada.press("Submit", waitingForAnswer: patience)
        #expect(submitted.text == "❌ Wrong.")
        _ = try await ada.waitForMessage(timeout: patience) { $0.media == .poll }
        try ada.answerPoll(optionIds: [0])
        _ = try await ada.waitForMessage(containing: "Question 4 of 4", timeout: patience)
        let result = try await ada.send("  VAR ", expecting: "Your score: 50% (2 of 4)")
        #expect(result.body.contains("Not passed yet: you need 70% to pass."))
        #expect(result.body.contains("2 attempts left"))
        #expect(result.buttonLabels == ["Retry", "📋 Contents"])
    }

    /// Pass 2: every answer right.
    func passQuiz(_ ada: ScriptedUser) async throws {
        let right = try await ada.press("let", waitingForAnswer: patience)
        #expect(right.text == "✅ Correct!")
        _ = try await ada.waitForMessage(containing: "Question 2 of 4", timeout: patience)
        for option in ["☐ Int", "☐ String", "☐ Bool"] {
            _ = try await ada.press(option, waitingForAnswer: patience)
        }
        _ = try await ada.waitForMessage(timeout: patience) { $0.buttonLabels.contains("☑ Bool") }
        let submitted = try await ada.press("Submit", waitingForAnswer: patience)
        #expect(submitted.text == "✅ Correct!")
        _ = try await ada.waitForMessage(timeout: patience) { $0.media == .poll }
        try ada.answerPoll(optionIds: [0])
        _ = try await ada.waitForMessage(containing: "Question 4 of 4", timeout: patience)
        let result = try await ada.send("var", expecting: "Quiz passed!")
        #expect(result.body.contains("Your score: 100% (4 of 4)"))
        #expect(result.buttonLabels == ["Next ▶️", "📋 Contents"])
    }

    @Test("a Russian student sees Russian labels; /language switches an English one; enrollments record the locale")
    func russianStudent() async throws {
        try await CourseJourneyHarness.with(token: "4102:TEST-journey-russian") { harness in
            let running = try await harness.start()
            let masha = harness.bot.user(id: 9102, firstName: "Маша", languageCode: "ru")

            let welcome = try await masha.send("/start", expecting: "Swift Basics")
            #expect(welcome.body.contains("10 шагов"), "\(welcome.body)")
            #expect(welcome.buttonLabels == ["Начать"])
            let first = try await masha.press("Начать", expecting: "Шаг 1/10 · Welcome")
            #expect(first.buttonLabels == ["Дальше ▶️", "📋 Содержание"])
            let second = try await masha.press("Дальше ▶️", expecting: "Шаг 2/10 · Meet Swift")
            #expect(second.media == .photo)
            #expect(second.buttonLabels == ["◀️ Назад", "Дальше ▶️", "📋 Содержание"])
            #expect(!masha.messages.contains { $0.body.contains("Step ") || $0.buttonLabels.contains("Next ▶️") })

            // An English student switches with /language: the next step comes in Russian.
            let hal = harness.bot.user(id: 9103, firstName: "Hal", languageCode: "en-GB")
            try await hal.send("/start", expecting: "Swift Basics")
            try await hal.press("Start", expecting: "Step 1/10 · Welcome")
            let languages = try await hal.send("/language", expecting: "Choose your language:")
            #expect(languages.buttonLabels == ["✓ English", "Русский"])
            try await hal.press("Русский", expecting: "Готово! Теперь я говорю по-русски.")
            try await hal.press("Next ▶️", expecting: "Шаг 2/10 · Meet Swift")

            let locales = try await harness.courseStore().read { db in
                try Row.fetchAll(db, sql: "SELECT user_id, locale FROM enrollments ORDER BY user_id")
                    .map { row -> String in "\(row["user_id"] as Int64)=\(row["locale"] as String? ?? "nil")" }
            }
            #expect(locales == ["9102=ru", "9103=ru"])
            try await running.stop()
        }
    }
}
