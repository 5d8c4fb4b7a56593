import Foundation
import GongbuTesting
import Storage
import Testing

/// `gongbu export SLUG` through the built binary, after real purchases in the runtime: the JSON
/// shape of contract §8 (students and payments) and CSV with one row per student.
@Suite("Payments export", .timeLimit(.minutes(3)))
struct PaymentExportTests {
    @Test("export --format json|csv: students with steps_done/steps_total/score/completed, payments with charge id, item, amount, refunded")
    func export() async throws {
        try await ReviewHarness.with(
            managerToken: "4361:TEST-export-manager", courses: [("4362:TEST-export-course", PaymentTests.paidYAML(slug: "export-course"))]
        ) { harness in
            let buyer = harness.student("export-course", id: 9301, name: "Ann")
            try await buyer.send("/start", expecting: "Paid Swift")
            try buyer.press("Buy · 250 ⭐")
            _ = try await buyer.waitForMessage { $0.json["invoice"] != nil }
            guard case .paid(let record) = try await buyer.pay() else { Issue.record("refused"); return }
            _ = try await buyer.waitForMessage(containing: "Step 1/2")
            try await buyer.press("Next ▶️", expecting: "Step 2/2")
            let browser = harness.student("export-course", id: 9302, name: "Ben")
            try await browser.send("/start", expecting: "Paid Swift")
            try browser.press("Buy · 250 ⭐")  // an invoice only: nothing open, nothing paid
            _ = try await browser.waitForMessage { $0.json["invoice"] != nil }
            let platform = try harness.platform()
            #expect(try await eventually { try await platform.ledger(courseSlug: "export-course").count == 1 })
            #expect(try await eventually { try await harness.store("export-course").progress()[9301]?.count == 2 })

            let config = URL(fileURLWithPath: harness.root).appendingPathComponent("bots.yaml")
            try """
                data_dir: data
                bots:
                  - token: "4362:TEST-export-course"
                    course: export-course
                """.write(to: config, atomically: true, encoding: .utf8)
            let json = try await GongbuBinary.run(["export", "export-course", "--config", config.path])
            #expect(json.status == 0, "stderr: \(json.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["course"] as? String == "export-course")
            let students = try #require(object["students"] as? [[String: Any]])
            let ann = try #require(students.first { $0["user_id"] as? Int == 9301 })
            #expect(ann["steps_done"] as? Int == 2 && ann["steps_total"] as? Int == 2 && ann["completed"] as? Bool == true)
            #expect(ann.keys.sorted() == ["completed", "score", "steps_done", "steps_total", "user_id"])
            let payments = try #require(object["payments"] as? [[String: Any]])
            #expect(payments.count == 1)
            let payment = try #require(payments.first)
            #expect(payment.keys.sorted() == ["amount", "currency", "item", "refunded", "telegram_payment_charge_id", "user_id"])
            #expect(payment["telegram_payment_charge_id"] as? String == record.telegramPaymentChargeId)
            #expect(payment["item"] as? String == "course" && payment["amount"] as? Int == 250 && payment["currency"] as? String == "XTR")
            #expect(payment["refunded"] as? Bool == false && payment["user_id"] as? Int == 9301)

            let csv = try await GongbuBinary.run(["export", "export-course", "--config", config.path, "--format", "csv"])
            #expect(csv.status == 0, "stderr: \(csv.stderr)")
            let lines = csv.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "user_id,steps_done,steps_total,score,completed")
            #expect(lines.contains("9301,2,2,,true"))
            #expect(lines.count == 1 + students.count)

            let unknown = try await GongbuBinary.run(["export", "no-such-course", "--config", config.path])
            #expect(unknown.status == 1 && unknown.stderr.contains("no-such-course"))
        }
    }
}
