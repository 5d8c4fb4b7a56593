import BotRuntime
import Charts
import Foundation
import GongbuTesting
import Storage
import TelegramBotAPI
import TelegramClient
import Testing

/// Broadcasts from the manager bot end to end: 500 students reached through the course bot's
/// outbox within Telegram's flood limits (the emulator's limits on: not one 429), the progress
/// shown, the final count with the students who blocked the bot; forged presses refused; and
/// the statistics chart as a real PNG uploaded with sendPhoto.
@Suite("Broadcast and statistics chart", .timeLimit(.minutes(3)))
struct BroadcastTests {
    static let yamlA = reviewCourseYAML(slug: "cast-a", title: "Course A", creator: 601)
    static let yamlB = reviewCourseYAML(slug: "cast-b", title: "Course B", creator: 602)

    /// Enrolls `ids` in `slug` directly in its database (fast: no 500 conversations), and makes
    /// each one a chat the emulated course bot knows.
    static func enroll(_ ids: [Int64], in slug: String, harness: ReviewHarness) async throws -> [ScriptedUser] {
        let course = harness.course(slug)
        let users = ids.map { course.bot.user(id: $0, firstName: "S\($0)") }
        let rows = ids.map { EnrollmentRow(userId: $0, chatId: $0, locale: "en", enrolledAt: harness.now) }
        try await harness.store(slug).chats.commit(BatchCommit(botId: course.bot.id, enrollments: rows), now: harness.now)
        return users
    }

    @Test("a broadcast to 500 students keeps to the flood limits, shows progress and counts delivered and blocked")
    func fiveHundred() async throws {
        try await ReviewHarness.with(
            managerToken: "5201:TEST-cast-manager", courses: [("5202:TEST-cast-course-a", Self.yamlA)], limits: .telegram
        ) { harness in
            let courseBot = harness.course("cast-a").bot
            courseBot.setRateLimits(.telegram)
            let students = try await Self.enroll((0..<500).map { 710_000 + Int64($0) }, in: "cast-a", harness: harness)
            let blocked = Set(students.enumerated().filter { $0.offset % 71 == 5 }.map(\.element.id))
            for student in students where blocked.contains(student.id) { student.block() }
            #expect(blocked.count == 7)

            let cora = harness.reviewer(id: 601, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            let card = try await cora.send("/courses", expecting: "Course A")
            #expect(card.buttonLabels.contains("📣 Broadcast"))
            try await cora.press("📣 Broadcast", expecting: "Send the message")
            try await cora.send("**Hello** everyone, see [the notes](https://example.com/notes)", expecting: "500 students of \"Course A\" will get")
            let preview = try #require(cora.messages.first { $0.body == "Hello everyone, see the notes" })
            #expect(preview.json["entities"]?.arrayValue?.count == 2)
            let started = Date()
            try await cora.press("Send to 500 students", expecting: "Sending")
            let final = try await cora.waitForMessage(containing: "finished", timeout: .seconds(120))
            let elapsed = Date().timeIntervalSince(started)
            #expect(final.body.contains("493 delivered, 7 blocked the bot, 0 failed (of 500)"))

            // Not one 429 from the emulator, which enforces Telegram's flood limits itself (30 a
            // second per bot, one a second per chat); and paced: 500 messages at ~28 a second take
            // at least ~17 s. (No upper bound on a busiest second: a loaded machine's stall followed
            // by the bucket's burst is still within the server's limits, which is what counts.)
            #expect(courseBot.tooManyRequestsCount == 0)
            let sends = courseBot.calls(method: "sendMessage")
            #expect(elapsed >= 15)
            // Every student got the message exactly once; those who blocked the bot were tried once.
            var byChat: [Int64: Int] = [:]
            for call in sends where call.succeeded { byChat[call.parameters["chat_id"]?.intValue ?? 0, default: 0] += 1 }
            #expect(byChat.count == 493 && byChat.values.allSatisfy { $0 == 1 })
            #expect(sends.filter { !$0.succeeded }.count == 7)
            for student in students where !blocked.contains(student.id) {
                #expect(student.messages.map(\.body) == ["Hello everyone, see the notes"])
            }
            // The status message showed the progress on the way.
            let progress = harness.manager.calls(method: "editMessageText").compactMap { $0.parameters["text"]?.stringValue }
            #expect(progress.contains { text in
                guard let range = text.range(of: #"Sending… (\d+)/500"#, options: .regularExpression) else { return false }
                let done = Int(text[range].dropFirst("Sending… ".count).prefix { $0.isNumber }) ?? 0
                return done > 0 && done < 500
            })
            #expect(progress.last == "📣 Sent 500/500.")

            let platform = try harness.platform()
            let record = try #require(try await platform.broadcasts(courseSlug: "cast-a").first)
            #expect(record.total == 500 && record.delivered == 493 && record.blocked == 7 && record.failed == 0 && record.finishedAt != nil)
            #expect(record.creatorId == 601 && record.text.hasPrefix("**Hello**"))
            let outcomes = try await harness.store("cast-a").chats.broadcastOutcomes(record.id)
            #expect(outcomes.filter { $0.value == .blocked }.map(\.key).sorted() == blocked.sorted())
            let actions = try await platform.auditLog().filter { $0.actorId == 601 }.map(\.action)
            #expect(actions.contains("broadcast.send") && actions.contains("broadcast.finish"))
        }
    }

