import Foundation
import GongbuTesting
import Storage
import Testing

/// The manager bot's background work (the review relay) runs beside the bots, not inside the
/// manager bot's worker: with the manager token refused (401) every course bot keeps serving and
/// a submission waits, queued for its reviewer, until the manager bot works again.
@Suite("Manager bot outage", .timeLimit(.minutes(2)))
struct ManagerOutageTests {
    static let yamlA = reviewCourseYAML(slug: "outage-a", title: "Course A", creator: 701)
    static let yamlB = reviewCourseYAML(slug: "outage-b", title: "Course B", creator: 701)

    @Test("a revoked manager token stops only the manager bot; a submission made meanwhile reaches the reviewer after a restart with a working token")
    func revokedManager() async throws {
        try await ReviewHarness.with(
            managerToken: "4601:TEST-outage-manager", courses: [("4602:TEST-outage-a", Self.yamlA), ("4603:TEST-outage-b", Self.yamlB)]
        ) { harness in
            let creator = harness.reviewer(id: 701, name: "Cora")
            try await creator.send("/start", expecting: "Gongbu manager")
            harness.emulator.revoke(token: harness.managerToken)
            // The manager worker's next poll is refused and it stops for good.
            #expect(try await eventually { harness.logs.all.contains { $0.contains("Telegram refused the token (401)") } })
            #expect(try await eventually { !harness.manager.isPolling })

            // Every course bot still serves: both students reach the assignment and submit.
            let ann = harness.student("outage-a", id: 9601, name: "Ann")
            try await ReviewTests.reachAssignment(ann)
            try await ann.send("Essay while the manager bot is down", expecting: "awaits review")
            let bob = harness.student("outage-b", id: 9602, name: "Bob")
            try await ReviewTests.reachAssignment(bob)
            try await bob.send("Another essay", expecting: "awaits review")

            // The relay still queued the notices, in the manager bot's outbox, where they wait.
            let storeA = try harness.store("outage-a")
            let storeB = try harness.store("outage-b")
            #expect(try await eventually { try await storeA.submissions().first?.notifiedAt != nil })
            #expect(try await eventually { try await storeB.submissions().first?.notifiedAt != nil })
            let platform = try harness.platform()
            let managerBotId: Int64 = 4601
            #expect(try await platform.chats.pendingCount(botId: managerBotId) >= 2)
            #expect(!creator.messages.contains { $0.body.contains("New submission") })

            // The token works again (the emulator lifts the revocation); the process is restarted.
            harness.emulator.addBot(token: harness.managerToken, username: "manager_4601_bot")
            try await harness.restart()
            let noticeA = try await creator.waitForMessage(containing: "Course A")
            #expect(noticeA.body.contains("New submission") && noticeA.body.contains("Ann"))
            let noticeB = try await creator.waitForMessage(containing: "Course B")
            #expect(noticeB.body.contains("New submission") && noticeB.body.contains("Bob"))
            // Each notice once, though it waited across the outage and a restart.
            #expect(creator.messages.filter { $0.body.contains("New submission") }.count == 2)

            // And the verdict goes through as usual.
            try await creator.press("✅ Approve", expecting: "Write a comment")
            try await creator.press("Skip", expecting: "approved")
            _ = try await bob.waitForMessage(containing: "is approved")
            #expect(harness.logs.all.allSatisfy { !$0.contains("TEST-outage") })
        }
    }
}

/// Nothing polls: an idle runtime does not open a quiet course database (no timer walks the
/// courses), and a submission still reaches its reviewer at once, woken by the commit itself.
@Suite("Idle course databases", .timeLimit(.minutes(2)))
struct IdleDatabaseTests {
    static let slugs = ["quiet-a", "quiet-b", "quiet-c"]

    /// File descriptors of this process on the course database (the runtime runs in the test process).
    static func openHandles(_ harness: ReviewHarness, _ slug: String) -> Int {
        let path = DataPaths(dataDir: harness.dataDir).courseDatabase(slug: slug)
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.filter { name in
            guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name) else { return false }
            return link == path || link == target
        }.count
    }

    @Test("quiet course databases stay closed while idle; a submission opens only its own and reaches the reviewer")
    func quietStaysClosed() async throws {
        try await ReviewHarness.with(
            managerToken: "4611:TEST-quiet-manager",
            courses: Self.slugs.enumerated().map { ("46\(12 + $0.offset):TEST-quiet-\($0.offset)", reviewCourseYAML(slug: $0.element, title: "Quiet \($0.offset)", creator: 711)) }
        ) { harness in
            let creator = harness.reviewer(id: 711, name: "Cora")
            try await creator.send("/start", expecting: "Gongbu manager")
            #expect(try await eventually { harness.courses.allSatisfy { $0.bot.isPolling } })
            // Background jobs run every 0.1 s in this harness: a second idle is many rounds of any polling.
            try await Task.sleep(for: .seconds(1.5))
            for slug in Self.slugs {
                #expect(Self.openHandles(harness, slug) == 0, "\(slug) was opened while idle")
            }

            let student = harness.student("quiet-b", id: 9611, name: "Ann")
            try await ReviewTests.reachAssignment(student)
            try await student.send("An essay", expecting: "awaits review")
            let notice = try await creator.waitForMessage(containing: "New submission")
            #expect(notice.body.contains("Quiet 1") && notice.body.contains("Ann"))
            #expect(Self.openHandles(harness, "quiet-b") > 0)
            try await Task.sleep(for: .seconds(1))
            #expect(Self.openHandles(harness, "quiet-a") == 0)
            #expect(Self.openHandles(harness, "quiet-c") == 0)
        }
    }
}
