import AsyncHTTPClient
import Foundation
import GongbuTesting
import Logging
import Testing
import TelegramBotAPI
import TelegramClient

/// The real HTTP client against the Bot API emulator on loopback: requests, uploads, long polls
/// and every error class, checking that no error text carries the token.
@Suite(.serialized) struct ClientAgainstEmulatorTests {
    static let secret = "1001:TEST-token-alpha"

    /// Runs `body` with a started emulator, a registered bot and a client for it; stops everything after.
    func withClient(
        _ body: (BotAPIEmulator, EmulatedBot, HTTPBotAPIClient, Counter) async throws -> Void
    ) async throws {
        let emulator = BotAPIEmulator(configuration: EmulatorConfiguration(rateLimits: nil))
        try await emulator.start()
        let bot = emulator.addBot(token: Self.secret, username: "alpha_bot")
        let http = HTTPClient(eventLoopGroupProvider: .singleton,
                              configuration: HTTPBotAPIClient.sharedClientConfiguration(bots: 1))
        let counter = Counter()
        let client = HTTPBotAPIClient(
            httpClient: http, baseURL: emulator.baseURL, token: BotToken(Self.secret), logger: Logger(label: "test"),
            requestTimeout: .seconds(10), observer: { method, outcome in counter.add("\(method) \(outcome)") })
        do {
            try await body(emulator, bot, client, counter)
            // Every call the client made is in Bot API 10.1.
            #expect(emulator.isValidatingSchema)
            #expect(emulator.schemaViolations == [])
        } catch {
            try? await http.shutdown()
            await emulator.stop()
            throw error
        }
        try await http.shutdown()
        await emulator.stop()
    }