    @Test("another creator's forged broadcast presses are refused and audited; Cancel sends nothing")
    func forged() async throws {
        try await ReviewHarness.with(
            managerToken: "5211:TEST-cast-manager",
            courses: [("5212:TEST-cast-course-a", Self.yamlA), ("5213:TEST-cast-course-b", Self.yamlB)]
        ) { harness in
            let students = try await Self.enroll([720_001, 720_002, 720_003], in: "cast-a", harness: harness)
            let cora = harness.reviewer(id: 601, name: "Cora")
            let dan = harness.reviewer(id: 602, name: "Dan")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await dan.send("/start", expecting: "Gongbu manager")
            let coraCard = try await cora.send("/courses", expecting: "Course A")
            let danCard = try await dan.send("/courses", expecting: "Course B")

            // Dan replays Cora's Broadcast button.
            let broadcastData = try #require(coraCard.buttons.flatMap { $0 }.first { $0.text == "📣 Broadcast" }?.callbackData)
            let first = ManagerBotTests.forge(broadcastData, from: 602, on: danCard, harness: harness)
            #expect(try await ManagerBotTests.answered(first, containing: "only manage the courses you created", harness: harness))

            // Cora writes a broadcast; Dan forges its Send button.
            try await cora.press("📣 Broadcast", expecting: "Send the message")
            let confirm = try await cora.send("Class moves to Friday.", expecting: "will get")
            let sendData = try #require(confirm.buttons.flatMap { $0 }.first { $0.text == "Send to 3 students" }?.callbackData)
            let second = ManagerBotTests.forge(sendData, from: 602, on: danCard, harness: harness)
            #expect(try await ManagerBotTests.answered(second, containing: "only manage the courses you created", harness: harness))
            try await Task.sleep(for: .milliseconds(500))
            let platform = try harness.platform()
            #expect(try await platform.broadcasts(courseSlug: "cast-a").isEmpty)
            #expect(students.allSatisfy { $0.messages.isEmpty })
            let denied = try await platform.auditLog().filter { $0.action == "denied" && $0.actorId == 602 }
            #expect(denied.count == 2 && denied.allSatisfy { $0.subject == "cast-a" })

            // Cora cancels; her stale Send does nothing. A second draft goes out once.
            try await cora.press("Cancel", expecting: "Broadcast cancelled")
            let stale = ManagerBotTests.forge(sendData, from: 601, on: confirm, harness: harness)
            #expect(try await ManagerBotTests.answered(stale, containing: "no longer valid", harness: harness))
            try await cora.send("/broadcast", expecting: "Send the message")
            try await cora.send("Class moves to _Friday_.", expecting: "will get")
            try await cora.press("Send to 3 students", expecting: "Sending")
            _ = try await cora.waitForMessage(containing: "3 delivered, 0 blocked the bot, 0 failed")
            for student in students {
                #expect(student.messages.map(\.body) == ["Class moves to Friday."])
            }
            #expect(try await platform.broadcasts(courseSlug: "cast-a").count == 1)
        }
    }

