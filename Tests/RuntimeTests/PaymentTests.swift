import Foundation
import GongbuTesting
import Storage
import Testing

/// Selling through the real runtime and the emulator's Stars payments: a paid course, one
/// freemium step, pre-checkout refusals, each payment credited once (replayed, after a restart),
/// refunds from the manager bot, and the ledger against the emulator's record of charges.
@Suite("Payments", .timeLimit(.minutes(3)))
struct PaymentTests {
    static func paidYAML(slug: String = "paid-course", creator: Int64 = 701) -> String {
        """
        slug: \(slug)
        title: Paid Swift
        description: A paid course.
        creator: \(creator)
        price:
          model: paid
          amount: 250
        steps:
          - id: intro
            type: text
            title: Intro
            text: Welcome to the paid course.
          - id: second
            type: text
            title: Second
            text: The second lesson.
        """
    }

    static let freemiumYAML = """
        slug: freemium-course
        title: Freemium Swift
        creator: 702
        price:
          model: freemium
          amount: 300
        steps:
          - id: free-one
            type: text
            title: Free one
            text: A free lesson.
          - id: bonus
            type: text
            title: Bonus
            text: The bonus lesson.
            paid: true
            price: 50
          - id: free-two
            type: text
            title: Free two
            text: Another free lesson.
        """

    @Test("paid course: Buy · 250 ⭐ on the welcome card, invoice in XTR, paid, thanked and taken to step 1; ledger and metric once")
    func buyPaidCourse() async throws {
        try await ReviewHarness.with(managerToken: "4301:TEST-pay-manager", courses: [("4302:TEST-pay-course", Self.paidYAML())]) { harness in
            let creator = harness.reviewer(id: 701, name: "Cora")
            try await creator.send("/start", expecting: "Gongbu manager")
            let student = harness.student("paid-course", id: 9101, name: "Ann")
            let welcome = try await student.send("/start", expecting: "Paid Swift")
            #expect(welcome.buttonLabels == ["Buy · 250 ⭐"])
            #expect(welcome.body.contains("250 ⭐"))
            try student.press("Buy · 250 ⭐")
            let invoice = try #require(try await harness.course("paid-course").bot.eventuallyCall("sendInvoice"))
            #expect(invoice.parameters["currency"]?.stringValue == "XTR")
            #expect(invoice.parameters["provider_token"]?.stringValue == "")
            let payload = try #require(invoice.parameters["payload"]?.stringValue)
            #expect(payload.utf8.count <= 128 && payload.hasPrefix("g1.c.9101."))

            guard case .paid(let record) = try await student.pay() else { Issue.record("payment refused"); return }
            #expect(record.totalAmount == 250)
            _ = try await student.waitForMessage(containing: "Thank you for your purchase")
            _ = try await student.waitForMessage(containing: "Step 1/2 · Intro")
            try await student.press("Next ▶️", expecting: "Step 2/2 · Second")

            let platform = try harness.platform()
            #expect(try await eventually { try await platform.ledger(courseSlug: "paid-course").count == 1 })
            let entry = try #require(try await platform.ledger(courseSlug: "paid-course").first)
            #expect(entry.chargeId == record.telegramPaymentChargeId && entry.userId == 9101 && entry.item == "course")
            #expect(entry.amount == 250 && entry.currency == "XTR" && entry.commission == 0 && !entry.refunded)
            let notice = try await creator.waitForMessage(containing: "New payment #\(entry.id)")
            #expect(notice.body.contains("250 ⭐") && notice.buttonLabels == ["↩️ Refund"])
            // A second purchase of what is owned is refused at the button.
            try await student.send("/start", expecting: "Welcome back")
            #expect(student.lastMessage?.buttonLabels == ["Continue"])
            #expect(harness.logs.all.allSatisfy { !$0.contains("TEST-pay") })
        }
    }

    @Test("freemium: free steps open, the paid step offers Buy · 50 ⭐ (and unlock everything); buying opens it")
    func buyFreemiumStep() async throws {
        try await ReviewHarness.with(managerToken: "4311:TEST-pay-manager", courses: [("4312:TEST-pay-freemium", Self.freemiumYAML)]) { harness in
            let student = harness.student("freemium-course", id: 9102, name: "Ben")
            let welcome = try await student.send("/start", expecting: "Freemium Swift")
            #expect(welcome.buttonLabels == ["Start", "Unlock everything · 300 ⭐"])
            try await student.press("Start", expecting: "Step 1/3 · Free one")
            let offer = try await student.press("Next ▶️", expecting: "This step is paid: 50 ⭐")
            #expect(offer.buttonLabels == ["Buy · 50 ⭐", "Unlock everything · 300 ⭐", "📋 Contents"])
            try student.press("Buy · 50 ⭐")
            _ = try #require(try await harness.course("freemium-course").bot.eventuallyCall("sendInvoice"))
            guard case .paid(let record) = try await student.pay() else { Issue.record("payment refused"); return }
            #expect(record.totalAmount == 50)
            _ = try await student.waitForMessage(containing: "Step 2/3 · Bonus")
            let store = try harness.store("freemium-course")
            #expect(try await eventually { try await store.progress()[9102]?.contains("bonus") == true })
            let platform = try harness.platform()
            #expect(try await eventually { try await platform.ledger(courseSlug: "freemium-course").first?.item == "step:bonus" })
        }
    }

