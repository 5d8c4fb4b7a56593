import Foundation
import GongbuTesting
import Testing

@Suite("Bot API 10.1 schema")
struct SchemaValidationTests {
    @Test("the emulator validates calls by default, against shared/telegram/bot-api-10.1.json")
    func validatesByDefault() async throws {
        #expect(FileManager.default.fileExists(atPath: BotAPISchema.defaultURL.path))
        let schema = try BotAPISchema.load()
        #expect(schema.version == "Bot API 10.1")
        #expect(schema.hasMethod("sendMessage") && schema.hasMethod("SENDMESSAGE"))
        #expect(!schema.hasMethod("sendTelepathy"))
        #expect(schema.hasType("BotCommandScope") && schema.hasType("Update"))
        try await withEmulator { emulator, _ in
            #expect(emulator.isValidatingSchema)
        }
    }

    @Test("a made-up field or a wrong type is refused with 400 and recorded")
    func violationsAreRefusedAndRecorded() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            let ann = bot.user(id: 501, firstName: "Ann")
            ann.send("hi")

            let madeUp = try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": "x", "parseMode": "HTML"])
            #expect(madeUp.status == 400)
            #expect(madeUp.description == "Bad Request: sendMessage.parseMode: not a field of Bot API 10.1")

            let wrongType = try await client.call(alphaToken, "deleteMessage", ["chat_id": 501, "message_id": "9"])
            #expect(wrongType.status == 400)
            #expect(wrongType.description == #"Bad Request: deleteMessage.message_id: "9" is not Integer (not in Bot API 10.1)"#)

            let nested = try await client.call(alphaToken, "sendMessage", [
                "chat_id": 501, "text": "x",
                "reply_markup": ["inline_keyboard": [[["text": "A", "callback": "a"]]]],
            ])
            #expect(nested.status == 400)
            let nestedProblem = "sendMessage.reply_markup.inline_keyboard[0][0].callback: not a field of InlineKeyboardButton"

