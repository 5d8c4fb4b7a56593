import Foundation
import GongbuTesting
import Storage
import Testing

/// Creators' daily summary of new payments through the real runtime, with the runtime's clock
/// injected and moved forward a day at a time (never slept): the payments since the creator's
/// last summary, refunds left out, sent once even across a restart, and nothing on a day
/// without payments.
@Suite("Daily payment summary", .timeLimit(.minutes(3)))
struct DailySummaryTests {
    static let day = 86_400.0

    /// /start, Buy, pay: the student owns the course.
    static func buy(_ student: ScriptedUser) async throws {
        try await student.send("/start", expecting: "Paid Swift")
        try student.press("Buy · 250 ⭐")
        _ = try await student.waitForMessage { $0.json["invoice"] != nil }
        guard case .paid = try await student.pay() else { throw SummaryTestError("the payment was refused") }
        _ = try await student.waitForMessage(containing: "Thank you")
    }

    static func summaries(_ creator: ScriptedUser) -> [ChatMessage] {
        creator.messages.filter { $0.body.contains("Daily summary") }
    }

    @Test("two payments (a third refunded) → one summary with their count and sum; a restart does not resend; a day without payments sends nothing")
    func dailySummary() async throws {
        try await ReviewHarness.with(
            managerToken: "4501:TEST-sum-manager", courses: [("4502:TEST-sum-course", PaymentTests.paidYAML(slug: "sum-course", creator: 701))]
        ) { harness in
            let creator = harness.reviewer(id: 701, name: "Cora")
            try await creator.send("/start", expecting: "Gongbu manager")
            for id in Int64(9301)...9303 { try await Self.buy(harness.student("sum-course", id: id)) }
            let platform = try harness.platform()
            #expect(try await eventually { try await platform.ledger(courseSlug: "sum-course").count == 3 })
            _ = try await creator.waitForMessage(containing: "New payment #3")
            try await creator.press("↩️ Refund", expecting: "Refunding payment #3")
            _ = try await creator.waitForMessage(containing: "Payment #3 refunded")
            #expect(try await platform.ledger(courseSlug: "sum-course").filter(\.refunded).count == 1)
            // Not a day yet: nothing.
            try await Task.sleep(for: .milliseconds(1500))
            #expect(Self.summaries(creator).isEmpty)
            #expect(try await platform.lastSummary(creatorId: 701) == nil)

            harness.advanceClock(by: Self.day + 60)
            let summary = try await creator.waitForMessage(containing: "Daily summary")
            #expect(summary.body.contains("Paid Swift: 2 payments, 500 ⭐"))
            #expect(!summary.body.contains("750"))
            let first = try #require(try await platform.lastSummary(creatorId: 701))

            // A restart does not send it again.
            try await harness.restart()
            try await creator.send("/reviews", expecting: "Nothing is waiting")
            try await Task.sleep(for: .milliseconds(2500))
            #expect(Self.summaries(creator).count == 1)
            #expect(try await platform.lastSummary(creatorId: 701) == first)

            // The next day without payments: the period moves on, nothing is sent.
            harness.advanceClock(by: Self.day + 60)
            #expect(try await eventually { (try await platform.lastSummary(creatorId: 701) ?? 0) > first })
            try await Task.sleep(for: .milliseconds(1500))
            #expect(Self.summaries(creator).count == 1)

            // A payment the day after comes in the following summary, alone.
            try await Self.buy(harness.student("sum-course", id: 9304))
            harness.advanceClock(by: Self.day + 60)
            #expect(try await eventually { Self.summaries(creator).count == 2 })
            #expect(Self.summaries(creator).last?.body.contains("Paid Swift: 1 payment, 250 ⭐") == true)
            #expect(harness.manager.schemaViolations.isEmpty)
        }
    }

    @Test("a creator who never started the manager bot gets no summary")
    func notStarted() async throws {
        try await ReviewHarness.with(
            managerToken: "4511:TEST-sum-manager", courses: [("4512:TEST-sum-quiet", PaymentTests.paidYAML(slug: "quiet-course", creator: 702))]
        ) { harness in
            try await Self.buy(harness.student("quiet-course", id: 9311))
            let platform = try harness.platform()
            #expect(try await eventually { try await platform.ledger(courseSlug: "quiet-course").count == 1 })
            harness.advanceClock(by: 2 * Self.day)
            try await Task.sleep(for: .milliseconds(2000))
            #expect(harness.manager.calls(method: "sendMessage").isEmpty)
            #expect(try await platform.lastSummary(creatorId: 702) == nil)
        }
    }
}

struct SummaryTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