    @Test("pre-checkout: a tampered payload, another student's payload and a wrong amount are refused with a reason")
    func preCheckoutRefusals() async throws {
        try await ReviewHarness.with(managerToken: "4321:TEST-pay-manager", courses: [("4322:TEST-pay-refuse", Self.paidYAML(slug: "refuse-course"))]) { harness in
            let bot = harness.course("refuse-course").bot
            let ann = harness.student("refuse-course", id: 9103, name: "Ann")
            try await ann.send("/start", expecting: "Paid Swift")
            try ann.press("Buy · 250 ⭐")
            let invoice = try #require(try await bot.eventuallyCall("sendInvoice"))
            let payload = try #require(invoice.parameters["payload"]?.stringValue)
            var tampered = Array(payload)
            tampered[tampered.count - 1] = tampered.last == "A" ? "B" : "A"
            let cases: [(id: String, from: Int64, amount: Int64, payload: String, reason: String)] = [
                ("pcq-tampered", 9103, 250, String(tampered), "no longer valid"),
                ("pcq-other-user", 9104, 250, payload, "another student"),
                ("pcq-amount", 9103, 1, payload, "price has changed"),
                ("pcq-item", 9103, 250, payload.replacingOccurrences(of: "g1.c.", with: "g1.a."), "no longer valid"),
            ]
            for item in cases {
                bot.enqueueUpdate([
                    "pre_checkout_query": [
                        "id": .string(item.id), "from": ["id": .int(item.from), "is_bot": false, "first_name": "X"],
                        "currency": "XTR", "total_amount": .int(item.amount), "invoice_payload": .string(item.payload),
                    ],
                ])
            }
            #expect(try await eventually { bot.calls(method: "answerPreCheckoutQuery").count == cases.count })
            let answers = bot.calls(method: "answerPreCheckoutQuery")
            for item in cases {
                let answer = try #require(answers.first { $0.parameters["pre_checkout_query_id"]?.stringValue == item.id })
                #expect(answer.parameters["ok"] == false)
                #expect(answer.parameters["error_message"]?.stringValue?.contains(item.reason) == true, "\(item.id)")
            }
            // The genuine one is accepted.
            guard case .paid = try await ann.pay() else { Issue.record("genuine payment refused"); return }
            _ = try await ann.waitForMessage(containing: "Thank you for your purchase")
        }
    }