            #expect(bot.schemaViolations == [
                "sendMessage.parseMode: not a field of Bot API 10.1",
                #"deleteMessage.message_id: "9" is not Integer"#,
                nestedProblem,
            ])
            #expect(emulator.schemaViolations.count == 3)
            #expect(emulator.schemaViolations.allSatisfy { $0.hasPrefix("1001:*** ") })
            #expect(!emulator.schemaViolations.joined().contains("TEST-token"))
            // Refused calls are recorded as such and change nothing.
            #expect(bot.calls.map(\.outcome).allSatisfy { $0 != .success })
            #expect(bot.calls(method: "sendMessage").count == 2)
            #expect(ann.messages.isEmpty)
        }
    }

    @Test("correct calls pass, in JSON, form, query string and multipart")
    func correctCallsPass() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            bot.user(id: 501, firstName: "Ann").send("hi")
            let json = try await client.call(alphaToken, "sendMessage", [
                "chat_id": 501, "text": "<b>Hi</b>", "parse_mode": "HTML", "protect_content": true,
                "link_preview_options": ["is_disabled": true],
                "reply_markup": ["inline_keyboard": [[["text": "A", "callback_data": "a"], ["text": "B", "url": "https://e.org"]]]],
            ])
            #expect(json.ok, "\(json.description ?? "")")
            // Text fields are read like Telegram reads them: numbers and booleans as text, objects as JSON text.
            let form = try await client.callForm(alphaToken, "sendMessage", [
                ("chat_id", "501"), ("text", "x"), ("disable_notification", "true"),
                ("reply_markup", #"{"keyboard":[[{"text":"Yes"}]],"resize_keyboard":true}"#),
            ])
            #expect(form.ok, "\(form.description ?? "")")
            let (status, _) = try await client.get("/bot\(alphaToken)/getUpdates?offset=-1&limit=1&timeout=0")
            #expect(status == 200)
            let scoped = try await client.call(alphaToken, "setMyCommands", [
                "commands": [["command": "start", "description": "Start"]],
                "scope": ["type": "chat", "chat_id": 501], "language_code": "en",
            ])
            #expect(scoped.ok, "\(scoped.description ?? "")")
            let upload = try await client.callMultipart(
                alphaToken, "sendPhoto", fields: [("chat_id", "501"), ("caption", "cat")],
                file: (field: "photo", name: "cat.png", type: "image/png", data: Data([0x89, 0x50])))
            #expect(upload.ok, "\(upload.description ?? "")")
            #expect(bot.schemaViolations == [])
            #expect(emulator.schemaViolations == [])
        }
    }

    @Test("text-encoded values must parse as their type; uploads must be file fields or attached")
    func textAndUploadViolations() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            bot.user(id: 501, firstName: "Ann").send("hi")
            let badBool = try await client.callForm(alphaToken, "sendMessage", [
                ("chat_id", "501"), ("text", "x"), ("disable_notification", "maybe"),
            ])
            #expect(badBool.description == #"Bad Request: sendMessage.disable_notification: "maybe" is not Boolean (not in Bot API 10.1)"#)
            let badMarkup = try await client.callForm(alphaToken, "sendMessage", [
                ("chat_id", "501"), ("text", "x"), ("reply_markup", #"{"inline_keyboard":[[{"text":"A","callback_data":7}]]}"#),
            ])
            #expect(badMarkup.status == 400)
            let badLimit = try await client.get("/bot\(alphaToken)/getUpdates?limit=many")
            #expect(badLimit.0 == 400)
            let strayFile = try await client.callMultipart(
                alphaToken, "sendPhoto", fields: [("chat_id", "501"), ("photo", "attach://cat")],
                file: (field: "picture", name: "cat.png", type: "image/png", data: Data([1])))
            #expect(strayFile.status == 400)
            #expect(bot.schemaViolations == [
                #"sendMessage.disable_notification: "maybe" is not Boolean"#,
                "sendMessage.reply_markup.inline_keyboard[0][0].callback_data: 7 is not String",
                #"getUpdates.limit: "many" is not Integer"#,
                "sendPhoto.picture: not a field of Bot API 10.1, and no attach://picture refers to it",
            ])
        }
    }

    @Test("with validatesSchema off, unknown fields are ignored and handlers answer in Telegram's words")
    func validationOff() async throws {
        try await withEmulator(EmulatorConfiguration(validatesSchema: false)) { emulator, client in
            #expect(!emulator.isValidatingSchema)
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            bot.user(id: 501, firstName: "Ann").send("hi")
            let lenient = try await client.call(alphaToken, "sendMessage", ["chat_id": 501, "text": "x", "parseMode": "HTML"])
            #expect(lenient.ok)
            let noChat = try await client.call(alphaToken, "sendMessage", ["text": "x"])
            #expect(noChat.description == "Bad Request: chat_id is empty")
            let noText = try await client.call(alphaToken, "sendMessage", ["chat_id": 501])
            #expect(noText.description == "Bad Request: message text is empty")
            let noPhoto = try await client.call(alphaToken, "sendPhoto", ["chat_id": 501])
            #expect(noPhoto.description == "Bad Request: there is no photo in the request")
            #expect(bot.schemaViolations == [])
        }
    }

    @Test("the checker reads unions by their tag, Float and Boolean, and explains nested problems")
    func checkerDetails() throws {
        let schema = try BotAPISchema.load()
        // BotCommandScopeChat needs chat_id; the tag picks the member.
        #expect(schema.problems(method: "setMyCommands", parameters: [
            "commands": [], "scope": ["type": "chat"],
        ]) == ["setMyCommands.scope: required field chat_id of BotCommandScopeChat missing"])
        #expect(schema.problems(method: "setMyCommands", parameters: [
            "commands": [], "scope": ["type": "all_private_chats"],
        ]) == [])
        #expect(!schema.problems(method: "setMyCommands", parameters: [
            "commands": [], "scope": ["type": "everyone"],
        ]).isEmpty)
        // Float takes integers and decimals; Integer only integers; Boolean only booleans.
        #expect(schema.problems(method: "sendLocation", parameters: ["chat_id": 1, "latitude": 1, "longitude": .double(2.5)]) == [])
        #expect(schema.problems(method: "sendLocation", parameters: ["chat_id": 1, "latitude": .double(1.5), "longitude": "2"]).count == 1)
        #expect(schema.problems(type: "ReplyKeyboardRemove", value: ["remove_keyboard": true]) == [])
        #expect(schema.problems(type: "ReplyKeyboardRemove", value: ["remove_keyboard": "yes"])
            == [#"ReplyKeyboardRemove.remove_keyboard: "yes" is not Boolean"#])
        // null counts as absent.
        #expect(schema.problems(method: "sendMessage", parameters: ["chat_id": 1, "text": "x", "parse_mode": nil]) == [])
        #expect(schema.problems(method: "sendMessage", parameters: ["chat_id": 1, "text": nil])
            == ["sendMessage: required field text missing"])
        // Method names are case-insensitive, like Telegram's.
        #expect(schema.problems(method: "SendMessage", parameters: ["chat_id": 1, "text": "x"]) == [])
        #expect(schema.problems(method: "sendTelepathy", parameters: [:]) == ["unknown method sendTelepathy"])
        // An upload must be a file field or be referred to by attach://.
        #expect(schema.problems(method: "sendMediaGroup", parameters: [
            "chat_id": 1, "media": .string(#"[{"type":"photo","media":"attach://a"},{"type":"photo","media":"attach://b"}]"#),
        ], textFields: ["chat_id", "media"], uploads: ["a", "b"]) == [])
        #expect(schema.problems(method: "sendMessage", parameters: ["chat_id": 1, "text": "x"], uploads: ["text"])
            == ["sendMessage.text: a file upload is not String"])
    }

    @Test("an explicit schema path is honoured; a missing file turns validation off with a warning")
    func explicitPath() async throws {
        #expect(throws: BotAPISchema.LoadError.self) {
            try BotAPISchema.load(from: URL(fileURLWithPath: "/nonexistent/bot-api.json"))
        }
        let emulator = BotAPIEmulator(configuration: EmulatorConfiguration(
            schemaURL: URL(fileURLWithPath: "/nonexistent/bot-api.json")))
        #expect(!emulator.isValidatingSchema)
        let explicit = BotAPIEmulator(configuration: EmulatorConfiguration(schemaURL: BotAPISchema.defaultURL))
        #expect(explicit.isValidatingSchema)
    }
}
