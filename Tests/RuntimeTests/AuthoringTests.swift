import CourseModel
import Foundation
import GongbuTesting
import Manifests
import Storage
import Testing

/// Building a course by chat in the manager bot, end to end through the emulator: every step
/// type, a bot connected by pasting its token, a student taking it; live edits keep progress;
/// creators kept apart; export as course.yaml.
@Suite("Course authoring", .timeLimit(.minutes(3)))
struct AuthoringTests {
    static let photo = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: UInt8(7), count: 64))

    /// `/newcourse` answered to the end: an English course of difficulty 2 with its welcome step.
    static func newCourse(_ creator: ScriptedUser, title: String) async throws {
        try await creator.send("/newcourse", expecting: "Send its title")
        try await creator.send(title, expecting: "description")
        try await creator.send("All about \(title).", expecting: "Which language")
        try await creator.press("English", expecting: "category")
        try await creator.press("Skip ⏭", expecting: "How hard")
        try await creator.press("2", expecting: "created")
    }

    /// Adds a text step (title, Markdown, preview, Save).
    static func addText(_ creator: ScriptedUser, title: String, text: String, number: Int) async throws {
        try await creator.press("➕ Add step", expecting: "What kind of step")
        try await creator.press("📝 Text", expecting: "step's title")
        try await creator.send(title, expecting: "step's text")
        try await creator.send(text, expecting: "Preview")
        try await creator.press("✅ Save", expecting: "Step \(number) added: \(title)")
    }

    static func course(_ harness: ReviewHarness, _ slug: String) async throws -> Course {
        let source = try #require(try await harness.store(slug).authoredSource())
        return try CourseManifest.parse(yaml: source.yaml, file: "course.yaml")
    }

    @Test("a creator builds a 4-step course with every step type by chat, connects a bot by pasting its token, a student takes it to the end")
    func buildAndTake() async throws {
        try await ReviewHarness.with(managerToken: "6101:TEST-author-manager", courses: []) { harness in
            let cora = harness.reviewer(id: 801, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await Self.newCourse(cora, title: "Swift Basics")
            try await Self.addText(cora, title: "Constants", text: "Use **let** for constants.", number: 2)
            let preview = try #require(cora.messages.last { $0.body.contains("Preview") })
            #expect(preview.body.contains("Use let for constants.") && !preview.body.contains("**"))

            try await cora.press("➕ Add step", expecting: "What kind of step")
            try await cora.press("🖼 Media", expecting: "Send the photo")
            cora.sendPhoto(data: Self.photo, caption: "Look at this")
            _ = try await cora.waitForMessage(containing: "Step 3 added")
            #expect(harness.manager.calls(method: "getFile").contains { $0.succeeded })

            try await cora.press("➕ Add step", expecting: "What kind of step")
            try await cora.press("❓ Quiz", expecting: "step's title")
            try await cora.send("Check", expecting: "Question 1")
            try await cora.send("Which keyword declares a constant?", expecting: "options")
            try await cora.send("let\nvar", expecting: "right answer")
            try await cora.press("▫️ let", expecting: "right answer")
            #expect(cora.messages.contains { $0.buttonLabels.contains("✅ let") })
            try await cora.press("Done ✔️", expecting: "explanation")
            try await cora.send("let declares a constant.", expecting: "Question 1 added")
            try await cora.press("✅ Finish quiz", expecting: "Step 4 added: Check")

            try await cora.press("➕ Add step", expecting: "What kind of step")
            try await cora.press("📮 Assignment", expecting: "step's title")
            try await cora.send("Your turn", expecting: "instructions")
            try await cora.send("Send one sentence about let.", expecting: "Which kinds")
            try await cora.press("Done ✔️", expecting: "Who accepts")
            try await cora.press("Accepted at once", expecting: "Step 5 added: Your turn")

            // The welcome step goes (with confirmation): four steps of every type remain.
            try await cora.press("✏️ Steps", expecting: "Steps of")
            try await cora.press("🗑 1", expecting: "Delete step 1")
            try await cora.press("🗑 Delete", expecting: "deleted")
            let slug = "swift-basics"
            let course = try await Self.course(harness, slug)
            #expect(course.steps.map(\.type) == [.text, .photo, .quiz, .assignment])
            #expect(course.steps.map(\.id) == ["s2", "s3", "s4", "s5"] && course.creator == 801)
            guard case .media(let media) = course.steps[1].content, case .file(let path) = media.source else { Issue.record("no media file"); return }
            #expect(FileManager.default.fileExists(atPath: harness.dataDir + "/courses/\(slug)/files/" + path))
            let platform = try harness.platform()
            #expect(try await platform.authoredCourses().map(\.slug) == [slug])
            let actions = try await platform.auditLog().filter { $0.actorId == 801 }.map(\.action)
            #expect(actions.contains("course.create") && actions.filter { $0 == "step.add" }.count == 4 && actions.contains("step.delete"))

            let fresh = harness.emulator.addBot(token: "6103:TEST-author-course", username: "authored_course_bot")
            fresh.setRateLimits(nil)
            let card = try await cora.send("/courses", expecting: "Swift Basics")
            #expect(card.buttonLabels.contains("✏️ Steps") && card.buttonLabels.contains("💰 Price"))
            try await cora.press("🤖 Connect bot", expecting: "paste its token")
            try await cora.send("6103:TEST-author-course", expecting: "now teaches")

            let student = fresh.user(id: 9601, firstName: "Sam")
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Constants")
            try student.press("Next ▶️")
            let photo = try await student.waitForMessage { $0.media == .photo }
            #expect(photo.body.contains("Look at this"))
            try await student.press("Next ▶️", expecting: "Which keyword declares a constant?")
            try student.press("let")
            _ = try await student.waitForMessage(containing: "Quiz passed!")
            try await student.press("Next ▶️", expecting: "Send one sentence about let.")
            try await student.send("let makes constants.", expecting: "accepted")
            let store = try harness.store(slug)
            #expect(try await eventually { try await store.progress()[9601] == ["s2", "s3", "s4", "s5"] })
            #expect(fresh.calls(method: "sendPhoto").count == 1)
            #expect(harness.logs.all.allSatisfy { !$0.contains("TEST-author") })
        }
    }

    @Test("editing a step's text and reordering while a student is mid-course keeps their progress; they see the new text")
    func liveEdit() async throws {
        try await ReviewHarness.with(managerToken: "6111:TEST-author-manager", courses: []) { harness in
            let cora = harness.reviewer(id: 811, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await Self.newCourse(cora, title: "Live Course")
            try await Self.addText(cora, title: "Alpha", text: "Alpha text.", number: 2)
            try await Self.addText(cora, title: "Beta", text: "Beta text.", number: 3)
            let fresh = harness.emulator.addBot(token: "6113:TEST-author-live", username: "live_course_bot")
            fresh.setRateLimits(nil)
            try await cora.send("/connect", expecting: "paste its token")
            try await cora.send("6113:TEST-author-live", expecting: "now teaches")

            let student = fresh.user(id: 9611, firstName: "Lee")
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Welcome")
            try await student.press("Next ▶️", expecting: "Alpha text.")
            let store = try harness.store("live-course")
            #expect(try await eventually { try await store.progress()[9611] == ["s1", "s2"] })

            try await cora.send("/courses", expecting: "Live Course")
            try await cora.press("✏️ Steps", expecting: "Steps of")
            try await cora.press("✏️ 3", expecting: "What do you want to change")
            try await cora.press("📝 Text", expecting: "new text")
            try await cora.send("Beta, **rewritten**.", expecting: "Preview")
            try await cora.press("✅ Save", expecting: "Step 3 saved")
            try await cora.press("✏️ Steps", expecting: "Steps of")
            try await cora.press("⬆️ 3", expecting: "Steps of")
            #expect(try await Self.course(harness, "live-course").steps.map(\.id) == ["s1", "s3", "s2"])

            // The student, still on Alpha (now step 3), goes back: the moved, edited Beta.
            try await student.press("◀️ Back", expecting: "Beta, rewritten.")
            #expect(student.messages.last?.body.contains("Step 2/3") == true)
            #expect(try await store.progress()[9611]?.isSuperset(of: ["s1", "s2"]) == true)
            let actions = try await harness.platform().auditLog().map(\.action)
            #expect(actions.contains("step.edit") && actions.contains("step.move"))

            // Kept over a restart: the course loads from its database.
            try await harness.restart()
            let later = fresh.user(id: 9612, firstName: "Max")
            try await later.send("/start", expecting: "Start")
            try await later.press("Start", expecting: "Welcome")
            try await later.press("Next ▶️", expecting: "Beta, rewritten.")
        }
    }

    @Test("a creator cannot edit another creator's course by forged buttons; a bots.yaml course is read-only in chat")
    func creatorsApart() async throws {
        try await ReviewHarness.with(
            managerToken: "6121:TEST-author-manager", courses: [("6122:TEST-author-yaml", reviewCourseYAML(slug: "yaml-course", title: "Yaml Course", creator: 822))]
        ) { harness in
            let cora = harness.reviewer(id: 821, name: "Cora")
            let dan = harness.reviewer(id: 822, name: "Dan")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await dan.send("/start", expecting: "Gongbu manager")
            try await Self.newCourse(cora, title: "Cora Course")
            let coraMessage = try #require(cora.messages.last { $0.body.contains("created") })
            let danCard = try await dan.send("/courses", expecting: "Yaml Course")
            #expect(danCard.body.contains("course.yaml on disk") && !danCard.buttonLabels.contains("✏️ Steps"))
            #expect(dan.messages.allSatisfy { !$0.body.contains("Cora Course") })

            let buttons: [ChatMessage.Button] = coraMessage.buttons.flatMap { $0 }
            let addStep: String = try #require(buttons.first { $0.text == "➕ Add step" }?.callbackData)
            let hash = String(addStep.split(separator: ":").last ?? "")
            for data in ["mc:eA:\(hash)", "mc:ee:\(hash).s1", "mc:ex:\(hash).s1", "mc:em:\(hash).paid"] {
                let query = ManagerBotTests.forge(data, from: 822, on: danCard, harness: harness)
                #expect(try await ManagerBotTests.answered(query, containing: "only manage the courses you created", harness: harness))
            }
            let denied = try await harness.platform().auditLog().filter { $0.action == "denied" && $0.actorId == 822 }
            #expect(denied.count == 4 && denied.allSatisfy { $0.subject == "cora-course" })
            #expect(try await Self.course(harness, "cora-course").steps.map(\.id) == ["s1"])
            #expect(try await harness.platform().editorSession(userId: 822) == nil)
        }
    }

    @Test("an authored course exported as course.yaml (+ media) loads back the same through CourseManifest.load")
    func exportRoundTrip() async throws {
        try await ReviewHarness.with(managerToken: "6131:TEST-author-manager", courses: []) { harness in
            let cora = harness.reviewer(id: 831, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await Self.newCourse(cora, title: "Export Me")
            try await cora.press("➕ Add step", expecting: "What kind of step")
            try await cora.press("🖼 Media", expecting: "Send the photo")
            cora.sendPhoto(data: Self.photo, caption: "A picture")
            _ = try await cora.waitForMessage(containing: "Step 2 added")
            try await cora.press("💰 Price", expecting: "How is")
            try await cora.press("Paid", expecting: "price in Stars")
            try await cora.send("150", expecting: "150 ⭐")
            let stored = try await Self.course(harness, "export-me")
            #expect(stored.price == .paid(amount: 150))

            let config = harness.root + "/export-bots.yaml"
            try "data_dir: data\nbots: []\n".write(toFile: config, atomically: true, encoding: .utf8)
            let output = harness.root + "/exported"
            let result = try await GongbuBinary.run(["export", "export-me", "--format", "yaml", "--output", output, "--config", config])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let loaded = try CourseManifest.load(directory: output, displayPath: output)
            #expect(loaded == stored)
            let printed = try await GongbuBinary.run(["export", "export-me", "--format", "yaml", "--config", config])
            #expect(printed.status == 0 && printed.stdout.contains("slug: export-me"))
            #expect(try CourseManifest.parse(yaml: printed.stdout, file: "course.yaml") == stored)
        }
    }
}
