import Foundation
import GongbuTesting
import Storage
import Testing

/// A course built in the manager bot gets what a bots.yaml course gets, end to end through the
/// emulator: its creator reviews its assignments in the manager bot, its payments reach the
/// platform ledger (and the creator), refunds withdraw access, and its bot's menu follows the
/// price; a bots.yaml course's second bot connected in the manager bot delivers verdicts too.
@Suite("Authored course services", .timeLimit(.minutes(3)))
struct AuthoredCourseServicesTests {
    /// Connects a fresh emulated bot to the creator's only course by pasting its token.
    static func connect(_ creator: ScriptedUser, token: String, username: String, harness: ReviewHarness) async throws -> EmulatedBot {
        let bot = harness.emulator.addBot(token: token, username: username)
        bot.setRateLimits(nil)
        try await creator.send("/connect", expecting: "paste its token")
        try await creator.send(token, expecting: "now teaches")
        return bot
    }

    @Test("an authored assignment reviewed by its creator: the notice reaches the manager bot, Approve tells the student and opens the next step")
    func creatorReviewsAuthoredAssignment() async throws {
        try await ReviewHarness.with(managerToken: "6201:TEST-served-manager", courses: []) { harness in
            let cora = harness.reviewer(id: 841, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await AuthoringTests.newCourse(cora, title: "Essay Course")
            try await cora.press("➕ Add step", expecting: "What kind of step")
            try await cora.press("📮 Assignment", expecting: "step's title")
            try await cora.send("Essay", expecting: "instructions")
            try await cora.send("Send your essay.", expecting: "Which kinds")
            try await cora.press("Done ✔️", expecting: "Who accepts")
            try await cora.press("I review it", expecting: "Step 2 added: Essay")
            try await AuthoringTests.addText(cora, title: "After", text: "Well done, you made it.", number: 3)
            let course = try await AuthoringTests.course(harness, "essay-course")
            #expect(course.creator == 841)

            let bot = try await Self.connect(cora, token: "6203:TEST-served-essay", username: "essay_course_bot", harness: harness)
            let student = bot.user(id: 9701, firstName: "Ann")
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Welcome")
            try await student.press("Next ▶️", expecting: "Send your essay.")
            try await student.send("My essay about constants", expecting: "awaits review")

            let notice = try await cora.waitForMessage(containing: "New submission #1")
            #expect(notice.body.contains("Essay Course") && notice.body.contains("Essay") && notice.body.contains("Ann"))
            #expect(notice.body.contains("My essay about constants"))
            let store = try harness.store("essay-course")
            #expect(try await eventually { try await store.submissions().first?.notifiedAt != nil })
            try await cora.send("/reviews", expecting: "#1 · Essay Course · Essay · Ann")

            try await cora.press("✅ Approve", expecting: "Write a comment")
            try await cora.press("Skip", expecting: "approved")
            let verdict = try await student.waitForMessage(containing: "is approved")
            #expect(verdict.buttonLabels.contains("Next ▶️"))
            try await student.press("Next ▶️", expecting: "Well done, you made it.")
            let row = try #require(try await store.submissions().first)
            #expect(row.status == .approved && row.reviewerId == 841)
            #expect(try await store.progress()[9701]?.contains("s2") == true)
            #expect(try await store.pendingSubmissions().isEmpty)
            #expect(harness.logs.all.allSatisfy { !$0.contains("TEST-served") })
        }
    }

    @Test("an authored paid course: the menu gains /paysupport when priced, a purchase reaches the ledger once and the creator, a refund from the manager bot withdraws access")
    func authoredPaidCourseLedgerAndRefund() async throws {
        try await ReviewHarness.with(managerToken: "6211:TEST-served-manager", courses: []) { harness in
            let cora = harness.reviewer(id: 851, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await AuthoringTests.newCourse(cora, title: "Paid Authored")
            try await AuthoringTests.addText(cora, title: "Lesson", text: "The paid lesson.", number: 2)
            let bot = try await Self.connect(cora, token: "6213:TEST-served-paid", username: "paid_authored_bot", harness: harness)
            #expect(try await eventually { !bot.calls(method: "setMyCommands").isEmpty })
            #expect(bot.calls(method: "setMyCommands").allSatisfy { !"\($0.parameters)".contains("paysupport") })

            // Priced while its bot runs: the bot's menu now offers /paysupport and /terms.
            try await cora.send("/courses", expecting: "Paid Authored")
            try await cora.press("💰 Price", expecting: "How is")
            try await cora.press("Paid", expecting: "price in Stars")
            try await cora.send("150", expecting: "150 ⭐")
            #expect(try await eventually { bot.calls(method: "setMyCommands").contains { "\($0.parameters)".contains("paysupport") } })

            let student = bot.user(id: 9711, firstName: "Ben")
            let welcome = try await student.send("/start", expecting: "Paid Authored")
            #expect(welcome.buttonLabels == ["Buy · 150 ⭐"])
            try student.press("Buy · 150 ⭐")
            _ = try #require(try await bot.eventuallyCall("sendInvoice"))
            guard case .paid(let record) = try await student.pay() else { Issue.record("payment refused"); return }
            _ = try await student.waitForMessage(containing: "Thank you for your purchase")
            _ = try await student.waitForMessage(containing: "Step 1/2")

            let platform = try harness.platform()
            #expect(try await eventually { try await platform.ledger(courseSlug: "paid-authored").count == 1 })
            let entry = try #require(try await platform.ledger(courseSlug: "paid-authored").first)
            #expect(entry.chargeId == record.telegramPaymentChargeId && entry.userId == 9711 && entry.amount == 150 && entry.item == "course")
            #expect(entry.botId == 6213)
            let notice = try await cora.waitForMessage(containing: "New payment #\(entry.id)")
            #expect(notice.body.contains("Paid Authored") && notice.body.contains("150 ⭐") && notice.buttonLabels == ["↩️ Refund"])
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await platform.ledger(courseSlug: "paid-authored").count == 1)
            #expect(cora.messages.filter { $0.body.contains("New payment") }.count == 1)

            try await cora.press("↩️ Refund", expecting: "Refunding payment #\(entry.id)")
            _ = try await cora.waitForMessage(containing: "Payment #\(entry.id) refunded")
            _ = try await student.waitForMessage(containing: "Your payment was refunded")
            #expect(bot.payments.first { $0.telegramPaymentChargeId == record.telegramPaymentChargeId }?.refunded == true)
            #expect(try await platform.ledger(courseSlug: "paid-authored").first?.refunded == true)
            #expect(try await eventually { try await harness.store("paid-authored").payments().first?.refundedAt != nil })
            let again = try await student.send("/start", expecting: "Paid Authored")
            #expect(again.buttonLabels == ["Buy · 150 ⭐"])
            #expect(harness.logs.all.allSatisfy { !$0.contains("TEST-served") })
        }
    }

    @Test("a bots.yaml course's second bot connected in the manager bot: its student's verdict comes back through it")
    func connectedBotOfYAMLCourseGetsVerdicts() async throws {
        try await ReviewHarness.with(
            managerToken: "6221:TEST-served-manager",
            courses: [("6222:TEST-served-yaml", reviewCourseYAML(slug: "served-yaml", title: "Yaml Reviews", creator: 861))]
        ) { harness in
            let cora = harness.reviewer(id: 861, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            let second = try await Self.connect(cora, token: "6223:TEST-served-second", username: "second_yaml_bot", harness: harness)
            let viaMain = harness.student("served-yaml", id: 9721, name: "Main")
            let viaSecond = second.user(id: 9722, firstName: "Second")
            for (number, student) in [viaMain, viaSecond].enumerated() {
                try await ReviewTests.reachAssignment(student)
                try await student.send("Essay by \(student.firstName)", expecting: "awaits review")
                _ = try await cora.waitForMessage(containing: "New submission #\(number + 1)")
                try await cora.press("✅ Approve", expecting: "Write a comment")
                try await cora.press("Skip", expecting: "approved")
            }
            _ = try await viaMain.waitForMessage(containing: "is approved")
            _ = try await viaSecond.waitForMessage(containing: "is approved")
            try await viaSecond.press("Next ▶️", expecting: "Well done")
            let store = try harness.store("served-yaml")
            #expect(try await store.submissions().allSatisfy { $0.status == .approved })
            #expect(try await store.progress()[9722]?.contains("essay") == true)
        }
    }
}
