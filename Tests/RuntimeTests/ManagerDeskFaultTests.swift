import BotRuntime
import Foundation
import GongbuTesting
import Storage
import Testing

/// Issue 11: the manager bot's answers to `/start`, `/courses` and `/newcourse` go through its
/// outbox, so a refusal (429, 500, 502, a dropped connection) delays them but never drops them,
/// the three cards of `/courses` keep Telegram's per-chat pace, and a 429 keeps the chat quiet
/// until its `retry_after` ran out.
@Suite("Manager desk under faults", .timeLimit(.minutes(3)))
struct ManagerDeskFaultTests {
    @Test("/start, /courses and /newcourse are answered in full through 429, 500, 502 and dropped connections")
    func answeredThroughFaults() async throws {
        let courses = [
            ("5301:TEST-fault-course-a", reviewCourseYAML(slug: "fault-a", title: "Course A", creator: 700)),
            ("5302:TEST-fault-course-b", reviewCourseYAML(slug: "fault-b", title: "Course B", creator: 700)),
            ("5303:TEST-fault-course-c", reviewCourseYAML(slug: "fault-c", title: "Course C", creator: 700)),
        ]
        try await ReviewHarness.with(managerToken: "5300:TEST-fault-manager", admins: [700], courses: courses, limits: RateLimiter.Limits()) { harness in
            // Telegram's own per-chat limit: any message past the pace would be refused with a 429 of the emulator's.
            harness.manager.setRateLimits(.telegram)
            let ada = harness.reviewer(id: 700, name: "Ada")
            let token = harness.managerToken
            harness.emulator.inject(.tooManyRequests(retryAfter: 2), method: "sendMessage", token: token)
            harness.emulator.inject(.internalServerError, method: "sendMessage", token: token)
            harness.emulator.inject(.dropConnection, method: "sendMessage", token: token)
            try await ada.send("/start", expecting: "Gongbu manager", timeout: .seconds(30))

            harness.emulator.inject(.badGateway, method: "sendMessage", token: token)
            harness.emulator.inject(.tooManyRequests(retryAfter: 1), method: "sendMessage", token: token)
            ada.send("/courses")
            for title in ["Course A", "Course B", "Course C"] {
                _ = try await ada.waitForMessage(containing: title, timeout: .seconds(30))
            }

            harness.emulator.inject(.dropConnection, method: "sendMessage", token: token)
            harness.emulator.inject(.internalServerError, method: "sendMessage", token: token)
            try await ada.send("/newcourse", expecting: "Send its title", timeout: .seconds(30))

            // Each answer once: retried, never repeated.
            let bodies = ada.messages.map(\.body)
            #expect(bodies.filter { $0.contains("Gongbu manager") }.count == 1, "\(bodies)")
            for slug in ["fault-a", "fault-b", "fault-c"] {
                #expect(bodies.filter { $0.contains(slug) }.count == 1, "one card per course: \(bodies)")
            }
            #expect(bodies.filter { $0.contains("Send its title") }.count == 1)
            let sends = harness.manager.calls(method: "sendMessage").filter { $0.parameters["chat_id"]?.intValue == 700 }
            // No call was refused by Telegram's flood control itself: the sender kept the pace.
            #expect(sends.allSatisfy { call in
                if case .error(429, _) = call.outcome { return false }
                return true
            }, "\(sends.map(\.outcome))")
            // After each injected 429 the chat stayed quiet for its retry_after.
            for (index, call) in sends.enumerated() {
                guard case .fault(let label) = call.outcome, label.hasPrefix("429"), let seconds = label.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
                if let next = sends.dropFirst(index + 1).first {
                    #expect(next.date.timeIntervalSince(call.date) >= seconds - 0.05, "sent \(next.date.timeIntervalSince(call.date)) s after a 429 asking for \(seconds) s")
                }
            }
            #expect(try await harness.platform().jobs(kind: "desk.event").allSatisfy { $0.status == .done })
            #expect(harness.logs.all.allSatisfy { !$0.contains("manager desk action failed") })
        }
    }
}
