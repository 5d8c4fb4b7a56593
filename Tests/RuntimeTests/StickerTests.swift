import CourseModel
import Foundation
import GongbuTesting
import Storage
import Testing

/// Stickers through the real runtime and the emulator: a sticker never becomes a submission or
/// a step, and whoever sends one is told what the bot wants instead of being met with silence.
@Suite("Stickers", .timeLimit(.minutes(3)))
struct StickerTests {
    @Test("a student's sticker to an assignment is answered with the accepted kinds and nothing is stored; outside an assignment it gets the usual answer")
    func studentSticker() async throws {
        try await CourseJourneyHarness.with(token: "4191:TEST-sticker-student") { harness in
            // The assignment (accept: [text, document], review: auto) comes first.
            try harness.editSteps { blocks in
                blocks.filter { $0.id == "first-program" }.map(\.yaml) + blocks.filter { $0.id != "first-program" }.map(\.yaml)
            }
            _ = try await harness.start()
            let sam = harness.bot.user(id: 9191, firstName: "Sam")
            try await sam.send("/start", expecting: "Swift Basics")
            sam.sendSticker()
            _ = try await sam.waitForMessage(containing: "I can't use this message here")

            let step = try await sam.press("Start", expecting: "Your first program")
            #expect(step.body.contains("Accepted: text, document"))
            sam.sendSticker(emoji: "🤔")
            let refused = try await sam.waitForMessage(containing: "not accepted here")
            #expect(refused.body.contains("Accepted: text, document."), "\(refused.body)")

            let store = try harness.courseStore()
            #expect(try await store.submissions().isEmpty)
            #expect(try await store.progress()[9191]?.contains("first-program") != true)
            #expect(harness.bot.calls(method: "getFile").isEmpty, "a sticker is never downloaded")

            // The step still waits for the work: a text now is taken.
            try await sam.send("func double(_ x: Int) -> Int { x * 2 }", expecting: "Your work is accepted")
            #expect(try await eventually { try await store.submissions().map(\.kind) == ["text"] })
        }
    }

    @Test("a creator's sticker where the editor wants media gets \"cannot be a step\" (new step and Replace file); outside a dialog the manager bot answers with its help")
    func creatorSticker() async throws {
        try await ReviewHarness.with(managerToken: "6191:TEST-sticker-manager", courses: []) { harness in
            let cora = harness.reviewer(id: 891, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await AuthoringTests.newCourse(cora, title: "Sticker Proof")
            try await cora.press("➕ Add step", expecting: "What kind of step")
            try await cora.press("🖼 Media", expecting: "Send the photo")
            cora.sendSticker()
            _ = try await cora.waitForMessage(containing: "cannot be a step")
            #expect(try await AuthoringTests.course(harness, "sticker-proof").steps.count == 1)

            // The dialog is still open: a photo now is the step.
            cora.sendPhoto(data: AuthoringTests.photo, caption: "Real media")
            _ = try await cora.waitForMessage(containing: "Step 2 added")
            try await cora.press("✏️ Steps", expecting: "Steps of")
            try await cora.press("✏️ 2", expecting: "Caption: Real media")
            try await cora.press("🔁 Replace file", expecting: "new photo, video, document or audio")
            cora.sendSticker(emoji: "🎉")
            _ = try await cora.waitForMessage(containing: "cannot be a step")
            try await cora.send("/cancel", expecting: "Cancelled")

            let course = try await AuthoringTests.course(harness, "sticker-proof")
            guard case .media(let media) = course.steps[1].content else { Issue.record("no media step"); return }
            #expect(media.kind == .photo && media.caption == "Real media")
            #expect(harness.manager.calls(method: "getFile").count == 1, "only the photo was downloaded")

            // No dialog: the manager bot says what it does instead of keeping silent.
            cora.sendSticker()
            _ = try await cora.waitForMessage(containing: "/reviews")
        }
    }
}
