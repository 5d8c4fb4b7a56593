import Foundation
import GRDB
import GongbuTesting
import Storage
import Testing

/// Many students in one course bot at once under Telegram's real flood limits, and media
/// uploaded once then sent by the file_id Telegram returned.
@Suite("Course journey: many students, media cache")
struct CourseJourneyLoadTests {
    @Test("30 students walk 3 steps at once: each sees only their own messages, in order, and Telegram never says 429")
    func thirtyStudents() async throws {
        try await CourseJourneyHarness.with(token: "4401:TEST-journey-crowd", realLimits: true) { harness in
            let running = try await harness.start()
            let students = (0..<30).map { harness.bot.user(id: 9400 + Int64($0), firstName: "Student \($0)") }
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for student in students {
                    group.addTask {
                        try await student.send("/start", expecting: "Swift Basics", timeout: patience)
                        try await student.press("Start", expecting: "Step 1/10", timeout: patience)
                        try await student.press("Next ▶️", expecting: "Step 2/10", timeout: patience)
                        try await student.press("Next ▶️", expecting: "Step 3/10", timeout: patience)
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - started
            // Alone it takes about 4 s (120 messages at the runtime's 29/s); one message a second
            // for the whole bot would take 2 minutes (a margin for a loaded machine in between).
            #expect(elapsed < .seconds(100), "took \(elapsed)")

            for student in students {
                let firstLines = student.messages.map { $0.body.components(separatedBy: "\n").first ?? "" }
                #expect(firstLines.count == 4, "\(student.firstName): \(student.messages)")
                #expect(firstLines.first == "Swift Basics")
                #expect(firstLines.dropFirst().map { String($0.prefix(9)) } == ["Step 1/10", "Step 2/10", "Step 3/10"], "\(student.firstName)")
                let ids = student.messages.map(\.messageId)
                #expect(ids == ids.sorted())
            }
            // Every sent message went to a chat that asked for it, and as many as asked.
            let sends = harness.bot.calls.filter { $0.method.hasPrefix("send") && $0.succeeded }
            #expect(sends.count == 120)
            for student in students {
                #expect(sends.filter { $0.parameters["chat_id"]?.intValue == student.chatId }.count == 4)
            }
            #expect(harness.bot.tooManyRequestsCount == 0)
            let progress = try await harness.courseStore().progress()
            #expect(progress.count == 30)
            #expect(progress.values.allSatisfy { $0 == ["welcome", "meet-swift", "constants"] })
            let states = try await harness.courseStore().read { db in
                try Int64.fetchAll(db, sql: "SELECT chat_id FROM chat_states ORDER BY chat_id")
            }
            #expect(states == students.map(\.chatId))
            try await running.stop()
        }
    }

    @Test("a media file is uploaded once, then sent by the cached file_id until the file changes")
    func mediaUploadedOnce() async throws {
        try await CourseJourneyHarness.with(token: "4402:TEST-journey-media") { harness in
            let running = try await harness.start()
            var photos: [ChatMessage] = []
            for (index, name) in ["Fay", "Gus"].enumerated() {
                let student = harness.bot.user(id: 9501 + Int64(index), firstName: name)
                try await student.send("/start", expecting: "Swift Basics")
                try await student.press("Start", expecting: "Step 1/10")
                photos.append(try await student.press("Next ▶️", expecting: "Step 2/10 · Meet Swift"))
            }
            let calls = harness.bot.calls(method: "sendPhoto")
            #expect(calls.count == 2)
            #expect(calls.allSatisfy { $0.succeeded })
            let upload = try #require(calls.first?.parameters["photo"])
            #expect(upload["upload"]?.stringValue == "swift-logo.png", "the first send uploads the file: \(upload)")
            #expect((upload["size"]?.intValue ?? 0) > 0)
            let uploadedId = try #require(calls.first?.result?["photo"]?.arrayValue?.last?["file_id"]?.stringValue)
            #expect(calls.last?.parameters["photo"]?.stringValue == uploadedId, "the second send reuses the file_id")
            #expect(photos.allSatisfy { $0.media == .photo })
            #expect(photos[1].json["photo"]?.arrayValue?.last?["file_id"]?.stringValue == uploadedId)

            let cached = try await harness.courseStore().read { db in
                try String.fetchAll(db, sql: "SELECT file_id FROM media_cache WHERE path LIKE '%swift-logo.png'")
            }
            #expect(cached == [uploadedId])

            // The creator replaces the picture (right after Gus saw it: his send may still be finishing,
            // which once cached the old file_id under the new file's signature): the next student
            // gets the new file, uploaded again, and its file_id replaces the old one in the cache.
            let logo = harness.courseDir + "/media/swift-logo.png"
            var bytes = try Data(contentsOf: URL(fileURLWithPath: logo))
            bytes.append(Data(repeating: 0, count: 16))
            try bytes.write(to: URL(fileURLWithPath: logo))
            let ivy = harness.bot.user(id: 9503, firstName: "Ivy")
            try await ivy.send("/start", expecting: "Swift Basics")
            try await ivy.press("Start", expecting: "Step 1/10")
            try await ivy.press("Next ▶️", expecting: "Step 2/10 · Meet Swift")
            let third = try #require(harness.bot.calls(method: "sendPhoto").last?.parameters["photo"])
            #expect(third["size"]?.intValue == Int64(bytes.count), "the edited file is uploaded: \(third)")
            let newId = try #require(harness.bot.calls(method: "sendPhoto").last?.result?["photo"]?.arrayValue?.last?["file_id"]?.stringValue)
            #expect(newId != uploadedId)
            #expect(try await eventually {
                try await harness.courseStore().read { db in
                    try String.fetchAll(db, sql: "SELECT file_id FROM media_cache WHERE path LIKE '%swift-logo.png'")
                } == [newId]
            })
            try await running.stop()
        }
    }
}
