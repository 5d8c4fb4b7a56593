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
            // Alone it takes about 4 s (120 messages at the runtime's 28/s); one message a second
            // for the whole bot would take 2 minutes.
            #expect(elapsed < .seconds(30), "took \(elapsed)")

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
            try await running.stop()
        }
    }

    @Test("a media file is uploaded once; the next student gets it by the cached file_id")
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
            try await running.stop()
        }
    }
}
