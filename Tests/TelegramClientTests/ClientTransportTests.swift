import AsyncHTTPClient
import Foundation
import Logging
import Testing
import TelegramBotAPI
@testable import TelegramClient

/// Transport failures, with no server at all: the error must not leak the token that is in the URL.
@Suite struct ClientTransportTests {
    static let token = BotToken("1001:TEST-token-alpha")

    @Test func refusedConnectionIsANetworkErrorWithoutTheToken() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let counted = Counter()
        let client = HTTPBotAPIClient(
            httpClient: http, baseURL: "http://127.0.0.1:1/", token: Self.token, logger: Logger(label: "test"),
            requestTimeout: .seconds(5), observer: { method, outcome in counted.add("\(method) \(outcome)") })
        #expect(client.baseURL == "http://127.0.0.1:1")
        #expect(!"\(client)".contains("TEST-token-alpha"))
        do {
            _ = try await client.call(GetMe())
            Issue.record("a refused connection must throw")
        } catch let error as TelegramClient.BotAPIError {
            #expect(error.method == "getMe")
            #expect(error.isRetryable)
            #expect(error.botId == 1001)
            #expect(!"\(error)".contains("TEST-token-alpha"))
            #expect(!String(reflecting: error).contains("TEST-token-alpha"))
            guard case .network(let text) = error.kind else {
                Issue.record("expected a network error, got \(error)")
                return
            }
            #expect(!text.isEmpty)
        }
        do {
            _ = try await client.downloadFile(path: "photos/file_1.jpg")
            Issue.record("a refused connection must throw")
        } catch let error as TelegramClient.BotAPIError {
            #expect(error.method == "downloadFile")
            #expect(!"\(error)".contains("TEST-token-alpha"))
        }
        #expect(counted.values.count == 2)
        #expect(counted.values.first?.hasPrefix("getMe ") == true)
        try await http.shutdown()
    }

    @Test func transportErrorTextIsRedacted() async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let client = HTTPBotAPIClient(httpClient: http, baseURL: "http://127.0.0.1:1", token: Self.token,
                                      logger: Logger(label: "test"))
        struct Leaky: Error, CustomStringConvertible {
            var description: String { "failed to reach http://x/bot1001:TEST-token-alpha/getMe" }
        }
        let kind = client.transportKind(for: Leaky(), limit: 10)
        #expect(kind == .network("failed to reach http://x/bot1001:***/getMe"))
        #expect(client.transportKind(for: HTTPClientError.deadlineExceeded, limit: 10) == .timeout)
        try await http.shutdown()
    }

    @Test func serverErrorBodiesAreClassifiedAndRedacted() async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let client = HTTPBotAPIClient(httpClient: http, baseURL: "http://127.0.0.1:1", token: Self.token,
                                      logger: Logger(label: "test"))
        let body = Data(#"{"ok":false,"error_code":400,"description":"Bad Request: bad url /bot1001:TEST-token-alpha/x"}"#.utf8)
        let error = try #require(client.errorIfFailed(method: "sendMessage", status: 400, data: body))
        #expect(error.kind == .badRequest("Bad Request: bad url /bot1001:***/x"))
        let html = client.errorIfFailed(method: "sendMessage", status: 502, data: Data("<html>bad gateway</html>".utf8))
        #expect(html?.kind == .server(code: 502, description: "HTTP 502"))
        // A 200 is judged when its result is read (one decoding pass per answer).
        #expect(client.errorIfFailed(method: "sendMessage", status: 200, data: Data("hello".utf8)) == nil)
        #expect {
            _ = try client.decodeResult(Bool.self, method: "sendMessage", from: Data("hello".utf8))
        } throws: { ($0 as? BotAPIError)?.outcome == "decoding_error" }
        let good = client.errorIfFailed(method: "sendMessage", status: 200, data: Data(#"{"ok":true,"result":true}"#.utf8))
        #expect(good == nil)
        let raw = try client.decodeResult(JSONValue.self, method: "x", from: Data(#"{"ok":true,"result":{"a":[1,true,"s",2.5]}}"#.utf8))
        #expect(String(decoding: try raw.jsonData(), as: UTF8.self) == #"{"a":[1,true,"s",2.5]}"#)
        try await http.shutdown()
    }
}

/// Collects observer calls from any thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.withLock { items.append(item) } }
    var values: [String] { lock.withLock { items } }
}
