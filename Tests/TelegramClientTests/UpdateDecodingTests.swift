import Foundation
import Testing
import TelegramBotAPI
@testable import TelegramClient

@Suite struct UpdateDecodingTests {
    func decode(_ json: String) throws -> Update {
        try JSONDecoder().decode(Update.self, from: Data(json.utf8))
    }

    @Test func messageWithUnknownFieldsDecodes() throws {
        let update = try decode("""
            {"update_id": 10, "brand_new_field": {"x": 1},
             "message": {"message_id": 5, "date": 1700000000, "future_field": [1, 2],
               "chat": {"id": 42, "type": "private", "first_name": "Ann", "accent_color_id": 3},
               "from": {"id": 42, "is_bot": false, "first_name": "Ann", "language_code": "ru"},
               "text": "/start@GongbuBot course-1",
               "entities": [{"type": "bot_command", "offset": 0, "length": 15}]}}
            """)
        #expect(update.updateId == 10)
        #expect(update.kindName == "message")
        let message = try #require(update.message)
        #expect(message.chat.id == 42)
        #expect(message.chat.isPrivate)
        #expect(message.from?.languageCode == "ru")
        #expect(message.command == "start")
        #expect(message.commandArgument == "course-1")
        #expect(message.entities?.first?.type == "bot_command")
        #expect(update.chatId == 42)
        #expect(update.sender?.id == 42)
    }

    @Test func unknownKindDecodesAsUnknown() throws {
        let update = try decode("""
            {"update_id": 11, "chat_boost": {"chat": {"id": 1, "type": "channel"}, "boost": {}}}
            """)
        #expect(update.updateId == 11)
        #expect(update.kind == .unknown)
        #expect(update.kindName == "unknown")
        #expect(update.chatId == nil)
    }

    @Test func callbackQueryOnInaccessibleMessage() throws {
        let update = try decode("""
            {"update_id": 12, "callback_query": {"id": "cq1", "chat_instance": "ci",
              "from": {"id": 7, "is_bot": false, "first_name": "Bo"}, "data": "v1:next:3",
              "message": {"chat": {"id": 7, "type": "private"}, "message_id": 99, "date": 0}}}
            """)
        let query = try #require(update.callbackQuery)
        #expect(query.data == "v1:next:3")
        #expect(query.message?.isAccessible == false)
        #expect(update.chatId == 7)
    }

    @Test func paymentAndPreCheckoutDecode() throws {
        let payment = try decode("""
            {"update_id": 13, "message": {"message_id": 6, "date": 1, "chat": {"id": 8, "type": "private"},
              "successful_payment": {"currency": "XTR", "total_amount": 250, "invoice_payload": "course:1",
                "telegram_payment_charge_id": "tg-1", "provider_payment_charge_id": "",
                "subscription_expiration_date": 1800000000, "is_recurring": true}}}
            """)
        let paid = try #require(payment.message?.successfulPayment)
        #expect(paid.totalAmount == 250)
        #expect(paid.telegramPaymentChargeId == "tg-1")
        #expect(paid.isRecurring == true)

        let check = try decode("""
            {"update_id": 14, "pre_checkout_query": {"id": "pc1", "currency": "XTR", "total_amount": 50,
              "invoice_payload": "step:bonus", "from": {"id": 8, "is_bot": false, "first_name": "C"}}}
            """)
        guard case .preCheckoutQuery(let query) = check.kind else {
            Issue.record("expected a pre_checkout_query, got \(check.kindName)")
            return
        }
        #expect(query.invoicePayload == "step:bonus")
        #expect(check.chatId == 8)
    }

    @Test func myChatMemberAndPollAnswerDecode() throws {
        let blocked = try decode("""
            {"update_id": 15, "my_chat_member": {"chat": {"id": 9, "type": "private"}, "date": 3,
              "from": {"id": 9, "is_bot": false, "first_name": "D"},
              "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": true, "first_name": "Bot"}},
              "new_chat_member": {"status": "kicked", "until_date": 0,
                                  "user": {"id": 1, "is_bot": true, "first_name": "Bot"}}}}
            """)
        guard case .myChatMember(let change) = blocked.kind else {
            Issue.record("expected my_chat_member, got \(blocked.kindName)")
            return
        }
        #expect(change.newChatMember.isGone)
        #expect(!change.oldChatMember.isGone)

        let answer = try decode("""
            {"update_id": 16, "poll_answer": {"poll_id": "p1", "option_ids": [2],
              "option_persistent_ids": ["c"], "user": {"id": 5, "is_bot": false, "first_name": "E"}}}
            """)
        guard case .pollAnswer(let vote) = answer.kind else {
            Issue.record("expected poll_answer, got \(answer.kindName)")
            return
        }
        #expect(vote.optionIds == [2])
        #expect(answer.chatId == 5)
    }

    @Test func updateRoundTripsThroughJSON() throws {
        let original = Update(updateId: 20, kind: .message(Message(
            messageId: 1, from: User(id: 3, firstName: "F"), date: 100, chat: Chat(id: 3), text: "hi",
            replyMarkup: InlineKeyboardMarkup(inlineKeyboard: [[.callback("Next", data: "n")]]))))
        let data = try JSONEncoder().encode(original)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"update_id\":20"))
        #expect(text.contains("\"callback_data\":\"n\""))
        #expect(try JSONDecoder().decode(Update.self, from: data) == original)
    }

    @Test func malformedElementOfABatchBecomesUnknownWithItsId() throws {
        let body = """
            {"ok": true, "result": [
              {"update_id": 30, "message": {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}, "text": "a"}},
              {"update_id": 31, "message": {"message_id": "not a number", "chat": {}}},
              {"update_id": 32, "callback_query": {"id": "x"}},
              {"no_id": true},
              {"update_id": 33, "poll": {"id": "p", "question": "q", "options": [], "total_voter_count": 0,
                "is_closed": false, "is_anonymous": false, "type": "quiz", "allows_multiple_answers": false}}
            ]}
            """
        let envelope = try JSONDecoder().decode(APIResponse<[LenientUpdate]>.self, from: Data(body.utf8))
        let elements = try #require(envelope.result)
        #expect(elements.count == 5)
        let updates = elements.compactMap(\.update)
        #expect(updates.map(\.updateId) == [30, 31, 32, 33])
        #expect(updates.map(\.kindName) == ["message", "unknown", "unknown", "poll"])
        #expect(elements[1].problem != nil)
        #expect(elements[3].update == nil)
        #expect(elements[0].problem == nil)
    }

    @Test func errorEnvelopeDecodes() throws {
        let body = """
            {"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 7",
             "parameters": {"retry_after": 7}}
            """
        let envelope = try JSONDecoder().decode(APIResponse<Bool>.self, from: Data(body.utf8))
        #expect(!envelope.ok)
        #expect(envelope.result == nil)
        #expect(envelope.errorCode == 429)
        #expect(envelope.parameters?.retryAfter == 7)
    }

    @Test func editResultIsMessageOrTrue() throws {
        let done = try JSONDecoder().decode(APIResponse<EditResult>.self, from: Data(#"{"ok":true,"result":true}"#.utf8))
        #expect(done.result == .done)
        let edited = try JSONDecoder().decode(APIResponse<EditResult>.self, from: Data("""
            {"ok":true,"result":{"message_id":4,"date":1,"chat":{"id":2,"type":"private"},"text":"new"}}
            """.utf8))
        #expect(edited.result?.message?.text == "new")
    }
}
