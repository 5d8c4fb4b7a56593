import CourseFlows
import Foundation
import GongbuTesting
import Storage
import Testing

/// Moving around the course through the runtime: Back, Contents, locked steps, and buttons
/// nobody drew (forged callback data) — answered politely, never a jump, never a crash.
@Suite("Course journey: navigation and forged buttons")
struct CourseJourneyNavigationTests {
    @Test("Back and Contents work; a locked step pressed in Contents is refused with a toast and nothing sent")
    func backContentsAndLockedStep() async throws {
        try await CourseJourneyHarness.with(token: "4201:TEST-journey-navigation") { harness in
            let running = try await harness.start()
            let bo = harness.bot.user(id: 9201, firstName: "Bo")

            try await bo.send("/start", expecting: "Swift Basics")
            try await bo.press("Start", expecting: "Step 1/10")
            try await bo.press("Next ▶️", expecting: "Step 2/10")
            try await bo.press("Next ▶️", expecting: "Step 3/10 · Constants and variables")

            let back = try await bo.press("◀️ Back", expecting: "Step 2/10 · Meet Swift")
            #expect(back.media == .photo)
            #expect(back.buttonLabels == ["◀️ Back", "Next ▶️", "📋 Contents"])

            let contents = try await bo.press("📋 Contents", expecting: "Contents")
            #expect(contents.body.contains("✅ 1. Welcome"))
            #expect(contents.body.contains("✅ 3. Constants and variables"))
            #expect(contents.body.contains("▫️ 4. A quick warm-up"))
            #expect(contents.body.contains("🔒 5. Types and functions"))
            #expect(contents.body.contains("🔒 10. What next?"))
            // Only open steps get a button.
            #expect(contents.buttonLabels == ["✅ 1. Welcome", "✅ 2. Meet Swift", "✅ 3. Constants and variables", "▫️ 4. A quick warm-up"])

            let video = try await bo.press("▫️ 4. A quick warm-up", expecting: "Step 4/10 · A quick warm-up")
            #expect(video.media == .video)

            // A button for step 6 on the Contents message (as an older client or a tampered one might send).
            let before = bo.messages.count
            let locked = CallbackData.open(StepReference(index: 5, stepId: "cheat-sheet")).encoded
            let query = harness.forgeCallback(locked, from: bo, on: contents)
            let answer = try #require(try await harness.answer(toQuery: query))
            #expect(answer.parameters["text"]?.stringValue == "Finish the previous steps first.")
            let progress = try await bo.send("/progress", expecting: "Your progress")
            #expect(progress.body.contains("4/10 steps done"), "\(progress.body)")
            #expect(bo.messages.count == before + 1, "only the /progress answer was sent: \(bo.messages.suffix(3))")
            #expect(!bo.messages.contains { $0.body.contains("Step 6/10") })

            try await running.stop()
        }
    }

    @Test("forged callback data is answered politely, changes nothing, and the bot goes on")
    func forgedCallbacks() async throws {
        try await CourseJourneyHarness.with(token: "4202:TEST-journey-forged") { harness in
            let running = try await harness.start()
            let cy = harness.bot.user(id: 9202, firstName: "Cy")
            try await cy.send("/start", expecting: "Swift Basics")
            try await cy.press("Start", expecting: "Step 1/10")
            let second = try await cy.press("Next ▶️", expecting: "Step 2/10")

            let quiz = StepReference(index: 7, stepId: "basics-quiz")
            let forged: [(data: String, toast: String)] = [
                ("garbage", "This button is no longer active."),
                ("", "This button is no longer active."),
                ("v2|s", "This button is no longer active."),
                ("v1|o|3|zzzzzzzz", "This button is no longer active."),
                ("v1|o|3|" + StepReference.hash(of: "no-such-step"), "This button is no longer active."),
                ("v1|o|00003|" + StepReference.hash(of: "warm-up-video"), "This button is no longer active."),
                (String(repeating: "v1|c", count: 20), "This button is no longer active."),
                ("v1|o|é|x", "This button is no longer active."),
                (CallbackData.open(quiz).encoded, "Finish the previous steps first."),
                (CallbackData.next(StepReference(index: 6, stepId: "halfway-chime")).encoded, "Finish the previous steps first."),
                (CallbackData.back(StepReference(index: 9, stepId: "next-steps")).encoded, "Finish the previous steps first."),
                (CallbackData.retry(quiz).encoded, "Finish the previous steps first."),
                (CallbackData.answer(quiz, pass: 1, question: 0, option: 0).encoded, "You have already answered this question."),
                (CallbackData.submit(quiz, pass: 99_999, question: 3).encoded, "You have already answered this question."),
                (CallbackData.language("xx").encoded, "This button is no longer active."),
            ]
            let before = cy.messages.count
            for (data, toast) in forged {
                // On the newest message, and once with no message at all (an inline-mode query).
                let onMessage = harness.forgeCallback(data, from: cy, on: second)
                let inline = harness.forgeCallback(data, from: cy, on: nil)
                for query in [onMessage, inline] {
                    let answer = try #require(try await harness.answer(toQuery: query), "no answer to \(data)")
                    #expect(answer.parameters["text"]?.stringValue == toast, "data \(data)")
                }
            }
            #expect(cy.messages.count == before, "no message for a forged button: \(cy.messages.suffix(3))")

            // Nothing moved: the next step is still step 3, and progress is still 2 of 10.
            try await cy.press("Next ▶️", expecting: "Step 3/10 · Constants and variables")
            let progress = try await cy.send("/progress", expecting: "Your progress")
            #expect(progress.body.contains("3/10 steps done"), "\(progress.body)")
            #expect(try await harness.courseStore().progress()[9202] == ["welcome", "meet-swift", "constants"])
            #expect(harness.bot.calls(method: "answerCallbackQuery").count == forged.count * 2 + 3)

            try await running.stop()
        }
    }
}
