import Foundation
import GongbuTesting
import Storage
import Testing

/// Assignments reviewed by a creator in the manager bot, end to end through the emulator:
/// notification after /start, Approve (Skip), Reject with a comment and a resubmission, files
/// re-sent by the manager bot, refused uploads, two creators kept apart, presses counted once.
@Suite("Reviews", .timeLimit(.minutes(2)))
struct ReviewTests {
    static let yamlA = reviewCourseYAML(slug: "reviews-a", title: "Course A", creator: 501)
    static let yamlB = reviewCourseYAML(slug: "reviews-b", title: "Course B", creator: 502)

    /// Opens the course and walks to the assignment step.
    static func reachAssignment(_ student: ScriptedUser) async throws {
        try await student.send("/start", expecting: "Start")
        try await student.press("Start", expecting: "Intro")
        try await student.press("Next ▶️", expecting: "Send your essay")
    }

    @Test("approved: the reviewer gets it after /start, Approve + Skip; the student is told and the next step opens")
    func approve() async throws {
        try await ReviewHarness.with(managerToken: "4101:TEST-review-manager", courses: [("4102:TEST-review-course-a", Self.yamlA)]) { harness in
            let student = harness.student("reviews-a", id: 9001, name: "Ann")
            try await Self.reachAssignment(student)
            try await student.send("My essay about let and var", expecting: "awaits review")
            let store = try harness.store("reviews-a")
            #expect(try await eventually { try await store.pendingSubmissions().count == 1 })
            // The creator has not written to the manager bot yet: nothing can be sent to them.
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await store.submissions().first?.notifiedAt == nil)
            #expect(harness.manager.calls(method: "sendMessage").isEmpty)

            let creator = harness.reviewer(id: 501, name: "Cora")
            try await creator.send("/start", expecting: "Gongbu manager")
            let notice = try await creator.waitForMessage(containing: "New submission #1")
            #expect(notice.body.contains("Course A") && notice.body.contains("Essay") && notice.body.contains("Ann"))
            #expect(notice.body.contains("My essay about let and var"))
            #expect(try await eventually { try await store.submissions().first?.notifiedAt != nil })

            try await creator.press("✅ Approve", expecting: "Write a comment")
            try await creator.press("Skip", expecting: "approved")
            let verdict = try await student.waitForMessage(containing: "is approved")
            #expect(!verdict.body.contains("comment"))
            #expect(verdict.buttonLabels.contains("Next ▶️"))
            try await student.press("Next ▶️", expecting: "Well done")
            let row = try #require(try await store.submissions().first)
            #expect(row.status == .approved && row.reviewerId == 501 && row.comment == nil)
            #expect(try await store.progress()[9001]?.contains("essay") == true)
            #expect(try await store.pendingSubmissions().isEmpty)
            #expect(harness.logs.all.allSatisfy { !$0.contains("TEST-review") })
        }
    }

    @Test("rejected with a comment, resubmitted as a photo, approved with a comment; the file is stored and re-sent")
    func rejectAndResubmit() async throws {
        try await ReviewHarness.with(managerToken: "4111:TEST-review-manager", courses: [("4112:TEST-review-course-a", Self.yamlA)]) { harness in
            let creator = harness.reviewer(id: 501)
            try await creator.send("/start", expecting: "Gongbu manager")
            let student = harness.student("reviews-a", id: 9002, name: "Ben")
            try await Self.reachAssignment(student)
            try await student.send("first draft", expecting: "awaits review")
            _ = try await creator.waitForMessage(containing: "New submission #1")
            try await creator.press("❌ Reject", expecting: "what should they fix")
            try await creator.send("Too short, add an example", expecting: "rejected")
            let rejection = try await student.waitForMessage(containing: "needs another try")
            #expect(rejection.body.contains("Reviewer's comment: Too short, add an example"))

            // The next message is the new version.
            let photo = Data((0..<2048).map { UInt8($0 % 251) })
            student.sendPhoto(data: photo, caption: "second version")
            _ = try await student.waitForMessage(containing: "awaits review")
            let store = try harness.store("reviews-a")
            #expect(try await eventually { try await store.submissions().count == 2 })
            let fileNotice = try await creator.waitForMessage { $0.media == .photo }
            #expect(fileNotice.buttonLabels == ["✅ Approve", "❌ Reject"])
            let second = try #require(try await store.submission(id: 2))
            let path = try #require(second.localPath)
            #expect(path.hasSuffix("/files/submissions/9002-essay-2.jpg"))
            #expect(path.hasPrefix(harness.dataDir + "/courses/reviews-a/"))
            #expect(FileManager.default.contents(atPath: path) == photo)
            #expect(!harness.manager.calls(method: "sendPhoto").isEmpty)

            try await creator.press("✅ Approve", expecting: "Write a comment")
            try await creator.send("Much better", expecting: "approved")
            let approval = try await student.waitForMessage(containing: "is approved")
            #expect(approval.body.contains("Reviewer's comment: Much better"))
            let rows = try await store.submissions()
            #expect(rows.map(\.status) == [.rejected, .approved])
            #expect(rows.map(\.comment) == ["Too short, add an example", "Much better"])
        }
    }

    @Test("refused uploads: a file over 20 MB and a kind the assignment does not accept")
    func refusedUploads() async throws {
        try await ReviewHarness.with(managerToken: "4121:TEST-review-manager", courses: [("4122:TEST-review-course-a", Self.yamlA)]) { harness in
            let student = harness.student("reviews-a", id: 9003)
            try await Self.reachAssignment(student)
            student.sendVoice(data: Data(repeating: 1, count: 100))
            _ = try await student.waitForMessage(containing: "not accepted here")
            let course = harness.course("reviews-a")
            course.bot.enqueueUpdate(["message": [
                "message_id": 777, "date": 1_700_000_000,
                "chat": ["id": 9003, "type": "private", "first_name": "Student"],
                "from": ["id": 9003, "is_bot": false, "first_name": "Student", "language_code": "en"],
                "document": ["file_id": "huge-file", "file_unique_id": "huge", "file_name": "movie.mov", "file_size": .int(25 * 1_048_576)],
            ]])
            _ = try await student.waitForMessage(containing: "too big: the limit is 20 MB")
            #expect(try await harness.store("reviews-a").submissions().isEmpty)
            // Still waiting: an accepted message goes through.
            try await student.send("text version", expecting: "awaits review")
        }
    }

    @Test("two creators never see each other's submissions; a forged Approve for the other's course is refused")
    func creatorsApart() async throws {
        try await ReviewHarness.with(
            managerToken: "4131:TEST-review-manager",
            courses: [("4132:TEST-review-course-a", Self.yamlA), ("4133:TEST-review-course-b", Self.yamlB)]
        ) { harness in
            let cora = harness.reviewer(id: 501, name: "Cora")
            let dan = harness.reviewer(id: 502, name: "Dan")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await dan.send("/start", expecting: "Gongbu manager")
            let ann = harness.student("reviews-a", id: 9004, name: "Ann")
            let bob = harness.student("reviews-b", id: 9005, name: "Bob")
            try await Self.reachAssignment(ann)
            try await Self.reachAssignment(bob)
            try await ann.send("Ann's work", expecting: "awaits review")
            try await bob.send("Bob's work", expecting: "awaits review")
            let toCora = try await cora.waitForMessage(containing: "New submission")
            let toDan = try await dan.waitForMessage(containing: "New submission")
            #expect(toCora.body.contains("Course A") && toCora.body.contains("Ann's work"))
            #expect(toDan.body.contains("Course B") && toDan.body.contains("Bob's work"))
            try await Task.sleep(for: .milliseconds(400))
            #expect(cora.messages.allSatisfy { !$0.body.contains("Bob") && !$0.body.contains("Course B") })
            #expect(dan.messages.allSatisfy { !$0.body.contains("Ann") && !$0.body.contains("Course A") })

            let list = try await cora.send("/reviews", expecting: "Waiting for review: 1")
            #expect(list.body.contains("Course A") && !list.body.contains("Course B"))

            // Cora presses Dan's Approve button (data copied from Dan's message): refused politely.
            let forgedData = try #require(toDan.buttons.first?.first?.callbackData)
            let queryId = "forged-\(UUID().uuidString)"
            harness.manager.enqueueUpdate(["callback_query": [
                "id": .string(queryId), "chat_instance": "1", "data": .string(forgedData),
                "from": ["id": 501, "is_bot": false, "first_name": "Cora", "language_code": "en"],
                "message": toCora.json,
            ]])
            #expect(try await eventually {
                harness.manager.calls(method: "answerCallbackQuery").contains {
                    $0.parameters["callback_query_id"]?.stringValue == queryId
                        && $0.parameters["text"]?.stringValue?.contains("only review the courses you created") == true
                }
            })
            // Garbage data is refused too, and nothing was decided.
            harness.manager.enqueueUpdate(["callback_query": [
                "id": "forged-garbage", "chat_instance": "1", "data": "r1|a|zzzzzzzz|1",
                "from": ["id": 501, "is_bot": false, "first_name": "Cora"], "message": toCora.json,
            ]])
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await harness.platform().decisions(courseSlug: "reviews-b").isEmpty)
            #expect(try await harness.store("reviews-b").pendingSubmissions().count == 1)
        }
    }

    @Test("buttons pressed twice decide once: one verdict, one message to the student")
    func doublePress() async throws {
        try await ReviewHarness.with(
            managerToken: "4141:TEST-review-manager", admins: [600],
            courses: [("4142:TEST-review-course-c", reviewCourseYAML(slug: "reviews-c", title: "Course C", creator: nil))]
        ) { harness in
            let admin = harness.reviewer(id: 600, name: "Ada")
            try await admin.send("/start", expecting: "Gongbu manager")
            let student = harness.student("reviews-c", id: 9006)
            try await Self.reachAssignment(student)
            try await student.send("done", expecting: "awaits review")
            _ = try await admin.waitForMessage(containing: "New submission #1")
            try await admin.press("✅ Approve", expecting: "Write a comment")
            try await admin.press("Skip", expecting: "approved")
            _ = try await student.waitForMessage(containing: "is approved")
            // Again, on the same buttons.
            let again = try await admin.press("✅ Approve", waitingForAnswer: .seconds(10))
            #expect(again.text?.contains("already decided") == true)
            let skipAgain = try await admin.press("Skip", waitingForAnswer: .seconds(10))
            #expect(skipAgain.text != nil)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await harness.platform().decisions(courseSlug: "reviews-c").count == 1)
            #expect(student.messages.filter { $0.body.contains("is approved") }.count == 1)
            let store = try harness.store("reviews-c")
            #expect(try await store.submissions().map(\.status) == [.approved])
            #expect(try await store.progress()[9006]?.contains("essay") == true)
        }
    }
}
