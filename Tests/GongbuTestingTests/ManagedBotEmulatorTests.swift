import Foundation
import GongbuTesting
import Testing

/// The emulator's Managed Bots: a scripted user creates a bot from a `request_managed_bot`
/// reply-keyboard button, the managing bot hears of it and alone may fetch or replace its token,
/// and a replaced token stops working at once.
@Suite("managed bots in the emulator")
struct ManagedBotEmulatorTests {
    static let keyboard: JSONValue = [
        "keyboard": [[["text": "Create", "request_managed_bot": ["request_id": 1, "suggested_name": "Swift Basics", "suggested_username": "swift_basics_bot"]]]],
        "one_time_keyboard": true,
    ]

    @Test("a user creates the bot from the button; only the managing bot gets its token; replacing it revokes the old one")
    func createFetchReplace() async throws {
        try await withEmulator { emulator, client in
            let manager = emulator.addBot(token: alphaToken, username: "alpha_bot")
            emulator.addBot(token: betaToken, username: "beta_bot")
            let cora = manager.user(id: 501, firstName: "Cora")
            #expect(throws: ManagedBotError.noSuchButton(label: "Create", available: [])) {
                try emulator.createManagedBot(by: cora, pressing: "Create")
            }
            let sent = try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": "Create your bot", "reply_markup": Self.keyboard])
            #expect(sent.ok)
            #expect(sent.result?["reply_markup"] == nil)

            let bot = try emulator.createManagedBot(by: cora, pressing: "Create")
            #expect(bot.username == "swift_basics_bot")
            #expect(bot.profile.names[""] == "Swift Basics")
            let updates = try await client.call(alphaToken, "getUpdates")
            let kinds = (updates.result?.arrayValue ?? []).compactMap { $0.objectValue?.keys.first { $0 != "update_id" } }
            #expect(kinds == ["message", "managed_bot"])
            #expect(updates.result?[0]?["message"]?["managed_bot_created"]?["bot"]?["id"] == .int(bot.id))
            let change = try #require(updates.result?[1]?["managed_bot"])
            #expect(change["user"]?["id"] == 501 && change["bot"]?["id"] == .int(bot.id) && change["bot"]?["is_bot"] == true)
            // The button is used up with its one-time keyboard.
            #expect(throws: ManagedBotError.self) { try emulator.createManagedBot(by: cora, pressing: "Create") }

            let fetched = try await client.call(alphaToken, "getManagedBotToken", ["user_id": .int(bot.id)])
            let token = try #require(fetched.result?.stringValue)
            let current = token.hasPrefix("\(bot.id):") && token == emulator.managedBotToken(botId: bot.id)
            #expect(current)
            #expect(try await client.call(token, "getMe").result?["username"] == "swift_basics_bot")
            let stranger = try await client.call(betaToken, "getManagedBotToken", ["user_id": .int(bot.id)])
            #expect(stranger.status == 400 && stranger.description == "Bad Request: BOT_NOT_MANAGED")
            let unknown = try await client.call(alphaToken, "getManagedBotToken", ["user_id": 42])
            #expect(unknown.status == 400)
            let malformed = try await client.call(alphaToken, "getManagedBotToken", ["user_id": "many"])
            #expect(malformed.status == 400 && !emulator.schemaViolations.isEmpty)

            let replaced = try await client.call(alphaToken, "replaceManagedBotToken", ["user_id": .int(bot.id)])
            let newToken = try #require(replaced.result?.stringValue)
            let fresh = newToken != token && newToken.hasPrefix("\(bot.id):")
            #expect(fresh)
            #expect(emulator.isRevoked(token: token) && !emulator.isRevoked(token: newToken))
            #expect(try await client.call(token, "getMe").status == 401)
            #expect(try await client.call(newToken, "getMe").result?["id"] == .int(bot.id))
            // The same bot answers the new token: its chats go on.
            let sam = bot.user(id: 9001, firstName: "Sam")
            sam.send("/start")
            let pending = try await client.call(newToken, "getUpdates")
            #expect(pending.result?[0]?["message"]?["text"] == "/start")
            // The managing bot hears of the new token; the owner may rotate it too.
            let after = try await client.call(alphaToken, "getUpdates", ["offset": .int((updates.result?[1]?["update_id"]?.intValue ?? 0) + 1)])
            #expect(after.result?[0]?["managed_bot"]?["bot"]?["id"] == .int(bot.id))
            let third = try emulator.rotateManagedBotToken(botId: bot.id)
            let rotated = emulator.isRevoked(token: newToken) && third != newToken
            #expect(rotated)
            #expect(throws: ManagedBotError.notManaged(botId: 77)) { try emulator.rotateManagedBotToken(botId: 77) }
        }
    }

    @Test("request_managed_bot buttons are checked like Telegram: request id range and suggested username")
    func buttonChecks() async throws {
        try await withEmulator { emulator, client in
            emulator.addBot(token: alphaToken, username: "alpha_bot")
            _ = try emulator.user(id: 501, firstName: "Cora", bot: alphaToken)
            func send(_ request: JSONValue) async throws -> EmulatorClient.Answer {
                try await client.call(alphaToken, "sendMessage", [
                    "chat_id": 501, "text": "Create", "reply_markup": ["keyboard": [[["text": "Create", "request_managed_bot": request]]]],
                ])
            }
            #expect(try await send(["request_id": 1, "suggested_username": "swift_basics_bot"]).ok)
            #expect(try await send(["request_id": 1]).ok)
            #expect(try await send(["request_id": 1, "suggested_username": "swift_basics"]).description == "Bad Request: BOT_USERNAME_INVALID")
            #expect(try await send(["request_id": 1, "suggested_username": "1swift_bot"]).status == 400)
            #expect(try await send(["request_id": 3_000_000_000]).description == "Bad Request: BUTTON_ID_INVALID")
            #expect(emulator.schemaViolations.isEmpty)
        }
    }
}
