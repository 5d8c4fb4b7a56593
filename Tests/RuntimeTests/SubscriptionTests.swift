import Foundation
import GongbuTesting
import Storage
import Testing

/// Subscriptions through the real runtime and the emulator's Stars subscriptions, with the
/// runtime's clock injected and moved forward (never slept): the first period bought through
/// `createInvoiceLink` with `subscription_period`, a renewal, the expiry that closes the steps
/// again, and the 3-day and 1-day reminders sent once each, across a restart.
@Suite("Subscriptions", .timeLimit(.minutes(3)))
struct SubscriptionTests {
    static let day = 86_400.0

    static func yaml(slug: String) -> String {
        """
        slug: \(slug)
        title: Swift Club
        description: A monthly subscription.
        creator: 703
        price:
          model: subscription
          amount: 100
          period_days: 30
        steps:
          - id: intro
            type: text
            title: Intro
            text: Welcome to the club.
          - id: second
            type: text
            title: Second
            text: The second lesson.
        """
    }

    /// /start, Buy, the link message, paid through the link: the emulator's record.
    static func subscribe(_ student: ScriptedUser, bot: EmulatedBot) async throws -> PaymentRecord {
        let welcome = try await student.send("/start", expecting: "Swift Club")
        #expect(welcome.buttonLabels == ["Buy · 100 ⭐"])
        try student.press("Buy · 100 ⭐")
        let offer = try await student.waitForMessage(containing: "Subscription to «Swift Club»")
        let button = try #require(offer.buttons.first?.first)
        #expect(button.text == "Subscribe · 100 ⭐")
        let link = try #require(button.url)
        let call = try #require(try await bot.eventuallyCall("createInvoiceLink"))
        #expect(call.parameters["subscription_period"]?.intValue == 2_592_000)
        #expect(call.parameters["currency"]?.stringValue == "XTR")
        #expect(call.parameters["payload"]?.stringValue?.hasPrefix("g1.p.\(student.id).") == true)
        #expect(bot.calls(method: "sendInvoice").isEmpty)
        guard case .paid(let record) = try await student.pay(invoiceLink: link) else {
            throw SubscriptionTestError("the subscription payment was refused")
        }
        return record
    }

    /// Telegram's successful_payment of the next period (no pre-checkout for renewals).
    static func renewal(of first: PaymentRecord, student: ScriptedUser, chargeId: String, expiration: Int) -> JSONValue {
        [
            "message": [
                "message_id": 8888, "date": .int(Int64(expiration - 2_592_000)),
                "chat": ["id": .int(student.id), "type": "private", "first_name": .string(student.firstName)],
                "from": ["id": .int(student.id), "is_bot": false, "first_name": .string(student.firstName)],
                "successful_payment": [
                    "currency": "XTR", "total_amount": 100, "invoice_payload": .string(first.invoicePayload),
                    "telegram_payment_charge_id": .string(chargeId), "provider_payment_charge_id": "renewal-2",
                    "subscription_expiration_date": .int(Int64(expiration)), "is_recurring": true,
                ],
            ],
        ]
    }

