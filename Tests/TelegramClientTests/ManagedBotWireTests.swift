import Foundation
import GongbuTesting
import Testing
import TelegramBotAPI

/// The Managed Bots wire types (Bot API 9.6+) checked against Bot API 10.1: the
/// `request_managed_bot` keyboard button, the `managed_bot` update, the `managed_bot_created`
/// service message, and the two token methods.
@Suite struct ManagedBotWireTests {
    static let user = WireTypeSpecTests.user
    static let bot = User(id: 8801, isBot: true, firstName: "Swift Basics", username: "swift_basics_bot")

    @Test func keyboardButtonMatchesBotAPI101() throws {
        let spec = try BotAPISchema.load()
        let request = KeyboardButtonRequestManagedBot(requestId: -7, suggestedName: "Swift Basics", suggestedUsername: "swift_basics_bot")
        let keyboard = ReplyKeyboardMarkup(
            keyboard: [[KeyboardButton(text: "Create", requestManagedBot: request)]], resizeKeyboard: true, oneTimeKeyboard: true)
        let json = try JSONEncoder().encode(keyboard)
        #expect(try spec.problems(type: "ReplyKeyboardMarkup", json: json).isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let button = try #require((object["keyboard"] as? [[[String: Any]]])?.first?.first)
        let encoded = try #require(button["request_managed_bot"] as? [String: Any])
        #expect(encoded["request_id"] as? Int == -7)
        #expect(encoded["suggested_name"] as? String == "Swift Basics")
        #expect(encoded["suggested_username"] as? String == "swift_basics_bot")
        #expect(try JSONDecoder().decode(ReplyKeyboardMarkup.self, from: json) == keyboard)
        // Only the request id is required.
        let bare = try JSONEncoder().encode(KeyboardButtonRequestManagedBot(requestId: 1))
        #expect(try spec.problems(type: "KeyboardButtonRequestManagedBot", json: bare).isEmpty)
        #expect(try !spec.problems(type: "KeyboardButtonRequestManagedBot", json: Data(#"{"request_id":"1"}"#.utf8)).isEmpty)
    }

    @Test func updateAndServiceMessageMatchBotAPI101() throws {
        let spec = try BotAPISchema.load()
        let update = Update(updateId: 40, kind: .managedBot(ManagedBotUpdated(user: Self.user, bot: Self.bot)))
        let json = try JSONEncoder().encode(update)
        #expect(try spec.problems(type: "Update", json: json).isEmpty)
        #expect(try JSONDecoder().decode(Update.self, from: json) == update)
        #expect(update.kindName == "managed_bot" && Update.handledKinds.contains("managed_bot"))
        let raw = Data(#"{"update_id":41,"managed_bot":{"user":{"id":7,"is_bot":false,"first_name":"Ann"},"bot":{"id":8801,"is_bot":true,"first_name":"B","username":"b_bot"}}}"#.utf8)
        guard case .managedBot(let change) = try JSONDecoder().decode(Update.self, from: raw).kind else {
            Issue.record("managed_bot decoded as another kind")
            return
        }
        #expect(change.user.id == 7 && change.bot.id == 8801 && change.bot.username == "b_bot")

        let chat = WireTypeSpecTests.chat
        let message = Message(messageId: 3, from: Self.user, date: 1_700_000_000, chat: chat, managedBotCreated: ManagedBotCreated(bot: Self.bot))
        let messageJSON = try JSONEncoder().encode(message)
        #expect(try spec.problems(type: "Message", json: messageJSON).isEmpty)
        #expect(try JSONDecoder().decode(Message.self, from: messageJSON).managedBotCreated?.bot.id == 8801)
        #expect(try spec.problems(type: "ManagedBotCreated", json: try JSONEncoder().encode(ManagedBotCreated(bot: Self.bot))).isEmpty)
    }

    @Test func tokenMethodsMatchBotAPI101() throws {
        let spec = try BotAPISchema.load()
        for encoded in [try GetManagedBotToken(userId: 8801).encoded(), try ReplaceManagedBotToken(userId: 8801).encoded()] {
            #expect(try spec.problems(method: encoded.name, json: encoded.json).isEmpty, "\(encoded.name)")
            #expect(String(decoding: encoded.json, as: UTF8.self) == #"{"user_id":8801}"#)
        }
        #expect(GetManagedBotToken.name == "getManagedBotToken" && ReplaceManagedBotToken.name == "replaceManagedBotToken")
    }

    @Test("suggested usernames are valid Telegram bot usernames", arguments: [
        ("swift-basics", "swift_basics_bot"), ("desk-a", "desk_a_bot"), ("robot", "robot"), ("42-things", "course_42_things_bot"),
        ("a", "a_bot"), ("Über Kurs!", "ber_kurs_bot"), ("", "course_bot"),
        (String(repeating: "long-", count: 12), "long_long_long_long_long_lon_bot"),
    ])
    func suggestedUsernames(slug: String, expected: String) {
        let name = KeyboardButtonRequestManagedBot.suggestedUsername(from: slug)
        #expect(name == expected)
        #expect((5...32).contains(name.count))
        #expect(name.hasSuffix("bot") && name.first?.isLetter == true)
        #expect(name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
    }
}
