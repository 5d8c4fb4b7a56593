import CourseFlows
import Foundation
import GongbuTesting
import Storage
import Testing

/// The manager bot audited adversarially, end to end through the emulator: review verdicts and
/// refunds are in the audit log, refused review and refund presses too (forged for another
/// creator's course or payment), forged and malformed desk buttons from pending creators and
/// strangers are refused, a token pasted inside a sentence is still taken as a token (never a
/// review comment), and answers longer than one Telegram message are sent in parts instead of
/// failing silently.
@Suite("Manager authorization and audit", .timeLimit(.minutes(3)))
struct ManagerAuthorizationAuditTests {
    static let yamlA = reviewCourseYAML(slug: "guard-a", title: "Course A", creator: 501)
    static let yamlB = reviewCourseYAML(slug: "guard-b", title: "Course B", creator: 502)

    /// A made-up token whose secret is long enough to be recognized inside a sentence.
    static let longToken = "5193:TEST-guard-fresh-bot-with-a-long-secret"

    @Test("verdicts are audited (never their comment); a forged Approve for another's course is refused and audited; a token in a comment is not a comment")
    func reviewsAudited() async throws {
        try await ReviewHarness.with(
            managerToken: "5191:TEST-guard-manager",
            courses: [("5192:TEST-guard-course-a", Self.yamlA), ("5194:TEST-guard-course-b", Self.yamlB)]
        ) { harness in
            let cora = harness.reviewer(id: 501, name: "Cora")
            let dan = harness.reviewer(id: 502, name: "Dan")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await dan.send("/start", expecting: "Gongbu manager")
            let ann = harness.student("guard-a", id: 9301, name: "Ann")
            let bob = harness.student("guard-b", id: 9302, name: "Bob")
            try await ReviewTests.reachAssignment(ann)
            try await ReviewTests.reachAssignment(bob)
            try await ann.send("Ann's essay", expecting: "awaits review")
            try await bob.send("Bob's essay", expecting: "awaits review")
            let toCora = try await cora.waitForMessage(containing: "New submission")
            let toDan = try await dan.waitForMessage(containing: "New submission")

            // Cora replays Dan's Approve: the scene refuses it, the audit log has it.
            let forged = try #require(toDan.buttons.first?.first?.callbackData)
            let query = ManagerBotTests.forge(forged, from: 501, on: toCora, harness: harness)
            #expect(try await ManagerBotTests.answered(query, containing: "only review the courses you created", harness: harness))
            let platform = try harness.platform()
            #expect(try await eventually {
                try await platform.auditLog().contains { $0.action == "denied" && $0.actorId == 501 && $0.subject == "guard-b" && $0.details == forged }
            })

            // Approving, Cora pastes a token in a sentence: taken as a token (deleted), not as the comment.
            try await cora.press("✅ Approve", expecting: "Write a comment")
            _ = cora.send("oops, here: \(Self.longToken) sorry")
            _ = try await cora.waitForMessage(containing: "Your message was deleted")
            try await cora.press("Skip", expecting: "approved")
            let approved = try await ann.waitForMessage(containing: "is approved")
            #expect(!approved.body.contains("TEST-guard") && !approved.body.contains("comment"))
            #expect(try await harness.store("guard-a").submissions().first?.comment == nil)

            try await dan.press("❌ Reject", expecting: "Write a comment")
            try await dan.send("Please add an example.", expecting: "rejected")
            _ = try await bob.waitForMessage(containing: "needs another try")

