import Foundation
import GongbuTesting
import Storage
import Testing

/// Managed Bots end to end: Connect offers a `request_managed_bot` button, the creator creates the
/// bot in (emulated) Telegram, Gongbu fetches its token on the `managed_bot` update, binds it to
/// the course and starts it without a restart; rotating the token (from the card, or in
/// @BotFather) keeps it serving with the new token while the old one is revoked; no token is ever
/// written to a log or a message.
@Suite("Managed bots", .timeLimit(.minutes(2)))
struct ManagedBotTests {
    static let yaml = reviewCourseYAML(slug: "swift-basics", title: "Swift Basics", creator: 501)

    /// The tokens the emulator made for managed bots all contain this.
    static let tokenMark = "EMU-"

    /// Whether no log line, message to the creator or audit entry holds a token.
    static func noTokenLeaked(_ harness: ReviewHarness, creator: ScriptedUser) async throws -> Bool {
        let logs = harness.logs.all.allSatisfy { !$0.contains(tokenMark) && !$0.contains("TEST-managed") }
        let messages = creator.messages.allSatisfy { !$0.body.contains(tokenMark) }
        let audit = try await harness.platform().auditLog().allSatisfy { !($0.details ?? "").contains(tokenMark) }
        return logs && messages && audit
    }

    @Test("Connect → request_managed_bot → the created bot teaches at once; rotation from the card and in @BotFather keeps it serving")
    func createConnectRotate() async throws {
        try await ReviewHarness.with(managerToken: "5201:TEST-managed-manager", courses: [("5202:TEST-managed-course", Self.yaml)]) { harness in
            let cora = harness.reviewer(id: 501, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            try await cora.send("/courses", expecting: "Swift Basics")
            let offer = try await cora.press("🤖 Connect bot", expecting: "Create the course bot")
            #expect(offer.body.contains("paste its token"))
            let offered = try #require(harness.manager.calls(method: "sendMessage").last { $0.parameters["reply_markup"]?.structured?["keyboard"] != nil })
            let button = try #require(offered.parameters["reply_markup"]?.structured?["keyboard"]?[0]?[0])
            #expect(button["text"] == "🤖 Create the course bot")
            #expect(button["request_managed_bot"]?["suggested_name"] == "Swift Basics")
            #expect(button["request_managed_bot"]?["suggested_username"] == "swift_basics_bot")
            #expect(button["request_managed_bot"]?["request_id"]?.intValue != nil)

            // The creator creates the bot in Telegram; Gongbu binds and starts it.
            let bot = try harness.emulator.createManagedBot(by: cora, pressing: "🤖 Create the course bot")
            bot.setRateLimits(nil)
            let connected = try await cora.waitForMessage(containing: "now teaches")
            #expect(connected.body.contains("@swift_basics_bot") && connected.body.contains("Swift Basics"))
            #expect(harness.manager.calls(method: "getManagedBotToken").filter(\.succeeded).count == 1)
            let student = bot.user(id: 9201, firstName: "Sam")
            try await student.send("/start", expecting: "Start")
            try await student.press("Start", expecting: "Intro")
            #expect(try await eventually { try await harness.store("swift-basics").progress()[9201]?.contains("intro") == true })
            #expect(try await eventually { bot.calls(method: "setMyName").contains { $0.parameters["name"]?.stringValue == "Swift Basics" } })
            #expect(!bot.calls(method: "setMyDescription").isEmpty)
            #expect(try await eventually { !bot.calls(method: "setMyCommands").isEmpty })
            let platform = try harness.platform()
            #expect(try await platform.connectedBots().map(\.courseSlug) == ["swift-basics"])
            #expect(try await platform.managedBotIds() == [bot.id])
            #expect(try await platform.auditLog().contains { $0.action == "bot.connect" && $0.actorId == 501 && ($0.details ?? "").contains("managed") })

            // 🔄 Rotate token on the card: a new token, the old one revoked, the bot keeps serving.
            let first = try #require(harness.emulator.managedBotToken(botId: bot.id))
            let card = try await cora.send("/courses", expecting: "Swift Basics")
            #expect(card.buttonLabels.contains("🔄 Rotate token @swift_basics_bot"))
            try await cora.press("🔄 Rotate token @swift_basics_bot", expecting: "has a new token")
            let second = try #require(harness.emulator.managedBotToken(botId: bot.id))
            // (Compared as Bools: a failed expectation must not print a token.)
            let replaced = second != first
            let oldRevoked = harness.emulator.isRevoked(token: first)
            let stored = try await platform.connectedBots().first?.token == second
            #expect(replaced && oldRevoked && stored)
            try await student.press("Next ▶️", expecting: "Essay")
            try await bot.user(id: 9202, firstName: "Lee").send("/start", expecting: "Start")

            // Rotated by the owner in @BotFather: the managed_bot update brings the new token live.
            let third = try harness.emulator.rotateManagedBotToken(botId: bot.id)
            #expect(try await eventually { try await platform.connectedBots().first?.token == third })
            try await bot.user(id: 9203, firstName: "Max").send("/start", expecting: "Start")
            let actions = try await platform.auditLog().map(\.action)
            #expect(actions.contains("bot.token_rotated") && actions.contains("bot.token_updated"))

            // Kept over a restart, with the latest token.
            try await harness.restart()
            try await bot.user(id: 9204, firstName: "Ivy").send("/start", expecting: "Start")
            #expect(try await Self.noTokenLeaked(harness, creator: cora))
            #expect(harness.emulator.schemaViolations.isEmpty)
        }
    }

    @Test("a managed_bot update with no Connect before it binds nothing; a creator without courses is not offered the button")
    func notBound() async throws {
        try await ReviewHarness.with(managerToken: "5211:TEST-managed-manager", courses: [("5212:TEST-managed-course", Self.yaml)]) { harness in
            let cora = harness.reviewer(id: 501, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            // A managed_bot update with no Connect before it: nothing is bound, the creator is told.
            let stray = harness.emulator.addBot(token: "5219:TEST-managed-stray", username: "stray_course_bot")
            harness.manager.enqueueUpdate(["managed_bot": [
                "user": ["id": 501, "is_bot": false, "first_name": "Cora", "language_code": "en"],
                "bot": ["id": .int(stray.id), "is_bot": true, "first_name": "Stray", "username": "stray_course_bot"],
            ]])
            _ = try await cora.waitForMessage(containing: "not clear which course")
            #expect(harness.manager.calls(method: "getManagedBotToken").isEmpty)
            // Dan is not the course's creator: his Connect is refused, so a bot he creates is not bound.
            let dan = harness.reviewer(id: 502, name: "Dan")
            try await dan.send("/start", expecting: "Gongbu manager")
            try await dan.send("/connect", expecting: "no courses yet")
            #expect(try await harness.platform().connectedBots().isEmpty)
            #expect(try await Self.noTokenLeaked(harness, creator: cora))
        }
    }
}
