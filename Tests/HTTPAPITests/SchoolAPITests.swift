import Foundation
import GongbuTesting
import Manifests
import Storage
import Testing

/// Reviews, refunds, statistics, students and broadcasts over HTTP, carried out by the same
/// services as in the manager bot: the student hears of them in the course bot.
@Suite("Workspace school", .serialized, .timeLimit(.minutes(3)))
struct SchoolAPITests {
    static let manager = "7401:TEST-api-school-manager"

    static let reviewYAML = """
        slug: essays
        title: Essays
        language: en
        creator: 801
        steps:
          - id: intro
            type: text
            title: Intro
            text: Hello.
          - id: essay
            type: assignment
            title: Essay
            text: Send your essay.
            accept: [text, photo]
            review: creator
          - id: after
            type: text
            title: After
            text: Well done, you made it.

        """

    static let paidYAML = """
        slug: paid-web
        title: Paid Web
        description: A paid course.
        creator: 801
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

    @Test("a submission listed by GET /reviews, approved by POST /reviews/:id, reaches the student; another creator cannot decide it; stats and students follow")
    func reviewOverHTTP() async throws {
        try await APIHarness.with(managerToken: Self.manager, courses: [(token: "7402:TEST-api-essays-bot", yaml: Self.reviewYAML)]) { api in
            let cora = try await api.signIn(801, name: "Cora")
            let dan = try await api.signIn(802, name: "Dan")
            let student = api.courseBot("essays").user(id: 6001, firstName: "Ann")
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Intro")
            try await student.press("Next ▶️", expecting: "Send your essay")
            try await student.send("My essay about let and var", expecting: "awaits review")

            #expect(try await eventually { try await api.call("GET", "/reviews", token: cora).json?["reviews"]?.arrayValue?.count == 1 })
            let reviews = try await api.call("GET", "/reviews", token: cora)
            let item = try #require(reviews.json?["reviews"]?.arrayValue?.first)
            #expect(item["text"] == .string("My essay about let and var") && item["user_id"] == .int(6001) && item["course"] == .string("essays"))
            let id = try #require(item["id"]?.stringValue)
            #expect(try await api.call("GET", "/reviews", token: dan).json?["reviews"]?.arrayValue?.isEmpty == true)
            #expect(try await api.call("POST", "/reviews/\(id)", token: dan, json: #"{"verdict":"approve"}"#).status == 404)
            let noComment = try await api.call("POST", "/reviews/\(id)", token: cora, json: #"{"verdict":"reject"}"#)
            #expect(noComment.status == 422 && noComment.errorField == "comment")
            let badVerdict = try await api.call("POST", "/reviews/\(id)", token: cora, json: #"{"verdict":"maybe"}"#)
            #expect(badVerdict.status == 422 && badVerdict.errorField == "verdict")

            let approved = try await api.call("POST", "/reviews/\(id)", token: cora, json: #"{"verdict":"approve","comment":"Nice work"}"#)
            #expect(approved.status == 202, "\(approved.text)")
            let verdict = try await student.waitForMessage(containing: "is approved", timeout: ScriptedUser.patience)
            #expect(verdict.body.contains("Nice work"), "\(verdict.body)")
            #expect(try await eventually { try await api.platform().auditLog().contains { $0.action == "review.approve" && $0.actorId == 801 } })
            #expect(try await eventually { try await api.call("GET", "/reviews", token: cora).json?["reviews"]?.arrayValue?.isEmpty == true })
            let again = try await api.call("POST", "/reviews/\(id)", token: cora, json: #"{"verdict":"approve"}"#)
            #expect(again.status == 409)

            let stats = try await api.call("GET", "/courses/essays/stats", token: cora)
            #expect(stats.status == 200 && stats.json?["students"] == .int(1), "\(stats.text)")
            #expect(stats.json?["funnel"]?.arrayValue?.map { $0["step_id"]?.stringValue } == ["intro", "essay", "after"])
            let students = try await api.call("GET", "/courses/essays/students", token: cora)
            #expect(students.json?["students"]?.arrayValue?.first?["user_id"] == .int(6001), "\(students.text)")
            let one = try await api.call("GET", "/courses/essays/students/6001", token: cora)
            #expect(one.status == 200 && one.json?["submissions"]?.arrayValue?.count == 1, "\(one.text)")
            #expect(try await api.call("GET", "/courses/essays/students/6001", token: dan).status == 404)
            #expect(try await api.call("GET", "/courses/essays/students/9999", token: cora).status == 404)

            // A photo submission: its file is served to the reviewer, to no one else.
            #expect(try await api.call("GET", "/reviews/\(id)/file", token: cora).status == 404)
            let photo = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: UInt8(9), count: 80))
            let ben = api.courseBot("essays").user(id: 6002, firstName: "Ben")
            try await ben.send("/start", expecting: "Start")
            try await ben.press("Start", expecting: "Intro")
            try await ben.press("Next ▶️", expecting: "Send your essay")
            ben.sendPhoto(data: photo, caption: "my drawing")
            _ = try await ben.waitForMessage(containing: "awaits review", timeout: ScriptedUser.patience)
            #expect(try await eventually {
                try await api.call("GET", "/reviews", token: cora).json?["reviews"]?.arrayValue?.contains { $0["has_file"] == .bool(true) } == true
            })
            let photoReview = try #require(try await api.call("GET", "/reviews", token: cora).json?["reviews"]?.arrayValue?.first { $0["has_file"] == .bool(true) })
            let photoId = try #require(photoReview["id"]?.stringValue)
            let file = try await api.call("GET", "/reviews/\(photoId)/file", token: cora)
            #expect(file.status == 200 && file.bytes == [UInt8](photo), "\(file.status) \(file.bytes.count) bytes")
            #expect(try await api.call("GET", "/reviews/\(photoId)/file", token: dan).status == 404)

            let broadcast = try await api.call("POST", "/courses/essays/broadcasts", token: cora, json: #"{"text":"Class is **on** tomorrow."}"#)
            #expect(broadcast.status == 202, "\(broadcast.text)")
            let bid = try #require(broadcast.json?["id"]?.intValue)
            _ = try await student.waitForMessage(containing: "Class is on tomorrow.", timeout: ScriptedUser.patience)
            _ = try await ben.waitForMessage(containing: "Class is on tomorrow.", timeout: ScriptedUser.patience)
            #expect(try await eventually { try await api.call("GET", "/courses/essays/broadcasts/\(bid)", token: cora).json?["delivered"] == .int(2) })
            #expect(try await api.call("GET", "/courses/essays/broadcasts/\(bid)", token: dan).status == 404)
            let empty = try await api.call("POST", "/courses/essays/broadcasts", token: cora, json: #"{"text":"  "}"#)
            #expect(empty.status == 422 && empty.errorField == "text")
        }
    }

    @Test("a Stars payment listed by GET /courses/:id/payments and refunded by POST /payments/:chargeId/refund: Telegram refunds, the student is told")
    func refundOverHTTP() async throws {
        try await APIHarness.with(managerToken: Self.manager, courses: [(token: "7403:TEST-api-paid-bot", yaml: Self.paidYAML)]) { api in
            let cora = try await api.signIn(801, name: "Cora")
            let dan = try await api.signIn(802, name: "Dan")
            let bot = api.courseBot("paid-web")
            let student = bot.user(id: 6101, firstName: "Pay")
            try await student.send("/start", expecting: "Paid Web")
            try student.press("Buy · 250 ⭐")
            _ = try await student.waitForMessage(timeout: ScriptedUser.patience) { $0.json["invoice"] != nil }
            guard case .paid(let record) = try await student.pay() else { Issue.record("payment refused"); return }
            _ = try await student.waitForMessage(containing: "Step 1/2 · Intro", timeout: ScriptedUser.patience)
            #expect(try await eventually { try await api.call("GET", "/courses/paid-web/payments", token: cora).json?["payments"]?.arrayValue?.count == 1 })
            let payments = try await api.call("GET", "/courses/paid-web/payments", token: cora)
            let payment = try #require(payments.json?["payments"]?.arrayValue?.first)
            #expect(payment["amount"] == .int(250) && payment["currency"] == .string("XTR") && payment["refunded"] == .bool(false))
            let charge = try #require(payment["telegram_payment_charge_id"]?.stringValue)
            #expect(charge == record.telegramPaymentChargeId)
            #expect(try await api.call("POST", "/payments/\(charge)/refund", token: dan).status == 404)
            #expect(try await api.call("POST", "/payments/no-such-charge/refund", token: cora).status == 404)
            let refund = try await api.call("POST", "/payments/\(charge)/refund", token: cora)
            #expect(refund.status == 202, "\(refund.text)")
            _ = try await student.waitForMessage(containing: "Your payment was refunded", timeout: ScriptedUser.patience)
            #expect(bot.payments.first { $0.telegramPaymentChargeId == charge }?.refunded == true)
            #expect(try await eventually { try await api.call("GET", "/courses/paid-web/payments", token: cora).json?["payments"]?.arrayValue?.first?["refunded"] == .bool(true) })
            #expect(try await api.call("POST", "/payments/\(charge)/refund", token: cora).status == 409)
            let stats = try await api.call("GET", "/courses/paid-web/stats", token: cora)
            #expect(stats.json?["revenue"]?.arrayValue?.isEmpty == true, "\(stats.text)")
        }
    }
}
