import Foundation
import GongbuTesting
import Testing

@Suite("scripted users")
struct ScriptedUserTests {
    @Test("press() sends a callback_query with the button's data; answers are observable")
    func pressButton() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            let ann = try emulator.user(id: 501, firstName: "Ann", bot: alphaToken)
            let sent = try await client.call(alphaToken, "sendMessage", [
                "chat_id": 501, "text": "Pick one",
                "reply_markup": ["inline_keyboard": [[["text": "Yes", "callback_data": "v1:yes"], ["text": "No", "callback_data": "v1:no"]],
                                                     [["text": "Site", "url": "https://example.org"]]]],
            ])
            let pressed = try ann.press("No")
            #expect(pressed.data == "v1:no")
            let updates = try await client.call(alphaToken, "getUpdates")
            let query = try #require(updates.result?[0]?["callback_query"])
            #expect(query["data"] == "v1:no")
            #expect(query["id"]?.stringValue == pressed.callbackQueryId)
            #expect(query["from"]?["id"] == 501)
            #expect(query["from"]?["first_name"] == "Ann")
            #expect(query["message"]?["message_id"] == sent.result?["message_id"])
            #expect(query["chat_instance"]?.stringValue?.isEmpty == false)
            async let answer = ann.waitForCallbackAnswer(pressed)
            let answered = try await client.call(alphaToken, "answerCallbackQuery", ["callback_query_id": .string(pressed.callbackQueryId), "text": "Saved"])
            #expect(answered.result == true)
            #expect(try await answer.text == "Saved")
            let twice = try await client.call(alphaToken, "answerCallbackQuery", ["callback_query_id": .string(pressed.callbackQueryId)])
            #expect(twice.description == "Bad Request: query is too old and response timeout expired or query ID is invalid")
            #expect(throws: ScriptedUserError.noSuchButton(label: "Maybe", available: ["Yes", "No", "Site"])) { try ann.press("Maybe") }
            #expect(throws: ScriptedUserError.notACallbackButton(label: "Site")) { try ann.press("Site") }
            _ = bot
        }
    }

    @Test("waitForMessage wakes on the bot's reply and times out with the transcript")
    func waiting() async throws {
        try await withEmulator { emulator, client in
            let ann = emulator.addBot(token: alphaToken, username: "alpha_bot").user(id: 501, firstName: "Ann")
            _ = try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": "Old news"])
            ann.send("/start")
            async let reply = ann.waitForMessage(containing: "Welcome")
            try await Task.sleep(for: .milliseconds(50))
            _ = try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": "Welcome, Ann"])
            #expect(try await reply.text == "Welcome, Ann")
            // Messages from before the user's last action do not count.
            ann.send("again")
            do {
                _ = try await ann.waitForMessage(containing: "Old news", timeout: .milliseconds(200))
                Issue.record("expected a timeout")
            } catch let error as ScriptedUserError {
                let text = String(describing: error)
                #expect(text.contains("waiting for a message containing \"Old news\""))
                #expect(text.contains("\"Welcome, Ann\""))
            }
            let all = try await ann.waitForMessageCount(2)
            #expect(all.map(\.body) == ["Old news", "Welcome, Ann"])
        }
    }

    @Test("pay() runs pre_checkout_query, waits for the answer, then sends successful_payment")
    func payment() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            let ann = bot.user(id: 501, firstName: "Ann")
            let invoice = try await client.call(alphaToken, "sendInvoice", [
                "chat_id": 501, "title": "Swift course", "description": "All lessons", "payload": "course:swift:501",
                "provider_token": "", "currency": "XTR", "prices": [["label": "Course", "amount": 150]],
            ])
            #expect(invoice.result?["invoice"]?["total_amount"] == 150)
            #expect(invoice.result?["invoice"]?["currency"] == "XTR")
            async let outcome = ann.pay()
            let query = try await nextUpdate(client, kind: "pre_checkout_query")
            #expect(query["total_amount"] == 150)
            #expect(query["invoice_payload"] == "course:swift:501")
            #expect(query["from"]?["id"] == 501)
            let id = try #require(query["id"])
            #expect(try await client.call(alphaToken, "answerPreCheckoutQuery", ["pre_checkout_query_id": id, "ok": true]).result == true)
            guard case .paid(let record) = try await outcome else { Issue.record("not paid"); return }
            #expect(record.totalAmount == 150)
            let message = try await nextUpdate(client, kind: "message")
            let payment = try #require(message["successful_payment"])
            #expect(payment["telegram_payment_charge_id"]?.stringValue == record.telegramPaymentChargeId)
            #expect(payment["invoice_payload"] == "course:swift:501")
            #expect(payment["currency"] == "XTR")
            #expect(payment["subscription_expiration_date"] == nil)
            #expect(bot.payments == [record])

            let refund = ["user_id": 501, "telegram_payment_charge_id": JSONValue.string(record.telegramPaymentChargeId)] as JSONValue
            #expect(try await client.call(alphaToken, "refundStarPayment", refund).result == true)
            #expect(bot.payments.first?.refunded == true)
            #expect(try await client.call(alphaToken, "refundStarPayment", refund).description == "Bad Request: CHARGE_ALREADY_REFUNDED")
        }
    }

    @Test("a refused pre-checkout query sends no payment; subscriptions carry their fields")
    func refusedAndSubscription() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            let ann = bot.user(id: 501, firstName: "Ann")
            _ = try await client.call(alphaToken, "sendInvoice", [
                "chat_id": 501, "title": "Course", "description": "d", "payload": "p", "currency": "XTR",
                "prices": [["label": "Course", "amount": 10]],
            ])
            async let refused = ann.pay()
            let query = try await nextUpdate(client, kind: "pre_checkout_query")
            _ = try await client.call(alphaToken, "answerPreCheckoutQuery", [
                "pre_checkout_query_id": try #require(query["id"]), "ok": false, "error_message": "Sold out",
            ])
            #expect(try await refused == .refused(errorMessage: "Sold out"))
            #expect(bot.payments.isEmpty)

            let link = try await client.call(alphaToken, "createInvoiceLink", [
                "title": "Club", "description": "Monthly", "payload": "sub", "currency": "XTR",
                "prices": [["label": "Month", "amount": 50]], "subscription_period": 2_592_000,
            ])
            let url = try #require(link.result?.stringValue)
            async let subscribed = ann.pay(invoiceLink: url)
            let second = try await nextUpdate(client, kind: "pre_checkout_query")
            _ = try await client.call(alphaToken, "answerPreCheckoutQuery", ["pre_checkout_query_id": try #require(second["id"]), "ok": true])
            guard case .paid(let record) = try await subscribed else { Issue.record("not paid"); return }
            #expect(record.subscriptionExpirationDate != nil)
            let message = try await nextUpdate(client, kind: "message")
            #expect(message["successful_payment"]?["is_recurring"] == true)
            #expect(message["successful_payment"]?["is_first_recurring"] == true)
            #expect(message["successful_payment"]?["subscription_expiration_date"]?.intValue == Int64(record.subscriptionExpirationDate!))

            let badPayload = try await client.call(alphaToken, "sendInvoice", [
                "chat_id": 501, "title": "Course", "description": "d", "payload": .string(String(repeating: "p", count: 129)),
                "currency": "XTR", "prices": [["label": "Course", "amount": 10]],
            ])
            #expect(badPayload.description == "Bad Request: INVOICE_PAYLOAD_INVALID")
            let badPeriod = try await client.call(alphaToken, "createInvoiceLink", [
                "title": "Club", "description": "Monthly", "payload": "sub", "currency": "XTR",
                "prices": [["label": "Month", "amount": 50]], "subscription_period": 60,
            ])
            #expect(badPeriod.description == "Bad Request: SUBSCRIPTION_PERIOD_INVALID")
        }
    }

    @Test("quiz polls: sendPoll, answerPoll gives a poll_answer, stopPoll closes")
    func quiz() async throws {
        try await withEmulator { emulator, client in
            let ann = emulator.addBot(token: alphaToken, username: "alpha_bot").user(id: 501, firstName: "Ann")
            let sent = try await client.call(alphaToken, "sendPoll", [
                "chat_id": 501, "question": "2 + 2?", "options": [["text": "3"], ["text": "4"]], "type": "quiz",
                "correct_option_ids": [1], "is_anonymous": false,
            ])
            let poll = try #require(sent.result?["poll"])
            #expect(poll["type"] == "quiz")
            #expect(poll["correct_option_ids"] == [1])
            try ann.answerPoll(optionIds: [1])
            let answer = try await nextUpdate(client, kind: "poll_answer")
            #expect(answer["poll_id"] == poll["id"])
            #expect(answer["option_ids"] == [1])
            #expect(answer["user"]?["id"] == 501)
            let stopped = try await client.call(alphaToken, "stopPoll", ["chat_id": 501, "message_id": try #require(sent.result?["message_id"])])
            #expect(stopped.result?["is_closed"] == true)
            #expect(stopped.result?["total_voter_count"] == 1)
            let noCorrect = try await client.call(alphaToken, "sendPoll", [
                "chat_id": 501, "question": "?", "options": [["text": "a"], ["text": "b"]], "type": "quiz",
            ])
            #expect(noCorrect.status == 400)
        }
    }

    @Test("sendSticker gives the bot a Bot API 10.1 sticker message it can download with getFile")
    func sticker() async throws {
        try await withEmulator { emulator, client in
            let ann = emulator.addBot(token: alphaToken, username: "alpha_bot").user(id: 501, firstName: "Ann")
            ann.sendSticker(emoji: "🎉", data: Data("webp".utf8))
            let message = try #require(try await client.call(alphaToken, "getUpdates").result?[0]?["message"])
            #expect(try BotAPISchema.load().problems(type: "Message", value: message) == [])
            let sticker = try #require(message["sticker"])
            #expect(sticker["emoji"] == "🎉" && sticker["is_animated"] == false && sticker["type"] == "regular")
            #expect(message["caption"] == nil && message["document"] == nil)
            let fileId = try #require(sticker["file_id"])
            let path = try #require(try await client.call(alphaToken, "getFile", ["file_id": fileId]).result?["file_path"]?.stringValue)
            #expect(try await client.get("/file/bot\(alphaToken)/\(path)").1 == Data("webp".utf8))
        }
    }
}

/// Long-polls (briefly) until an update of `kind` arrives; confirms everything before it.
func nextUpdate(_ client: EmulatorClient, kind: String, token: String = alphaToken) async throws -> JSONValue {
    var offset: Int64 = 0
    for _ in 0..<20 {
        let answer = try await client.call(token, "getUpdates", ["offset": .int(offset), "timeout": 1])
        for update in answer.result?.arrayValue ?? [] {
            offset = max(offset, (update["update_id"]?.intValue ?? 0) + 1)
            if let body = update[kind] {
                _ = try await client.call(token, "getUpdates", ["offset": .int(offset)])
                return body
            }
        }
    }
    throw WaitTimeout()
}
