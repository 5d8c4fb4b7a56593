import Foundation
import GongbuTesting
import Storage
import Testing

/// The manager bot's creator desk end to end through the emulator: connecting a course bot by
/// pasting its token (worker started at once, kept over a restart), refused tokens never echoed,
/// creators kept to their own courses (forged callback data too), publish/unpublish, statistics,
/// creators' accounts by invitation.
@Suite("Manager bot", .timeLimit(.minutes(2)))
struct ManagerBotTests {
    static let yamlA = reviewCourseYAML(slug: "desk-a", title: "Course A", creator: 501)
    static let yamlB = reviewCourseYAML(slug: "desk-b", title: "Course B", creator: 502)

    /// A callback query with data nobody drew, from `user` on `message`; returns its id.
    static func forge(_ data: String, from user: Int64, on message: ChatMessage, harness: ReviewHarness) -> String {
        let queryId = "forged-\(UUID().uuidString)"
        harness.manager.enqueueUpdate(["callback_query": [
            "id": .string(queryId), "chat_instance": "1", "data": .string(data),
            "from": ["id": .int(user), "is_bot": false, "first_name": "Forger", "language_code": "en"],
            "message": message.json,
        ]])
        return queryId
    }

    static func answered(_ queryId: String, containing text: String, harness: ReviewHarness) async throws -> Bool {
        try await eventually {
            harness.manager.calls(method: "answerCallbackQuery").contains {
                $0.parameters["callback_query_id"]?.stringValue == queryId && $0.parameters["text"]?.stringValue?.contains(text) == true
            }
        }
    }

