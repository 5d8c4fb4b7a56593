import Foundation
import GongbuTesting
import Testing

@Suite("files and faults")
struct FileAndFaultTests {
    @Test("an uploaded document gets a file_id; getFile gives a path that downloads the bytes")
    func uploadAndDownload() async throws {
        try await withEmulator { emulator, client in
            _ = emulator.addBot(token: alphaToken, username: "alpha_bot").user(id: 501, firstName: "Ann")
            let bytes = Data((0..<3000).map { UInt8($0 % 251) })
            let sent = try await client.callMultipart(
                alphaToken, "sendDocument", fields: [("chat_id", "501"), ("caption", "Notes")],
                file: (field: "document", name: "notes.pdf", type: "application/pdf", data: bytes))
            #expect(sent.ok, "\(sent.description ?? "")")
            let document = try #require(sent.result?["document"])
            #expect(document["file_name"] == "notes.pdf")
            #expect(document["mime_type"] == "application/pdf")
            #expect(document["file_size"] == 3000)
            #expect(sent.result?["caption"] == "Notes")
            let fileId = try #require(document["file_id"])
            let file = try await client.call(alphaToken, "getFile", ["file_id": fileId])
            let path = try #require(file.result?["file_path"]?.stringValue)
            #expect(file.result?["file_unique_id"] == document["file_unique_id"])
            let (status, downloaded) = try await client.get("/file/bot\(alphaToken)/\(path)")
            #expect(status == 200)
            #expect(downloaded == bytes)
            // The file id can be sent again without uploading.
            let again = try await client.call(alphaToken, "sendDocument", ["chat_id": 501, "document": fileId])
            #expect(again.result?["document"]?["file_id"] == fileId)
            let wrong = try await client.call(alphaToken, "sendDocument", ["chat_id": 501, "document": "no-such-file"])
            #expect(wrong.description == "Bad Request: wrong file identifier/HTTP URL specified")
            let missing = try await client.call(alphaToken, "sendPhoto", ["chat_id": 501])
            #expect(missing.description == "Bad Request: sendPhoto: required field photo missing (not in Bot API 10.1)")
            let (notFound, _) = try await client.get("/file/bot\(alphaToken)/documents/nothing.bin")
            #expect(notFound == 404)
        }
    }

    @Test("files the user sends are downloadable by the bot")
    func userFiles() async throws {
        try await withEmulator { emulator, client in
            let ann = emulator.addBot(token: alphaToken, username: "alpha_bot").user(id: 501, firstName: "Ann")
            let photo = Data("fake jpeg".utf8)
            ann.sendPhoto(data: photo, caption: "homework")
            ann.sendVoice(data: Data("ogg".utf8))
            let updates = try await client.call(alphaToken, "getUpdates")
            let message = try #require(updates.result?[0]?["message"])
            #expect(message["caption"] == "homework")
            let fileId = try #require(message["photo"]?[0]?["file_id"])
            #expect(updates.result?[1]?["message"]?["voice"]?["mime_type"] == "audio/ogg")
            let path = try #require(try await client.call(alphaToken, "getFile", ["file_id": fileId]).result?["file_path"]?.stringValue)
            let (_, data) = try await client.get("/file/bot\(alphaToken)/\(path)")
            #expect(data == photo)
            let photoMessage = try await client.call(alphaToken, "sendPhoto", ["chat_id": 501, "photo": fileId])
            #expect(photoMessage.ok)
            #expect(ann.lastMessage?.media == .photo)
        }
    }

    @Test("injected status faults answer the next matching calls, then calls succeed again")
    func statusFaults() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            emulator.addBot(token: betaToken, username: "beta_bot")
            emulator.inject(.badGateway, method: "getMe", token: alphaToken, count: 2)
            emulator.inject(.tooManyRequests(retryAfter: 3), method: "sendMessage")
            #expect(try await client.call(betaToken, "getMe").ok)
            let first = try await client.call(alphaToken, "getMe")
            #expect(first.status == 502)
            #expect(first.json == ["ok": false, "error_code": 502, "description": "Bad Gateway"])
            #expect(try await client.call(alphaToken, "getMe").status == 502)
            #expect(try await client.call(alphaToken, "getMe").ok)
            let limited = try await client.call(alphaToken, "sendMessage", ["chat_id": 1, "text": "x"])
            #expect(limited.json == [
                "ok": false, "error_code": 429, "description": "Too Many Requests: retry after 3", "parameters": ["retry_after": 3],
            ])
            #expect(bot.calls(method: "getMe").map(\.outcome) == [.fault("502 Bad Gateway"), .fault("502 Bad Gateway"), .success])
        }
    }

    @Test("dropConnection fails the request at the transport level; delay slows it")
    func transportFaults() async throws {
        try await withEmulator { emulator, client async throws in
            emulator.addBot(token: alphaToken, username: "alpha_bot")
            emulator.inject(.dropConnection, method: "getMe")
            await #expect(throws: (any Error).self) { _ = try await client.call(alphaToken, "getMe") }
            #expect(try await client.call(alphaToken, "getMe").ok)
            emulator.inject(.delay(.milliseconds(400)), method: "getMe")
            let started = ContinuousClock.now
            #expect(try await client.call(alphaToken, "getMe").ok)
            #expect(ContinuousClock.now - started >= .milliseconds(400))
        }
    }

    @Test("profile methods store commands, names and descriptions")
    func profile() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            let commands: JSONValue = [["command": "start", "description": "Begin"], ["command": "progress", "description": "Progress"]]
            #expect(try await client.call(alphaToken, "setMyCommands", ["commands": commands]).result == true)
            #expect(try await client.call(alphaToken, "setMyCommands", ["commands": commands, "language_code": "ru"]).ok)
            #expect(try await client.call(alphaToken, "getMyCommands").result == commands)
            let bad = try await client.call(alphaToken, "setMyCommands", ["commands": [["command": "Bad Command", "description": "x"]]])
            #expect(bad.description == "Bad Request: BOT_COMMAND_INVALID")
            #expect(try await client.call(alphaToken, "setMyName", ["name": "Swift Course"]).ok)
            #expect(try await client.call(alphaToken, "setMyDescription", ["description": "Learn Swift"]).ok)
            #expect(try await client.call(alphaToken, "setMyShortDescription", ["short_description": "Swift"]).ok)
            #expect(try await client.call(alphaToken, "getMyName").result == ["name": "Swift Course"])
            #expect(bot.profile.names == ["": "Swift Course"])
            #expect(bot.profile.descriptions == ["": "Learn Swift"])
            #expect(bot.profile.shortDescriptions == ["": "Swift"])
            #expect(bot.profile.commands["ru"] == commands)
        }
    }
}