    @Test("the Statistics button also sends the funnel as a PNG photo uploaded with sendPhoto")
    func chart() async throws {
        try await ReviewHarness.with(managerToken: "5221:TEST-cast-manager", courses: [("5222:TEST-cast-course-a", Self.yamlA)]) { harness in
            for id: Int64 in [9221, 9222] {
                let student = harness.student("cast-a", id: id)
                try await student.send("/start", expecting: "Start")
                try await student.press("Start", expecting: "Intro")
            }
            let store = try harness.store("cast-a")
            #expect(try await eventually { try await store.activity(since: 0).students == 2 })
            let cora = harness.reviewer(id: 601, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await cora.send("/courses", expecting: "Course A")
            try await cora.press("📊 Statistics", expecting: "Students:")
            let photo = try await cora.waitForMessage { $0.media == .photo }
            #expect(photo.body.contains("Funnel of \"Course A\"") && photo.body.contains("1. Intro") && photo.body.contains("3. After"))
            let call = try #require(harness.manager.calls(method: "sendPhoto").first { $0.succeeded })
            let fileId = try #require(call.result?["photo"]?.arrayValue?.last?["file_id"]?.stringValue)
            let client = harness.clients.client(for: BotToken(harness.managerToken))
            let file = try await client.call(GetFile(fileId: fileId))
            let bytes = [UInt8](try await client.downloadFile(path: try #require(file.filePath)))
            let png = try PNGFile(bytes)
            #expect(png.width == 640)
            // The bars measure what the database holds: all students, then each step's done count.
            let activity = try await store.activity(since: 0)
            let done = ["intro", "essay", "after"].map { activity.doneByStep[$0] ?? 0 }
            let chart = FunnelChart(title: "", students: activity.students, doneBySteps: done)
            #expect(png.height == chart.height)
            let pixels = try png.pixels()
            let barColor = FunnelChart.Color.bar.rawValue
            let lengths = chart.bars.indices.map { index in pixels.row(chart.slot(index).y + 5).filter { $0 == barColor }.count }
            #expect(lengths == [activity.students, done[0], done[1], done[2]].map { chart.length(of: $0) })
            #expect(lengths[0] == chart.maxLength)
        }
    }
}

/// Courses built in chat: no broadcast while no bot runs them, then through the connected bot.
extension BroadcastTests {
    @Test("a course built in chat has no bot to broadcast with until one is connected; then its students get the message")
    func authoredCourse() async throws {
        try await ReviewHarness.with(managerToken: "5231:TEST-cast-manager", courses: []) { harness in
            let cora = harness.reviewer(id: 811, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await AuthoringTests.newCourse(cora, title: "Cast Course")
            try await cora.send("/courses", expecting: "Cast Course")
            try await cora.press("📣 Broadcast", expecting: "has no bot running")

            let fresh = harness.emulator.addBot(token: "5233:TEST-cast-connected", username: "cast_connected_bot")
            fresh.setRateLimits(nil)
            try await cora.send("/courses", expecting: "Cast Course")
            try await cora.press("🤖 Connect bot", expecting: "paste its token")
            try await cora.send("5233:TEST-cast-connected", expecting: "now teaches")
            let student = fresh.user(id: 9701, firstName: "Sam")
            try await student.send("/start", expecting: "Start")
            try student.press("Start")
            let store = try harness.store("cast-course")
            #expect(try await eventually { try await store.studentCount() == 1 })

            try await cora.send("/broadcast", expecting: "Send the message")
            try await cora.send("Office hours *today*.", expecting: "This is what the 1 student of")
            try await cora.press("Send to 1 student", expecting: "Sending")
            _ = try await cora.waitForMessage(containing: "1 delivered, 0 blocked the bot, 0 failed (of 1)")
            #expect(student.lastMessage?.body == "Office hours today.")
            #expect(fresh.calls(method: "sendMessage").filter { $0.parameters["text"]?.stringValue == "Office hours <i>today</i>." }.count == 1)
        }
    }
}
