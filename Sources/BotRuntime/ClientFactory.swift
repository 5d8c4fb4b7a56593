import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import TelegramBotAPI
import TelegramClient

/// Makes the Bot API clients of every bot over one shared `HTTPClient`, counting each request in
/// `gongbu_telegram_requests_total{bot, method, outcome}` (the bot label is never the token).
public struct ClientFactory: Sendable {
    public let httpClient: HTTPClient
    public let baseURL: String
    let logger: Logger

    /// One HTTP client for the whole process, sized for many long polls to one host.
    public static func makeHTTPClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(90), concurrentHTTP1ConnectionsPerHostSoftLimit: 4096)
        configuration.timeout = .init(connect: .seconds(10))
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public init(httpClient: HTTPClient, baseURL: String, logger: Logger) {
        self.httpClient = httpClient
        self.baseURL = baseURL
        self.logger = logger
    }

    public func client(for token: BotToken) -> any BotAPIClient {
        let bot = token.redacted
        return HTTPBotAPIClient(
            httpClient: httpClient, baseURL: baseURL, token: token, logger: logger,
            allowedUpdates: Update.handledKinds,
            observer: { method, outcome in
                Counter(label: "gongbu_telegram_requests_total", dimensions: [("bot", bot), ("method", method), ("outcome", outcome)]).increment()
            })
    }
}
