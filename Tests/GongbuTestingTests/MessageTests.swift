import Foundation
import GongbuTesting
import Testing

@Suite("messages and validation")
struct MessageTests {
    @Test("sendMessage returns a Message like Telegram's and the user sees it")
    func sendMessage() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            let ann = bot.user(id: 501, firstName: "Ann")
            ann.send("/start")
            let first = try await client.call(alphaToken, "sendMessage", [
                "chat_id": 501, "text": "<b>Hello</b> &amp; <a href=\"https://example.org\">welcome</a>", "parse_mode": "HTML",
                "reply_markup": ["inline_keyboard": [[["text": "Begin", "callback_data": "begin"]]]],
            ])
            #expect(first.ok)
            let message = try #require(first.result)
            #expect(message["message_id"] == 2)  // the user's /start was 1
            #expect(message["from"]?["id"] == 1001)
            #expect(message["from"]?["is_bot"] == true)
            #expect(message["chat"]?["id"] == 501)
            #expect(message["chat"]?["type"] == "private")
            #expect(message["text"] == "Hello & welcome")
            #expect(message["entities"] == [
                ["offset": 0, "length": 5, "type": "bold"],
                ["offset": 8, "length": 7, "type": "text_link", "url": "https://example.org"],
            ])
            #expect(message["date"]?.intValue != nil)
            let second = try await client.call(alphaToken, "sendMessage", ["chat_id": "501", "text": "Next"])
            #expect(second.result?["message_id"] == 3)
            let seen = try await ann.waitForMessage(containing: "welcome")
            #expect(seen.buttonLabels == ["Begin"])
            #expect(ann.messages.map(\.body) == ["Hello & welcome", "Next"])
        }
    }

    @Test("HTML that Telegram would refuse gets 400 can't parse entities")
    func htmlValidation() async throws {
        try await withEmulator(EmulatorConfiguration(rateLimits: nil)) { emulator, client in
            emulator.addBot(token: alphaToken, username: "alpha_bot").user(id: 501, firstName: "Ann").send("hi")
            let cases: [(String, String)] = [
                ("<div>x</div>", "Unsupported start tag \"div\" at byte offset 0"),
                ("<b>bold", "Can't find end tag corresponding to start tag \"b\""),
                ("a </b>", "Unexpected end tag at byte offset 2"),
                ("<b>x</i>", "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\""),
                ("1 < 2", "Unsupported start tag \"\" at byte offset 2"),
                ("<span>x</span>", "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0"),
                ("<br/>", "Unsupported start tag \"br/\" at byte offset 0"),
            ]
            for (text, reason) in cases {
                let answer = try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": .string(text), "parse_mode": "HTML"])
                #expect(answer.status == 400, "\(text)")
                #expect(answer.description == "Bad Request: can't parse entities: " + reason, "\(text)")
            }
            let accepted = [
                "<strong>a</strong><em>b</em><ins>c</ins><s>d</s><strike>e</strike><del>f</del>",
                "<span class=\"tg-spoiler\">x</span><tg-spoiler>y</tg-spoiler><code>z</code>",
                "<pre><code class=\"language-swift\">let a = 1 &lt; 2</code></pre>",
                "<blockquote expandable>quote</blockquote><blockquote>q</blockquote>",
                "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji> &#128512; &#x1F600; &quot;x&quot; &gt;",
                "Tom & Jerry",
            ]
            for text in accepted {
                let answer = try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": .string(text), "parse_mode": "HTML"])
                #expect(answer.ok, "\(text): \(answer.description ?? "")")
            }
        }
    }

    @Test("missing chat, empty or too long text, bad buttons get Telegram's 400s")
    func badRequests() async throws {
        try await withEmulator { emulator, client in
            emulator.addBot(token: alphaToken, username: "alpha_bot").user(id: 501, firstName: "Ann").send("hi")
            func description(_ parameters: JSONValue) async throws -> String? {
                let answer = try await client.call(alphaToken, "sendMessage", parameters)
                #expect(answer.status == 400)
                return answer.description
            }
            // Missing required fields are refused by the schema check (Telegram's own wording for
            // them is tested with the check off, in SchemaValidationTests).
            #expect(try await description(["text": "x"]) == "Bad Request: sendMessage: required field chat_id missing (not in Bot API 10.1)")
            #expect(try await description(["chat_id": 999, "text": "x"]) == "Bad Request: chat not found")
            #expect(try await description(["chat_id": 501]) == "Bad Request: sendMessage: required field text missing (not in Bot API 10.1)")
            #expect(try await description(["chat_id": 501, "text": "  "]) == "Bad Request: message text is empty")
            #expect(try await description(["chat_id": 501, "text": "<b></b>", "parse_mode": "HTML"]) == "Bad Request: message text is empty")
            #expect(try await description(["chat_id": 501, "text": .string(String(repeating: "a", count: 4097))]) == "Bad Request: message is too long")
            #expect(try await description(["chat_id": 501, "text": "x", "parse_mode": "Klingon"]) == "Bad Request: unsupported parse_mode")
            let longData = String(repeating: "d", count: 65)
            #expect(try await description(["chat_id": 501, "text": "x", "reply_markup": ["inline_keyboard": [[["text": "A", "callback_data": .string(longData)]]]]])
                == "Bad Request: BUTTON_DATA_INVALID")
            #expect(try await description(["chat_id": 501, "text": "x", "reply_markup": ["inline_keyboard": [[["text": "A"]]]]])
                == "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
            // Exactly at the limits is fine: 4096 characters (in UTF-16 units), 64 bytes of data.
            let atLimit = try await client.call(alphaToken, "sendMessage", [
                "chat_id": 501, "text": .string(String(repeating: "é", count: 4096)),
                "reply_markup": ["inline_keyboard": [[["text": "A", "callback_data": .string(String(repeating: "d", count: 64))]]]],
            ])
            #expect(atLimit.ok)
            let longCaption = try await client.call(alphaToken, "sendPhoto", [
                "chat_id": 501, "photo": "https://example.org/cat.jpg", "caption": .string(String(repeating: "c", count: 1025)),
            ])
            #expect(longCaption.description == "Bad Request: message caption is too long")
        }
    }

    @Test("edits apply to the transcript; identical edits are not modified; deletes remove")
    func editAndDelete() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            let ann = bot.user(id: 501, firstName: "Ann")
            let sent = try await client.call(alphaToken, "sendMessage", [
                "chat_id": 501, "text": "Question 1", "reply_markup": ["inline_keyboard": [[["text": "A", "callback_data": "a"]]]],
            ])
            let id = try #require(sent.result?["message_id"])
            let same = try await client.call(alphaToken, "editMessageText", [
                "chat_id": 501, "message_id": id, "text": "Question 1", "reply_markup": ["inline_keyboard": [[["text": "A", "callback_data": "a"]]]],
            ])
            #expect(same.status == 400)
            #expect(same.description?.hasPrefix("Bad Request: message is not modified") == true)
            let edited = try await client.call(alphaToken, "editMessageText", ["chat_id": 501, "message_id": id, "text": "Answered"])
            #expect(edited.result?["text"] == "Answered")
            #expect(edited.result?["edit_date"]?.intValue != nil)
            #expect(edited.result?["reply_markup"] == nil)
            #expect(ann.messages.map(\.body) == ["Answered"])
            #expect(ann.messages.first?.isEdited == true)
            #expect(ann.messages.first?.buttons.isEmpty == true)
            let markup = try await client.call(alphaToken, "editMessageReplyMarkup", [
                "chat_id": 501, "message_id": id, "reply_markup": ["inline_keyboard": [[["text": "Next", "callback_data": "n"]]]],
            ])
            #expect(markup.ok)
            #expect(ann.lastMessage?.buttonLabels == ["Next"])
            let caption = try await client.call(alphaToken, "editMessageCaption", ["chat_id": 501, "message_id": id, "caption": "x"])
            #expect(caption.description == "Bad Request: there is no caption in the message to edit")
            let missing = try await client.call(alphaToken, "editMessageText", ["chat_id": 501, "message_id": 99, "text": "x"])
            #expect(missing.description == "Bad Request: message to edit not found")
            #expect(try await client.call(alphaToken, "deleteMessage", ["chat_id": 501, "message_id": id]).result == true)
            #expect(ann.messages.isEmpty)
            let again = try await client.call(alphaToken, "deleteMessage", ["chat_id": 501, "message_id": id])
            #expect(again.description == "Bad Request: message to delete not found")
        }
    }

    @Test("a user who blocked the bot makes sends answer 403")
    func blockedUser() async throws {
        try await withEmulator { emulator, client in
            let ann = emulator.addBot(token: alphaToken, username: "alpha_bot").user(id: 501, firstName: "Ann")
            ann.block()
            let answer = try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": "hi"])
            #expect(answer.status == 403)
            #expect(answer.json == ["ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"])
            ann.unblock()
            #expect(try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": "hi"]).ok)
            ann.block()
            #expect(try await client.call(alphaToken, "sendChatAction", ["chat_id": 501, "action": "typing"]).status == 403)
            ann.send("/start")  // writing again unblocks, like Telegram's Restart button
            #expect(try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": "welcome back"]).ok)
        }
    }

    @Test("more than the per-chat burst gets 429 with retry_after, counted per bot")
    func perChatFloodLimit() async throws {
        // A slow refill (one token per 30 s) so a loaded machine cannot refill the bucket mid-test.
        var configuration = EmulatorConfiguration()
        configuration.rateLimits = .init(perChat: TokenBucketLimit(capacity: 3, perSecond: 1.0 / 30), perBot: TokenBucketLimit(capacity: 30, perSecond: 30))
        try await withEmulator(configuration) { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            _ = bot.user(id: 501, firstName: "Ann")
            _ = bot.user(id: 502, firstName: "Bo")
            for index in 0..<3 {
                #expect(try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": .string("m\(index)")]).ok)
            }
            let limited = try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": "m3"])
            #expect(limited.status == 429)
            // Seconds until the next token: at most 30 at this refill rate, less if the machine was slow.
            let retryAfter = try #require(limited.json["parameters"]?["retry_after"]?.intValue)
            #expect((1...30).contains(retryAfter))
            #expect(limited.description == "Too Many Requests: retry after \(retryAfter)")
            // Other chats and non-sending methods are not limited.
            #expect(try await client.call(alphaToken, "sendMessage", ["chat_id": 502, "text": "hello"]).ok)
            #expect(try await client.call(alphaToken, "getMe").ok)
            #expect(try await client.call(alphaToken, "sendChatAction", ["chat_id": 501, "action": "typing"]).ok)
            #expect(bot.tooManyRequestsCount == 1)
            #expect(emulator.tooManyRequestsCount(token: alphaToken) == 1)
            try await Task.sleep(for: .seconds(Double(retryAfter) + 0.2))
            #expect(try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": "later"]).ok)
        }
    }

    @Test("the per-bot limit allows 30 messages at once across chats")
    func perBotFloodLimit() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            for id in 1...31 { _ = bot.user(id: Int64(id), firstName: "U\(id)") }
            var statuses: [Int] = []
            for id in 1...31 {
                statuses.append(try await client.call(alphaToken, "sendMessage", ["chat_id": .int(Int64(id)), "text": "x"]).status)
            }
            #expect(statuses.filter { $0 == 200 }.count >= 30)
            #expect(statuses.last == 429 || statuses.allSatisfy { $0 == 200 })
            emulator.setRateLimits(nil)
            for _ in 0..<10 {
                #expect(try await client.call(alphaToken, "sendMessage", ["chat_id": 1, "text": "x"]).ok)
            }
        }
    }

    @Test("null fields in buttons are ignored and the markup comes back normalized")
    func nullFields() async throws {
        try await withEmulator { emulator, client in
            _ = emulator.addBot(token: alphaToken, username: "alpha_bot").user(id: 501, firstName: "Ann")
            let answer = try await client.call(alphaToken, "sendMessage", [
                "chat_id": 501, "text": "x", "parse_mode": nil,
                "reply_markup": ["inline_keyboard": [[["text": "A", "callback_data": "a", "url": nil]]]],
            ])
            #expect(answer.ok, "\(answer.description ?? "")")
            #expect(answer.result?["reply_markup"] == ["inline_keyboard": [[["text": "A", "callback_data": "a"]]]])
            let textOnly = try await client.call(alphaToken, "sendMessage", [
                "chat_id": 501, "text": "x", "reply_markup": ["inline_keyboard": [[["text": "A", "callback_data": nil]]]],
            ])
            #expect(textOnly.description == "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
        }
    }

    @Test("every call is recorded with its parameters and outcome")
    func callRecord() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            _ = bot.user(id: 501, firstName: "Ann")
            _ = try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": "hi"])
            _ = try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": ""])
            let calls = bot.calls(method: "sendMessage")
            #expect(calls.count == 2)
            #expect(calls[0].parameters["text"] == "hi")
            #expect(calls[0].outcome == .success)
            #expect(calls[0].result?["text"] == "hi")
            #expect(calls[1].outcome == .error(code: 400, description: "Bad Request: message text is empty"))
            #expect(emulator.calls(token: alphaToken).count == 2)
        }
    }
}
