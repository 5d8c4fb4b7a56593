import Foundation
import GongbuTesting
import Testing

/// What the playground reads from the emulator: a chat's whole transcript (the user's messages
/// too), a wait that wakes on the chat's next change, pop-up answers, files, and presses and
/// payments aimed at one message.
@Suite("chat observers")
struct ChatObserverTests {
    @Test("a snapshot holds user and bot messages in order; a wait wakes on a bot message, an edit and a pop-up, and times out on silence")
    func snapshotsAndWaits() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            let ann = bot.user(id: 501, firstName: "Ann")
            let empty = bot.snapshot(chatId: 501)
            #expect(empty.entries.isEmpty)
            #expect(await bot.waitForChange(chatId: 501, from: empty.version, timeout: .milliseconds(200)) == nil)

            ann.send("/start")
            bot.notifyObservers(chatId: 501)
            let afterUser = bot.snapshot(chatId: 501)
            #expect(afterUser.version != empty.version)
            #expect(afterUser.entries.map(\.fromBot) == [false])

            // A bot message wakes a waiter at once.
            async let woke = bot.waitForChange(chatId: 501, from: afterUser.version, timeout: .seconds(10))
            let keyboard: JSONValue = ["inline_keyboard": [[["text": "Go", "callback_data": "go"], ["text": "Stay", "callback_data": "stay"]]]]
            let sent = try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": "<b>Hi</b>", "parse_mode": "HTML", "reply_markup": keyboard])
            #expect(sent.ok)
            #expect(await woke != nil)
            let withReply = bot.snapshot(chatId: 501)
            #expect(withReply.entries.map(\.fromBot) == [false, true])
            let reply = try #require(withReply.entries.last)
            #expect(reply.json["entities"]?[0]?["type"] == "bold")

            // The older message's second button, pressed by its data; the answer is a pop-up.
            let pressed = try ann.press(messageId: reply.messageId, callbackData: "stay")
            #expect(pressed.data == "stay")
            #expect(throws: ScriptedUserError.self) { try ann.press(messageId: reply.messageId, callbackData: "nope") }
            async let answered = bot.waitForChange(chatId: 501, from: withReply.version, timeout: .seconds(10))
            _ = try await client.call(alphaToken, "answerCallbackQuery", ["callback_query_id": .string(pressed.callbackQueryId), "text": "Staying"])
            #expect(await answered != nil)
            let withPopup = bot.snapshot(chatId: 501)
            #expect(withPopup.callbackAnswers.map(\.answer.text) == ["Staying"])

            // An edit changes the message's changeSeq and wakes a waiter.
            async let edited = bot.waitForChange(chatId: 501, from: withPopup.version, timeout: .seconds(10))
            _ = try await client.call(alphaToken, "editMessageText", ["chat_id": 501, "message_id": .int(Int64(reply.messageId)), "text": "Bye"])
            #expect(await edited != nil)
            let final = try #require(bot.snapshot(chatId: 501).entries.last)
            #expect(final.changeSeq > reply.changeSeq)
            #expect(final.chatMessage.isEdited)
        }
    }

    @Test("an invoice is paid by its message id (pre-checkout, then successful_payment); a user's file is readable by its id")
    func payByMessageAndFiles() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            let ann = bot.user(id: 501, firstName: "Ann")
            ann.send("/start")
            for (payload, amount) in [("first", 5), ("second", 7)] {
                let invoice = try await client.call(alphaToken, "sendInvoice", [
                    "chat_id": 501, "title": "Step", "description": "A step", "payload": .string(payload), "currency": "XTR",
                    "prices": [["label": "Step", "amount": .int(Int64(amount))]],
                ])
                #expect(invoice.ok)
            }
            let first = try #require(bot.snapshot(chatId: 501).entries.first { $0.json["invoice"]?["total_amount"] == 5 })
            async let outcome = ann.pay(messageId: first.messageId, timeout: .seconds(10))
            // The /start message and then the pre-checkout query wait for the bot.
            try await waitUntil(timeout: .seconds(15)) { bot.pendingUpdateCount >= 2 }
            let updates = try await client.call(alphaToken, "getUpdates", ["allowed_updates": ["pre_checkout_query"]])
            let query = try #require(updates.result?.arrayValue?.compactMap { $0["pre_checkout_query"] }.last)
            #expect(query["invoice_payload"] == "first")
            _ = try await client.call(alphaToken, "answerPreCheckoutQuery", ["pre_checkout_query_id": query["id"] ?? .null, "ok": true])
            guard case .paid(let record) = try await outcome else { Issue.record("not paid"); return }
            #expect(record.totalAmount == 5)
            #expect(bot.snapshot(chatId: 501).entries.contains { $0.json["successful_payment"]?["invoice_payload"] == "first" })
            await #expect(throws: ScriptedUserError.self) { try await ann.pay(messageId: 1, timeout: .seconds(1)) }

            let id = ann.sendDocument(data: Data("notes".utf8), fileName: "notes.txt", mimeType: "text/plain")
            let message = try #require(bot.snapshot(chatId: 501).entries.first { $0.messageId == id })
            let fileId = try #require(message.json["document"]?["file_id"]?.stringValue)
            let file = try #require(bot.file(id: fileId))
            #expect(file.data == Data("notes".utf8))
            #expect(file.fileName == "notes.txt")
            #expect(bot.file(id: "nope") == nil)
        }
    }
}