            #expect(try await eventually {
                let audit = try await platform.auditLog()
                return audit.contains { $0.action == "review.approve" && $0.actorId == 501 && $0.subject == "guard-a" }
                    && audit.contains { $0.action == "review.reject" && $0.actorId == 502 && $0.subject == "guard-b" }
            })
            let audit = try await platform.auditLog()
            #expect(audit.allSatisfy { !($0.details ?? "").contains("example") && !($0.details ?? "").contains("TEST-guard") })
            #expect(cora.messages.allSatisfy { !$0.body.contains("TEST-guard") })
            #expect(harness.logs.all.allSatisfy { !$0.contains("TEST-guard") })
            #expect(harness.manager.calls(method: "deleteMessage").filter(\.succeeded).count == 1)
        }
    }

    @Test("a refund is audited; a forged refund of another creator's payment is refused and audited, by the scene and by the refund relay")
    func refundsAudited() async throws {
        try await ReviewHarness.with(
            managerToken: "5201:TEST-guard-manager",
            courses: [
                ("5202:TEST-guard-paid-a", PaymentTests.paidYAML(slug: "guard-paid-a", creator: 701)),
                ("5203:TEST-guard-paid-b", PaymentTests.paidYAML(slug: "guard-paid-b", creator: 702)),
            ]
        ) { harness in
            let cora = harness.reviewer(id: 701, name: "Cora")
            let dan = harness.reviewer(id: 702, name: "Dan")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await dan.send("/start", expecting: "Gongbu manager")
            let student = harness.student("guard-paid-a", id: 9311, name: "Sam")
            try await student.send("/start", expecting: "Paid Swift")
            try student.press("Buy · 250 ⭐")
            _ = try #require(try await harness.course("guard-paid-a").bot.eventuallyCall("sendInvoice"))
            guard case .paid = try await student.pay() else { Issue.record("payment refused"); return }
            let notice = try await cora.waitForMessage(containing: "New payment #1")
            let refundData = try #require(notice.buttons.flatMap { $0 }.first { $0.text == "↩️ Refund" }?.callbackData)
            let danCard = try await dan.send("/courses", expecting: "Paid Swift")

            // Dan replays Cora's Refund button: refused by the scene, audited.
            let replayed = ManagerBotTests.forge(refundData, from: 702, on: danCard, harness: harness)
            #expect(try await ManagerBotTests.answered(replayed, containing: "only review the courses you created", harness: harness))
            // Dan names Cora's payment under his own course's hash: the relay refuses it, audited.
            let ownHash = EditorCallback.hash(of: "guard-paid-b")
            _ = ManagerBotTests.forge("r1|f|\(ownHash)|1", from: 702, on: danCard, harness: harness)
            _ = try await dan.waitForMessage(containing: "cannot be refunded from your account")
            let platform = try harness.platform()
            #expect(try await platform.ledger(courseSlug: "guard-paid-a").first?.refunded == false)
            #expect(try await eventually {
                try await platform.auditLog().filter { $0.action == "denied" && $0.actorId == 702 && $0.subject == "guard-paid-a" }.count == 2
            })

            try await cora.press("↩️ Refund", expecting: "Refunding payment #1")
            _ = try await cora.waitForMessage(containing: "Payment #1 refunded")
            #expect(try await eventually {
                try await platform.auditLog().contains { $0.action == "payment.refund" && $0.actorId == 701 && $0.subject == "guard-paid-a" }
            })
        }
    }

    @Test("forged desk and editor buttons from a pending creator, a stranger who never sent /start, and malformed or unicode data are refused; the desk keeps working")
    func forgedPresses() async throws {
        try await ReviewHarness.with(
            managerToken: "5211:TEST-guard-manager", creators: .invite, courses: [("5212:TEST-guard-course-a", Self.yamlA)]
        ) { harness in
            let cora = harness.reviewer(id: 501, name: "Cora")
            let card = try await cora.send("/courses", expecting: "Course A")
            let nia = harness.reviewer(id: 610, name: "Nia")
            try await nia.send("/start", expecting: "sent to the admins")
            let hash = EditorCallback.hash(of: "guard-a")
            let refused = [
                ManagerBotTests.forge("mc:unp:\(hash)", from: 610, on: card, harness: harness),  // pending creator
                ManagerBotTests.forge("mc:cn:\(hash)", from: 611, on: card, harness: harness),  // never sent /start
                ManagerBotTests.forge("mc:bc:\(hash)", from: 611, on: card, harness: harness),
            ]
            for query in refused {
                #expect(try await ManagerBotTests.answered(query, containing: "only manage the courses you created", harness: harness))
            }
            let malformed = [
                "mc:pub:" + String(repeating: "a", count: 80),  // over 64 bytes
                "mc:püb:ü✓",
                "mc:st:\(hash):extra",
                "mc:dc:99999999999999999999",
                "mc:rt:-1",
                "mc:bs:nope",
            ]
            for data in malformed {
                let query = ManagerBotTests.forge(data, from: 501, on: card, harness: harness)
                #expect(try await ManagerBotTests.answered(query, containing: "no longer valid", harness: harness), "\(data)")
            }
            #expect(try await harness.platform().publishFlags().isEmpty)
            let denied = try await harness.platform().auditLog().filter { $0.action == "denied" }
            #expect(denied.count == 3 && denied.allSatisfy { $0.subject == "guard-a" })
            #expect(Set(denied.compactMap(\.actorId)) == [610, 611])
            try await cora.send("/courses", expecting: "Course A")
        }
    }

    @Test("a text as long as Telegram allows is previewed in parts and saved; a question that long is taken too")
    func longTexts() async throws {
        try await ReviewHarness.with(managerToken: "5221:TEST-guard-manager", courses: [("5222:TEST-guard-course-a", Self.yamlA)]) { harness in
            let cora = harness.reviewer(id: 501, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await AuthoringTests.newCourse(cora, title: "Long Course")
            let long = String(repeating: "word ", count: 818) + "end"  // 4,093 characters, as Telegram lets a user send
            try await cora.press("➕ Add step", expecting: "What kind of step")
            try await cora.press("📝 Text", expecting: "step's title")
            try await cora.send("Long", expecting: "step's text")
            _ = cora.send(long)
            let preview = try await cora.waitForMessage { $0.buttonLabels.contains("✅ Save") }
            #expect(preview.body.hasSuffix("end"))
            #expect(cora.messages.contains { $0.body.contains("Preview") && $0.buttonLabels.isEmpty })
            try await cora.press("✅ Save", expecting: "Step 2 added: Long")
            let saved = try await AuthoringTests.course(harness, "long-course")
            #expect(saved.steps.count == 2)

            // A question as long as a message: its detail (question + options + buttons) comes in parts too.
            try await cora.press("➕ Add step", expecting: "What kind of step")
            try await cora.press("❓ Quiz", expecting: "step's title")
            try await cora.send("Check", expecting: "Question 1")
            try await cora.send(long, expecting: "options")
            try await cora.send("yes\nno", expecting: "right answer")
            try await cora.press("▫️ yes", expecting: "right answer")
            try await cora.press("Done ✔️", expecting: "explanation")
            try await cora.press("Skip ⏭", expecting: "Question 1 added")
            try await cora.press("✅ Finish quiz", expecting: "Step 3 added")
            #expect(try await AuthoringTests.course(harness, "long-course").steps.count == 3)
            try await cora.press("✏️ Steps", expecting: "Steps of")
            try await cora.press("✏️ 3", expecting: "What do you want to change")
            try await cora.press("❓ Questions", expecting: "Pass score")
            try cora.press("✏️ 1")
            let detail = try await cora.waitForMessage { $0.buttonLabels.contains("✏️ Question") }
            #expect(detail.body.contains("Explanation:"))
            let parts = Array(cora.messages.suffix(3))
            #expect(parts.first?.body.contains("Question 1 of") == true && parts.contains { $0.body.hasSuffix("end") })
        }
    }
}