    @Test("first period through createInvoiceLink, a renewal, then expiry closes the steps and offers the subscription again")
    func firstPeriodRenewalExpiry() async throws {
        try await ReviewHarness.with(managerToken: "4401:TEST-sub-manager", courses: [("4402:TEST-sub-course", Self.yaml(slug: "sub-course"))]) { harness in
            let bot = harness.course("sub-course").bot
            let student = harness.student("sub-course", id: 9201, name: "Sue")
            let first = try await Self.subscribe(student, bot: bot)
            let firstEnd = try #require(first.subscriptionExpirationDate)
            _ = try await student.waitForMessage(containing: "Thank you for your purchase")
            _ = try await student.waitForMessage(containing: "Step 1/2 · Intro")
            try await student.press("Next ▶️", expecting: "Step 2/2 · Second")

            // Telegram charges the next period (the renewal arrives before the first period ends).
            let secondEnd = firstEnd + 2_592_000
            bot.enqueueUpdate(Self.renewal(of: first, student: student, chargeId: "stxRENEWAL2", expiration: secondEnd))
            _ = try await student.waitForMessage(containing: "is renewed")
            let store = try harness.store("sub-course")
            #expect(try await eventually { try await store.payments().count == 2 })
            #expect(try await store.payments().map(\.expiresAt) == [Double(firstEnd), Double(secondEnd)])
            let platform = try harness.platform()
            #expect(try await eventually { try await platform.ledger(courseSlug: "sub-course").count == 2 })
            // Past the first period's end, the renewal keeps the steps open and nothing is said.
            harness.advanceClock(by: Double(firstEnd) + 120 - harness.now)
            try await student.press("◀️ Back", expecting: "Step 1/2 · Intro")
            try await student.send("/progress", expecting: "steps done")
            #expect(try await eventually { try await store.dueReminders(now: harness.now).isEmpty })
            #expect(!student.messages.contains { $0.body.contains("has ended") || $0.body.contains("ends in") })

            // Past the second period's end with no renewal: access ends.
            harness.advanceClock(by: Double(secondEnd) + 60 - harness.now)
            let ended = try await student.waitForMessage(containing: "Your subscription to «Swift Club» has ended")
            #expect(ended.buttonLabels == ["Buy · 100 ⭐"])
            try await student.press("Next ▶️", expecting: "This course is a subscription: 100 ⭐ for 30 days")
            #expect(student.messages.filter { $0.body.contains("has ended") }.count == 1)
            // The 3-day and 1-day checks of the second period came due at once with its end: no stale reminder.
            #expect(!student.messages.contains { $0.body.contains("ends in") })
            #expect(try await store.dueReminders(now: harness.now).isEmpty)
            try harness.expectCleanRun(bot)
        }
    }

    @Test("3-day and 1-day reminders are sent once each, even across restarts; expiry told once")
    func remindersOnceAcrossRestarts() async throws {
        try await ReviewHarness.with(managerToken: "4411:TEST-sub-manager", courses: [("4412:TEST-sub-remind", Self.yaml(slug: "remind-course"))]) { harness in
            let bot = harness.course("remind-course").bot
            let student = harness.student("remind-course", id: 9202, name: "Rex")
            let record = try await Self.subscribe(student, bot: bot)
            let end = Double(try #require(record.subscriptionExpirationDate))
            _ = try await student.waitForMessage(containing: "Step 1/2 · Intro")
            let store = try harness.store("remind-course")
            #expect(try await store.nextReminder() == end - 3 * Self.day)

            harness.advanceClock(by: end - 3 * Self.day + 60 - harness.now)
            _ = try await student.waitForMessage(containing: "Your access to «Swift Club» ends in 3 days")
            try await harness.restart()
            try await student.send("/progress", expecting: "steps done")
            #expect(student.messages.filter { $0.body.contains("ends in") }.count == 1)

            harness.advanceClock(by: 2 * Self.day)
            _ = try await student.waitForMessage(containing: "Your access to «Swift Club» ends in 1 day")
            try await harness.restart()
            #expect(try await eventually { try await store.dueReminders(now: harness.now).isEmpty })
            try await student.send("/contents", expecting: "Second")
            #expect(student.messages.filter { $0.body.contains("ends in 3 days") }.count == 1)
            #expect(student.messages.filter { $0.body.contains("ends in 1 day") }.count == 1)

            harness.advanceClock(by: Self.day)
            _ = try await student.waitForMessage(containing: "has ended")
            try await harness.restart()
            try await student.send("/progress", expecting: "steps done")
            #expect(student.messages.filter { $0.body.contains("has ended") }.count == 1)
            #expect(student.messages.filter { $0.body.contains("ends in") }.count == 2)
            try harness.expectCleanRun(bot)
        }
    }
}

struct SubscriptionTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ReviewHarness {
    /// No call outside Bot API 10.1, nothing left in the outbox's failures, no token in the log.
    func expectCleanRun(_ bot: EmulatedBot) throws {
        #expect(bot.schemaViolations.isEmpty)
        #expect(!logs.all.contains { $0.contains("TEST-sub") })
    }
}
