import Foundation
import GongbuTesting
import Storage
import Testing

/// A student's course across restarts of `gongbu run`, and across an edit of course.yaml:
/// buttons drawn before keep working, progress is kept by step id.
@Suite("Course journey: restarts and course edits")
struct CourseJourneyRestartTests {
    @Test("after a restart, a button sent before it still works and nothing is sent twice")
    func restartMidCourse() async throws {
        try await CourseJourneyHarness.with(token: "4301:TEST-journey-restart") { harness in
            var running = try await harness.start()
            let di = harness.bot.user(id: 9301, firstName: "Di")
            try await di.send("/start", expecting: "Swift Basics")
            try await di.press("Start", expecting: "Step 1/10")
            let photo = try await di.press("Next ▶️", expecting: "Step 2/10 · Meet Swift")
            try await running.stop()

            running = try await harness.start()
            let pressed = try di.press("Next ▶️")
            #expect(pressed.messageId == photo.messageId, "the button of the message sent before the restart")
            let third = try await di.waitForMessage(containing: "Step 3/10 · Constants and variables", timeout: patience)
            #expect(third.buttonLabels == ["◀️ Back", "Next ▶️", "📋 Contents"])
            try await di.press("◀️ Back", expecting: "Step 2/10 · Meet Swift")
            let welcome = try await di.send("/start", expecting: "Welcome back!")
            #expect(welcome.buttonLabels == ["Continue"])
            try await di.press("Continue", expecting: "Step 4/10 · A quick warm-up")

            let headers = di.messages.compactMap { $0.body.components(separatedBy: "\n").first }.filter { $0.hasPrefix("Step ") }
            #expect(headers.map { String($0.prefix(9)) } == ["Step 1/10", "Step 2/10", "Step 3/10", "Step 2/10", "Step 4/10"])
            try await running.stop()
        }
    }

    @Test("editing the course keeps progress by step id; a removed step's old button answers politely")
    func courseEditKeepsProgress() async throws {
        try await CourseJourneyHarness.with(token: "4302:TEST-journey-course-edit") { harness in
            var running = try await harness.start()
            let eve = harness.bot.user(id: 9302, firstName: "Eve")
            try await eve.send("/start", expecting: "Swift Basics")
            try await eve.press("Start", expecting: "Step 1/10")
            try await eve.press("Next ▶️", expecting: "Step 2/10")
            let constants = try await eve.press("Next ▶️", expecting: "Step 3/10 · Constants and variables")
            let oldContents = try await eve.press("📋 Contents", expecting: "Contents")
            #expect(oldContents.buttonLabels.last == "▫️ 4. A quick warm-up")
            try await running.stop()

            // Swap Meet Swift (done) with Types and functions (not done), remove the video (not done,
            // but drawn in the old Contents), add a new step after the cheat sheet.
            try harness.editSteps { blocks in
                var ids = blocks.map(\.id).filter { $0 != "warm-up-video" }
                ids.swapAt(ids.firstIndex(of: "meet-swift")!, ids.firstIndex(of: "types-and-functions")!)
                ids.insert("extra-tip", at: ids.firstIndex(of: "cheat-sheet")! + 1)
                let yaml = Dictionary(uniqueKeysWithValues: blocks.map { ($0.id, $0.yaml) })
                return ids.map { id in
                    yaml[id] ?? """
                          - id: extra-tip
                            type: text
                            title: An extra tip
                            text: Read compiler errors from the top.
                        """
                }
            }
            running = try await harness.start()

            // The removed step's button, pressed on the Contents drawn before the edit.
            let stale = try await eve.press("▫️ 4. A quick warm-up", waitingForAnswer: patience)
            #expect(stale.text == "This button is no longer active.")

            let progress = try await eve.send("/progress", expecting: "Your progress")
            #expect(progress.body.contains("▰▰▰▱▱▱▱▱▱▱ 3/10 steps done"), "\(progress.body)")
            let contents = try await eve.send("/contents", expecting: "Contents")
            for line in [
                "✅ 1. Welcome", "▫️ 2. Types and functions", "✅ 3. Constants and variables", "✅ 4. Meet Swift",
                "🔒 5. Cheat sheet", "🔒 6. An extra tip", "🔒 7. Halfway there", "🔒 10. What next?",
            ] {
                #expect(contents.body.contains(line), "\(line) in \(contents.body)")
            }
            #expect(!contents.body.contains("A quick warm-up"))
            // Steps behind the moved-up step are done but locked again until it is done (the unlock rule).
            #expect(contents.buttonLabels == ["✅ 1. Welcome", "▫️ 2. Types and functions"])

            // Next on the message drawn before the edit follows its step by id: Meet Swift, now locked.
            let before = eve.messages.count
            let pressed = try eve.press("Next ▶️")
            #expect(pressed.messageId == constants.messageId)
            let locked = try await eve.waitForCallbackAnswer(pressed, timeout: patience)
            #expect(locked.text == "Finish the previous steps first.")

            // Continue goes to the first step not done: the one moved up; then everything done is open again.
            try await eve.send("/start", expecting: "Welcome back!")
            let moved = try await eve.press("Continue", expecting: "Step 2/10 · Types and functions")
            #expect(moved.body.contains("4/10 steps done"), "\(moved.body)")
            #expect(eve.messages.count == before + 2, "nothing sent for the locked Next: \(eve.messages.suffix(3))")
            let next = try await eve.press("Next ▶️", expecting: "Step 3/10 · Constants and variables")
            #expect(next.buttonLabels == ["◀️ Back", "Next ▶️", "📋 Contents"])
            try await eve.press("Next ▶️", expecting: "Step 4/10 · Meet Swift")
            let reopened = try await eve.press("Next ▶️", expecting: "Step 5/10 · Cheat sheet")
            #expect(reopened.media == .document)
            #expect(try await harness.courseStore().progress()[9302] == ["welcome", "meet-swift", "constants", "types-and-functions", "cheat-sheet"])

            try await running.stop()
        }
    }
}