    @Test("the same successful_payment delivered twice and again after a restart credits once")
    func replayedPaymentCreditsOnce() async throws {
        try await ReviewHarness.with(managerToken: "4331:TEST-pay-manager", courses: [("4332:TEST-pay-replay", Self.paidYAML(slug: "replay-course"))]) { harness in
            let bot = harness.course("replay-course").bot
            let student = harness.student("replay-course", id: 9105, name: "Cid")
            try await student.send("/start", expecting: "Paid Swift")
            try student.press("Buy · 250 ⭐")
            _ = try #require(try await bot.eventuallyCall("sendInvoice"))
            guard case .paid(let record) = try await student.pay() else { Issue.record("payment refused"); return }
            _ = try await student.waitForMessage(containing: "Thank you for your purchase")
            let replay: JSONValue = [
                "message": [
                    "message_id": 9999, "date": 1, "chat": ["id": 9105, "type": "private", "first_name": "Cid"],
                    "from": ["id": 9105, "is_bot": false, "first_name": "Cid"],
                    "successful_payment": [
                        "currency": "XTR", "total_amount": 250, "invoice_payload": .string(record.invoicePayload),
                        "telegram_payment_charge_id": .string(record.telegramPaymentChargeId),
                        "provider_payment_charge_id": .string(record.providerPaymentChargeId),
                    ],
                ],
            ]
            bot.enqueueUpdate(replay)
            bot.enqueueUpdate(replay)
            let platform = try harness.platform()
            let store = try harness.store("replay-course")
            #expect(try await eventually { try await store.chats.processedCount(botId: harness.botId(bot)) >= 6 })
            try await harness.restart()
            bot.enqueueUpdate(replay)
            try await student.send("/progress", expecting: "steps done")
            #expect(try await eventually { try await platform.ledger(courseSlug: "replay-course").count == 1 })
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await platform.ledger(courseSlug: "replay-course").count == 1)
            #expect(try await store.payments().count == 1)
            #expect(student.messages.filter { $0.body.contains("Thank you for your purchase") }.count == 1)
            #expect(harness.manager.calls(method: "sendMessage").isEmpty)  // the creator never started the manager bot
        }
    }

    @Test("refund from the manager bot: refundStarPayment, the ledger marks it, access is withdrawn, the student told")
    func refundWithdrawsAccess() async throws {
        try await ReviewHarness.with(managerToken: "4341:TEST-pay-manager", courses: [("4342:TEST-pay-refund", Self.paidYAML(slug: "refund-course"))]) { harness in
            let creator = harness.reviewer(id: 701, name: "Cora")
            try await creator.send("/start", expecting: "Gongbu manager")
            let bot = harness.course("refund-course").bot
            let student = harness.student("refund-course", id: 9106, name: "Dan")
            try await student.send("/start", expecting: "Paid Swift")
            try student.press("Buy · 250 ⭐")
            _ = try #require(try await bot.eventuallyCall("sendInvoice"))
            guard case .paid(let record) = try await student.pay() else { Issue.record("payment refused"); return }
            _ = try await student.waitForMessage(containing: "Step 1/2 · Intro")
            _ = try await creator.waitForMessage(containing: "New payment #1")
            try await creator.press("↩️ Refund", expecting: "Refunding payment #1")
            _ = try await creator.waitForMessage(containing: "Payment #1 refunded")
            _ = try await student.waitForMessage(containing: "Your payment was refunded")
            #expect(bot.payments.first { $0.telegramPaymentChargeId == record.telegramPaymentChargeId }?.refunded == true)
            let platform = try harness.platform()
            #expect(try await platform.ledger(courseSlug: "refund-course").first?.refunded == true)
            #expect(try await eventually { try await harness.store("refund-course").payments().first?.refundedAt != nil })
            // Access is gone: the welcome card offers Buy again and the steps are closed.
            let welcome = try await student.send("/start", expecting: "Paid Swift")
            #expect(welcome.buttonLabels == ["Buy · 250 ⭐"])
        }
    }

    @Test("ledger totals match the emulator's record of payments, across two courses and several students")
    func ledgerMatchesEmulator() async throws {
        try await ReviewHarness.with(
            managerToken: "4351:TEST-pay-manager",
            courses: [("4352:TEST-pay-total-a", Self.paidYAML(slug: "total-paid")), ("4353:TEST-pay-total-b", Self.freemiumYAML)]
        ) { harness in
            for id in Int64(9201)...9203 {
                let student = harness.student("total-paid", id: id)
                try await student.send("/start", expecting: "Paid Swift")
                try student.press("Buy · 250 ⭐")
                _ = try await student.waitForMessage { $0.json["invoice"] != nil }
                guard case .paid = try await student.pay() else { Issue.record("refused"); return }
                _ = try await student.waitForMessage(containing: "Thank you")
            }
            for id in Int64(9211)...9212 {
                let student = harness.student("freemium-course", id: id)
                try await student.send("/start", expecting: "Freemium Swift")
                try student.press("Unlock everything · 300 ⭐")
                _ = try await student.waitForMessage { $0.json["invoice"] != nil }
                guard case .paid = try await student.pay() else { Issue.record("refused"); return }
                _ = try await student.waitForMessage(containing: "Thank you")
            }
            let platform = try harness.platform()
            #expect(try await eventually { try await platform.ledger().count == 5 })
            let ledger = try await platform.ledger()
            let charged = harness.courses.flatMap { $0.bot.payments }
            let ledgerTotal: Int = ledger.map(\.amount).reduce(0, +)
            let chargedTotal: Int64 = charged.map(\.totalAmount).reduce(0, +)
            let expectedTotal = 1_350  // 3 × 250 + 2 × 300
            #expect(ledgerTotal == Int(chargedTotal))
            #expect(ledgerTotal == expectedTotal)
            #expect(Set(ledger.map(\.chargeId)) == Set(charged.map(\.telegramPaymentChargeId)))
            #expect(ledger.filter { $0.courseSlug == "freemium-course" }.allSatisfy { $0.item == "all" })
        }
    }
}

extension EmulatedBot {
    /// The first call of `method` once it was made (nil after the wait).
    func eventuallyCall(_ method: String) async throws -> RecordedCall? {
        _ = try await eventually { !self.calls(method: method).isEmpty }
        return calls(method: method).first
    }
}

extension ReviewHarness {
    func botId(_ bot: EmulatedBot) -> Int64 {
        Int64(courses.first { $0.bot === bot }?.token.prefix { $0.isNumber } ?? "0") ?? 0
    }
}
