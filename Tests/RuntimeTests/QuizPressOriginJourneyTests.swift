import CourseFlows
import Foundation
import GongbuTesting
import Testing

/// A quiz answer pressed on a message that is not the question (question 1's answer data on the
/// student's photo-step message, as a stale or forged press would carry it) is refused: no
/// "✅ Correct!", no edit of the photo message (Telegram refuses editMessageText there), and the
/// question still takes its real answer afterwards.
@Suite("Course journey: a quiz answer counts only on its question")
struct QuizPressOriginJourneyTests {
    @Test("question 1's answer data pressed on the photo step's message is refused and edits nothing")
    func answerOnThePhotoMessage() async throws {
        try await CourseJourneyHarness.with(token: "4231:TEST-journey-quiz-origin") { harness in
            let running = try await harness.start()
            let di = harness.bot.user(id: 9231, firstName: "Di")
            try await di.send("/start", expecting: "Swift Basics")
            try await di.press("Start", expecting: "Step 1/10")
            let photo = try await di.press("Next ▶️", expecting: "Step 2/10 · Meet Swift")
            #expect(photo.media == .photo)
            for header in ["Step 3/10", "Step 4/10", "Step 5/10", "Step 6/10", "Step 7/10", "Step 8/10 · Check yourself"] {
                try await di.press("Next ▶️", expecting: header)
            }
            _ = try await di.waitForMessage(containing: "Question 1 of 4", timeout: patience)
            let photoNow = try #require(di.messages.first { $0.messageId == photo.messageId })

            let answer = CallbackData.answer(StepReference(index: 7, stepId: "basics-quiz"), pass: 1, question: 0, option: 0).encoded
            #expect(answer.hasPrefix("v1|a|7|") && answer.hasSuffix("|1|0|0"))
            let before = di.messages.count
            let query = harness.forgeCallback(answer, from: di, on: photoNow)
            let reply = try #require(try await harness.answer(toQuery: query))
            #expect(reply.parameters["text"]?.stringValue == "You have already answered this question.")
            #expect(harness.bot.calls(method: "editMessageText").isEmpty)
            #expect(harness.bot.calls(method: "editMessageCaption").isEmpty)

            // The real question still takes its answer, edited in place on its own message.
            let progress = try await di.send("/progress", expecting: "Your progress")
            #expect(di.messages.count == before + 1, "only /progress was answered: \(di.messages.suffix(3).map(\.body))")
            #expect(progress.body.contains("7/10 steps done"), "\(progress.body)")
            let pressed = try di.press("let")
            let verdict = try await di.waitForCallbackAnswer(pressed, timeout: patience)
            #expect(verdict.text == "✅ Correct!")
            _ = try await di.waitForMessage(containing: "Question 2 of 4", timeout: patience)
            let edits = harness.bot.calls(method: "editMessageText")
            #expect(edits.count == 1)
            #expect(edits.first?.parameters["message_id"]?.intValue == Int64(pressed.messageId))
            let allSucceeded = edits.allSatisfy { $0.succeeded }
            #expect(allSucceeded)

            try await running.stop()
        }
    }
}
