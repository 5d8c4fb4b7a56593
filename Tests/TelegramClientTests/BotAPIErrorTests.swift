import Foundation
import Testing
import TelegramBotAPI
@testable import TelegramClient

@Suite struct BotAPIErrorTests {
    @Test func classifiesTelegramErrorCodes() {
        func kind(_ code: Int, _ text: String? = nil, retry: Int? = nil) -> TelegramClient.BotAPIError.Kind {
            TelegramClient.BotAPIError.classify(method: "sendMessage", code: code, description: text, retryAfter: retry, botId: 1).kind
        }
        #expect(kind(429, "Too Many Requests: retry after 9", retry: 9) == .tooManyRequests(retryAfter: 9))
        #expect(kind(429, "Too Many Requests: retry after 12") == .tooManyRequests(retryAfter: 12))
        #expect(kind(429) == .tooManyRequests(retryAfter: 1))
        #expect(kind(400, "Bad Request: chat not found") == .badRequest("Bad Request: chat not found"))
        #expect(kind(401, "Unauthorized") == .unauthorized)
        #expect(kind(403, "Forbidden: bot was blocked by the user") == .forbidden("Forbidden: bot was blocked by the user"))
        #expect(kind(404, "Not Found") == .notFound)
        #expect(kind(409, "Conflict: terminated by other getUpdates request")
            == .conflict("Conflict: terminated by other getUpdates request"))
        #expect(kind(502) == .server(code: 502, description: "HTTP 502"))
    }

    @Test func retryabilityAndOutcomeLabels() {
        let limited = TelegramClient.BotAPIError(method: "sendMessage", kind: .tooManyRequests(retryAfter: 3))
        #expect(limited.isRetryable)
        #expect(limited.retryAfter == 3)
        #expect(limited.outcome == "too_many_requests")
        #expect(limited.code == 429)
        let blocked = TelegramClient.BotAPIError(method: "sendMessage", kind: .forbidden("blocked"))
        #expect(!blocked.isRetryable)
        #expect(blocked.retryAfter == nil)
        #expect(TelegramClient.BotAPIError(method: "getMe", kind: .timeout).isRetryable)
        #expect(TelegramClient.BotAPIError(method: "getMe", kind: .server(code: 500, description: "x")).isRetryable)
        #expect(!TelegramClient.BotAPIError(method: "getMe", kind: .unauthorized).isRetryable)
        #expect(!TelegramClient.BotAPIError(method: "getUpdates", kind: .conflict("x")).isRetryable)
    }

    @Test func descriptionNamesMethodAndBot() {
        let error = TelegramClient.BotAPIError(method: "sendMessage", kind: .tooManyRequests(retryAfter: 5), botId: 1001)
        #expect(error.description == "sendMessage (bot 1001) failed: too many requests, retry after 5 s")
    }
}