    @Test("a creator connects a second bot by pasting its token; a student uses it at once and after a restart; /disconnect stops it")
    func connect() async throws {
        try await ReviewHarness.with(managerToken: "5101:TEST-desk-manager", courses: [("5102:TEST-desk-course-a", Self.yamlA)]) { harness in
            let fresh = harness.emulator.addBot(token: "5103:TEST-desk-fresh-bot", username: "fresh_course_bot")
            fresh.setRateLimits(nil)
            let cora = harness.reviewer(id: 501, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            let card = try await cora.send("/courses", expecting: "Course A")
            #expect(card.buttonLabels.contains("🤖 Connect bot") && card.buttonLabels.contains("Unpublish"))
            try await cora.press("🤖 Connect bot", expecting: "paste its token")
            try await cora.send("5103:TEST-desk-fresh-bot", expecting: "now teaches")
            // The message holding the token was deleted, and no answer repeats it.
            #expect(harness.manager.calls(method: "deleteMessage").filter(\.succeeded).count == 1)
            #expect(cora.messages.allSatisfy { !$0.body.contains("TEST-desk") })
            #expect(harness.logs.all.allSatisfy { !$0.contains("TEST-desk") })

            let student = fresh.user(id: 9101, firstName: "Sam")
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Intro")
            #expect(try await eventually { try await harness.store("desk-a").progress()[9101]?.contains("intro") == true })
            #expect(try await eventually { fresh.calls(method: "setMyName").contains { $0.parameters["name"]?.stringValue == "Course A" } })
            #expect(!fresh.calls(method: "setMyDescription").isEmpty && !fresh.calls(method: "setMyCommands").isEmpty)
            let platform = try harness.platform()
            #expect(try await platform.connectedBots().map(\.courseSlug) == ["desk-a"])
            #expect(try await platform.auditLog().contains { $0.action == "bot.connect" && $0.actorId == 501 && $0.subject == "desk-a" })

            try await harness.restart()
            let later = fresh.user(id: 9102, firstName: "Lee")
            try await later.send("/start", expecting: "Start")

            try await cora.send("/disconnect", expecting: "Which bot should stop")
            try await cora.press("Disconnect @fresh_course_bot", expecting: "is disconnected")
            #expect(try await platform.connectedBots().isEmpty)
            try await Task.sleep(for: .milliseconds(1500))
            let silent = fresh.user(id: 9103, firstName: "Max")
            silent.send("/start")
            try await Task.sleep(for: .milliseconds(1500))
            #expect(silent.messages.isEmpty)
        }
    }

    @Test("an invalid token, a token already in use and a token pasted twice are refused clearly and never echoed")
    func refusedTokens() async throws {
        try await ReviewHarness.with(managerToken: "5111:TEST-desk-manager", courses: [("5112:TEST-desk-course-a", Self.yamlA)]) { harness in
            let fresh = harness.emulator.addBot(token: "5113:TEST-desk-fresh-bot", username: "fresh_b_bot")
            fresh.setRateLimits(nil)
            let cora = harness.reviewer(id: 501, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            // Pasted before pressing Connect: deleted, and told what to do.
            try await cora.send("5113:TEST-desk-fresh-bot", expecting: "Connect bot\" under a course")
            try await cora.send("/connect", expecting: "paste its token")
            try await cora.send("5199:TEST-desk-unknown-bot", expecting: "did not accept this token")
            try await cora.send("5112:TEST-desk-course-a", expecting: "already in use")
            try await cora.send("5113:TEST-desk-fresh-bot", expecting: "now teaches")
            try await cora.send("/connect", expecting: "paste its token")
            _ = cora.send("5113:TEST-desk-fresh-bot")
            #expect(try await eventually { cora.messages.filter { $0.body.contains("already in use") }.count == 2 })
            #expect(harness.manager.calls(method: "deleteMessage").filter(\.succeeded).count == 5)
            #expect(cora.messages.allSatisfy { !$0.body.contains("TEST-desk") })
            #expect(harness.logs.all.allSatisfy { !$0.contains("TEST-desk") })
            let audit = try await harness.platform().auditLog()
            #expect(audit.filter { $0.action == "bot.connect_refused" }.count == 3)
            #expect(audit.allSatisfy { !($0.details ?? "").contains("TEST-desk") })
            #expect(try await harness.platform().connectedBots().count == 1)
        }
    }

    @Test("a creator sees only their courses; forged buttons for another's course are refused and audited")
    func creatorsApart() async throws {
        try await ReviewHarness.with(
            managerToken: "5121:TEST-desk-manager", admins: [700],
            courses: [("5122:TEST-desk-course-a", Self.yamlA), ("5123:TEST-desk-course-b", Self.yamlB)]
        ) { harness in
            let cora = harness.reviewer(id: 501, name: "Cora")
            let dan = harness.reviewer(id: 502, name: "Dan")
            let ada = harness.reviewer(id: 700, name: "Ada")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await dan.send("/start", expecting: "Gongbu manager")
            try await ada.send("/start", expecting: "Gongbu manager")
            let coraCard = try await cora.send("/courses", expecting: "Course A")
            let danCard = try await dan.send("/courses", expecting: "Course B")
            _ = try await ada.send("/courses", expecting: "Course A")
            _ = try await ada.waitForMessage(containing: "Course B")
            try await Task.sleep(for: .milliseconds(300))
            #expect(cora.messages.allSatisfy { !$0.body.contains("Course B") })
            #expect(dan.messages.allSatisfy { !$0.body.contains("Course A") })

            // Dan replays Cora's Unpublish and Statistics buttons.
            for label in ["Unpublish", "📊 Statistics", "🤖 Connect bot"] {
                let data = try #require(coraCard.buttons.flatMap { $0 }.first { $0.text == label }?.callbackData)
                let query = Self.forge(data, from: 502, on: danCard, harness: harness)
                #expect(try await Self.answered(query, containing: "only manage the courses you created", harness: harness))
            }
            // Garbage and an approval only an admin may give.
            let garbage = Self.forge("mc:pub:zzzzzzzz", from: 502, on: danCard, harness: harness)
            #expect(try await Self.answered(garbage, containing: "no longer valid", harness: harness))
            let approval = Self.forge("mc:ca:502", from: 502, on: danCard, harness: harness)
            #expect(try await Self.answered(approval, containing: "only manage", harness: harness))
            #expect(try await harness.platform().publishFlags().isEmpty)
            #expect(!dan.messages.contains { $0.body.contains("Students:") })
            let denied = try await harness.platform().auditLog().filter { $0.action == "denied" && $0.actorId == 502 }
            #expect(denied.count == 4)
            // A user who is not a creator sees no course at all.
            let eve = harness.reviewer(id: 503, name: "Eve")
            try await eve.send("/start", expecting: "Gongbu manager")
            try await eve.send("/courses", expecting: "no courses yet")
        }
    }

    @Test("unpublish shows students the coming-soon card; publish brings the course back")
    func publish() async throws {
        try await ReviewHarness.with(managerToken: "5131:TEST-desk-manager", courses: [("5132:TEST-desk-course-a", Self.yamlA)]) { harness in
            let cora = harness.reviewer(id: 501, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await cora.send("/courses", expecting: "Published: students can take it")
            try await cora.press("Unpublish", expecting: "is unpublished")
            let student = harness.student("desk-a", id: 9131)
            try await student.send("/start", expecting: "not published yet")
            #expect(try await harness.platform().publishFlags() == ["desk-a": false])
            try await cora.send("/courses", expecting: "Unpublished")
            try await cora.press("Publish", expecting: "is published")
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Intro")
            let actions = try await harness.platform().auditLog().map(\.action)
            #expect(actions.contains("course.unpublish") && actions.contains("course.publish"))
            // Kept over a restart.
            try await cora.press("Unpublish", expecting: "is unpublished")
            try await harness.restart()
            let other = harness.student("desk-a", id: 9132)
            try await other.send("/start", expecting: "not published yet")
        }
    }

    @Test("the statistics message states what the databases hold")
    func statistics() async throws {
        try await ReviewHarness.with(managerToken: "5141:TEST-desk-manager", courses: [("5142:TEST-desk-course-a", Self.yamlA)]) { harness in
            for id: Int64 in [9141, 9142, 9143] {
                let student = harness.student("desk-a", id: id)
                try await student.send("/start", expecting: "Start")
                if id != 9143 { try await ReviewTests.reachAssignment(harness.student("desk-a", id: id)) }
            }
            let first = harness.student("desk-a", id: 9141)
            try await first.send("My essay", expecting: "awaits review")
            let store = try harness.store("desk-a")
            #expect(try await eventually { try await store.pendingSubmissions().count == 1 })
            let activity = try await store.activity(since: 0)
            let cora = harness.reviewer(id: 501, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            // The review notice (also naming Course A) may come first: wait for the card itself.
            try await cora.send("/courses", expecting: "Published: students can take it.")
            let stats = try await cora.press("📊 Statistics", expecting: "Students:")
            #expect(stats.body.contains("Students: \(activity.students)"))
            #expect(stats.body.contains("Active in 7 days: 3"))
            #expect(stats.body.contains("Assignments pending: 1"))
            #expect(stats.body.contains("Revenue: none"))
            #expect(stats.body.contains("1. Intro: \(activity.doneByStep["intro"] ?? 0)"))
            #expect(stats.body.contains("2. Essay: 0") && stats.body.contains("3. After: 0"))
            #expect(activity.doneByStep["intro"] == 2)
        }
    }

    @Test("/cancel answers: nothing to cancel, or the broadcast being written is dropped and the next text is not sent")
    func cancel() async throws {
        try await ReviewHarness.with(managerToken: "5161:TEST-desk-manager", courses: [("5162:TEST-desk-course-a", Self.yamlA)]) { harness in
            let cora = harness.reviewer(id: 501, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await cora.send("/cancel", expecting: "There is nothing to cancel.")
            try await cora.send("/broadcast", expecting: "Send the message")
            try await cora.send("/cancel", expecting: "Broadcast cancelled.")
            try await cora.send("/cancel", expecting: "There is nothing to cancel.")
            #expect(!cora.messages.contains { $0.body.contains("will get") }, "no broadcast preview")
        }
    }

    @Test("invite: a new creator waits for an admin's Approve; admins are creators at once")
    func invite() async throws {
        try await ReviewHarness.with(
            managerToken: "5151:TEST-desk-manager", admins: [700], creators: .invite, courses: [("5152:TEST-desk-course-a", Self.yamlA)]
        ) { harness in
            let ada = harness.reviewer(id: 700, name: "Ada")
            try await ada.send("/start", expecting: "Gongbu manager")
            let nia = harness.reviewer(id: 610, name: "Nia")
            try await nia.send("/start", expecting: "sent to the admins")
            try await nia.send("/courses", expecting: "You will be told")
            let request = try await ada.waitForMessage(containing: "New creator request")
            #expect(request.body.contains("Nia") && request.body.contains("610"))
            try await ada.press("✅ Approve", expecting: "Creator 610 approved")
            _ = try await nia.waitForMessage(containing: "You are now a creator")
            try await nia.send("/courses", expecting: "no courses yet")
            let platform = try harness.platform()
            #expect(try await platform.creator(userId: 610)?.status == .active)
            #expect(try await platform.creator(userId: 610)?.decidedBy == 700)
            let actions = try await platform.auditLog().map(\.action)
            #expect(actions.contains("creator.request") && actions.contains("creator.approve"))
        }
    }
}