    /// Calls `operation`, expecting a `BotAPIError` whose text has no token.
    func expectError<T: Sendable>(
        _ operation: () async throws -> T, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> TelegramClient.BotAPIError? {
        do {
            _ = try await operation()
            Issue.record("expected an error", sourceLocation: sourceLocation)
            return nil
        } catch let error as TelegramClient.BotAPIError {
            #expect(!"\(error)".contains("TEST-token-alpha"), sourceLocation: sourceLocation)
            #expect(!String(reflecting: error).contains("TEST-token-alpha"), sourceLocation: sourceLocation)
            #expect(error.botId == 1001, sourceLocation: sourceLocation)
            return error
        } catch {
            Issue.record("expected a BotAPIError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test func getMeReturnsTheBot() async throws {
        try await withClient { _, _, client, counter in
            let me = try await client.getMe()
            #expect(me.id == 1001)
            #expect(me.isBot)
            #expect(me.username == "alpha_bot")
            #expect(counter.values == ["getMe ok"])
        }
    }

    @Test func sendMessageReachesTheUser() async throws {
        try await withClient { _, bot, client, _ in
            let ann = bot.user(id: 42, firstName: "Ann")
            let sent = try await client.call(SendMessage(
                chatId: 42, text: "<b>Step 1/3 · Welcome</b>", parseMode: .html, linkPreviewOptions: .disabled,
                replyMarkup: .inline([[.callback("Next", data: "v1:next")]])))
            #expect(sent.chat.id == 42)
            #expect(sent.from?.id == 1001)
            #expect(sent.replyMarkup?.inlineKeyboard.first?.first?.callbackData == "v1:next")
            let seen = try await ann.waitForMessage(containing: "Welcome")
            #expect(seen.messageId == sent.messageId)
            #expect(seen.buttonLabels == ["Next"])

            let edited = try await client.call(EditMessageText(chatId: 42, messageId: sent.messageId, text: "Done"))
            #expect(edited.message?.text == "Done")
            #expect(try await client.call(DeleteMessage(chatId: 42, messageId: sent.messageId)))
        }
    }

    @Test func callRawReturnsTheResultJSON() async throws {
        try await withClient { _, bot, client, _ in
            _ = bot.user(id: 42, firstName: "Ann")
            let raw = try await client.callRaw(method: "sendMessage", json: Data(#"{"chat_id":42,"text":"from the outbox"}"#.utf8))
            let message = try JSONDecoder().decode(Message.self, from: raw)
            #expect(message.text == "from the outbox")
            #expect(message.chat.id == 42)
        }
    }

    @Test func uploadsGoAsMultipartAndDownloadBack() async throws {
        try await withClient { _, bot, client, _ in
            _ = bot.user(id: 42, firstName: "Ann")
            let bytes = Data((0..<2048).map { UInt8($0 % 251) })
            let sent = try await client.call(SendDocument(
                chatId: 42, document: .upload(filename: "notes.pdf", data: bytes, mimeType: "application/pdf"),
                caption: "Your notes", replyMarkup: .inline([[.callback("OK", data: "ok")]])))
            let document = try #require(sent.document)
            #expect(sent.caption == "Your notes")
            let file = try await client.call(GetFile(fileId: document.fileId))
            let path = try #require(file.filePath)
            #expect(try await client.downloadFile(path: path) == bytes)
        }
    }

    @Test func getUpdatesSkipsNothingAndSurvivesBadUpdates() async throws {
        try await withClient { emulator, bot, client, _ in
            let ann = bot.user(id: 42, firstName: "Ann", languageCode: "ru")
            ann.send("/start")
            try emulator.enqueueUpdate(token: Self.secret, json: [
                "chat_boost": ["chat": ["id": 1, "type": "channel"]],
            ])
            try emulator.enqueueUpdate(token: Self.secret, rawJSON: #"{"update_id": 900, "message": {"message_id": "x"}}"#)
            ann.send("after")
            let updates = try await client.getUpdates(offset: nil, timeout: 1, limit: 100)
            #expect(updates.map(\.kindName) == ["message", "unknown", "unknown", "message"])
            #expect(updates.first?.message?.command == "start")
            #expect(updates.first?.sender?.languageCode == "ru")
            #expect(updates.last?.message?.text == "after")
            #expect(updates.contains { $0.updateId == 900 })
            let next = (updates.map(\.updateId).max() ?? 0) + 1
            let empty = try await client.getUpdates(offset: next, timeout: 0, limit: 100)
            #expect(empty.isEmpty)
        }
    }

    @Test func tooManyRequestsCarriesRetryAfter() async throws {
        try await withClient { emulator, bot, client, counter in
            _ = bot.user(id: 42, firstName: "Ann")
            emulator.inject(.tooManyRequests(retryAfter: 7), method: "sendMessage")
            let error = await expectError { try await client.call(SendMessage(chatId: 42, text: "hi")) }
            #expect(error?.kind == .tooManyRequests(retryAfter: 7))
            #expect(error?.retryAfter == 7)
            #expect(error?.isRetryable == true)
            #expect(counter.values == ["sendMessage too_many_requests"])
        }
    }

    @Test func revokedTokenIsUnauthorized() async throws {
        try await withClient { emulator, _, client, _ in
            emulator.revoke(token: Self.secret)
            let error = await expectError { try await client.getMe() }
            #expect(error?.kind == .unauthorized)
            #expect(error?.isRetryable == false)
            let poll = await expectError { try await client.getUpdates(offset: nil, timeout: 0, limit: 10) }
            #expect(poll?.kind == .unauthorized)
        }
    }

    @Test func blockedUserIsForbidden() async throws {
        try await withClient { _, bot, client, _ in
            let ann = bot.user(id: 42, firstName: "Ann")
            ann.block()
            let error = await expectError { try await client.call(SendMessage(chatId: 42, text: "hi")) }
            guard case .forbidden(let text)? = error?.kind else {
                Issue.record("expected 403, got \(String(describing: error))")
                return
            }
            #expect(text.contains("blocked"))
        }
    }

    /// Like Telegram, a second poller takes over: the EARLIER long poll ends with 409 Conflict.
    @Test func secondPollerTerminatesTheFirstWithConflict() async throws {
        try await withClient { _, bot, client, _ in
            let ann = bot.user(id: 42, firstName: "Ann")
            let first = Task { try await client.getUpdates(offset: nil, timeout: 5, limit: 100) }
            for _ in 0..<200 where !bot.isPolling { try await Task.sleep(for: .milliseconds(10)) }
            #expect(bot.isPolling)
            let second = Task { try await client.getUpdates(offset: nil, timeout: 5, limit: 100) }
            let error = await expectError { try await first.value }
            guard case .conflict(let text)? = error?.kind else {
                Issue.record("expected 409, got \(String(describing: error))")
                second.cancel()
                return
            }
            #expect(text.contains("terminated by other getUpdates request"))
            #expect(error?.isRetryable == false)
            for _ in 0..<200 where !bot.isPolling { try await Task.sleep(for: .milliseconds(10)) }
            ann.send("wake up")
            let updates = try await second.value
            #expect(updates.first?.message?.text == "wake up")
        }
    }

    @Test func serverErrorsAndDroppedConnectionsAreRetryable() async throws {
        try await withClient { emulator, _, client, _ in
            emulator.inject(.badGateway, method: "getMe")
            let gateway = await expectError { try await client.getMe() }
            #expect(gateway?.kind == .server(code: 502, description: "Bad Gateway"))
            #expect(gateway?.isRetryable == true)

            emulator.inject(.dropConnection, method: "getMe")
            let dropped = await expectError { try await client.getMe() }
            switch dropped?.kind {
            case .network?, .timeout?: break
            default: Issue.record("expected a network error, got \(String(describing: dropped))")
            }
            #expect(dropped?.isRetryable == true)
            let me = try await client.getMe()
            #expect(me.id == 1001)
        }
    }

    @Test func slowAnswerTimesOut() async throws {
        try await withClient { emulator, _, _, _ in
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let impatient = HTTPBotAPIClient(
                httpClient: http, baseURL: emulator.baseURL, token: BotToken(Self.secret),
                logger: Logger(label: "test"), requestTimeout: .milliseconds(200))
            emulator.inject(.delay(.seconds(2)), method: "getMe")
            let error = await expectError { try await impatient.getMe() }
            #expect(error?.kind == .timeout)
            try await http.shutdown()
        }
    }

    @Test func unknownFileIsNotFound() async throws {
        try await withClient { _, _, client, _ in
            let error = await expectError { try await client.downloadFile(path: "documents/missing.pdf") }
            #expect(error?.kind == .notFound)
            #expect(error?.method == "downloadFile")
        }
    }
}
