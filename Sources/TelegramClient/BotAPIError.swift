import TelegramBotAPI

/// A failed Bot API request as a value: which method, what went wrong, and what to do about it.
///
/// Its text never contains the bot token: server descriptions and transport errors (whose URLs
/// hold the token) are redacted before they are stored here.
public struct BotAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The Bot API method, or `downloadFile`.
    public var method: String
    public var kind: Kind
    /// The public id of the bot that made the request.
    public var botId: Int64?

    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// 429: wait `retryAfter` seconds before sending again.
        case tooManyRequests(retryAfter: Int)
        /// 400: the request is wrong (e.g. message not modified, chat not found).
        case badRequest(String)
        /// 401: the token is invalid or revoked.
        case unauthorized
        /// 403: e.g. the user blocked the bot.
        case forbidden(String)
        /// 404: unknown method, or file not found.
        case notFound
        /// 409: another `getUpdates` poller or a webhook uses this token.
        case conflict(String)
        /// 5xx (or any other unexpected status).
        case server(code: Int, description: String)
        /// No answer within the request timeout.
        case timeout
        /// The connection failed.
        case network(String)
        /// The answer could not be read.
        case decoding(String)
    }

    public init(method: String, kind: Kind, botId: Int64? = nil) {
        self.method = method
        self.kind = kind
        self.botId = botId
    }

    /// Whether sending the same request again later may succeed.
    public var isRetryable: Bool {
        switch kind {
        case .tooManyRequests, .server, .timeout, .network: true
        case .badRequest, .unauthorized, .forbidden, .notFound, .conflict, .decoding: false
        }
    }

    /// Seconds to wait before retrying, for a 429.
    public var retryAfter: Int? {
        if case .tooManyRequests(let seconds) = kind { return seconds }
        return nil
    }

    /// The outcome label for `gongbu_telegram_requests_total{method,outcome}`.
    public var outcome: String {
        switch kind {
        case .tooManyRequests: "too_many_requests"
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .server: "server_error"
        case .timeout: "timeout"
        case .network: "network_error"
        case .decoding: "decoding_error"
        }
    }

    /// The HTTP-like error code (0 for timeout, network and decoding failures).
    public var code: Int {
        switch kind {
        case .tooManyRequests: 429
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .conflict: 409
        case .server(let code, _): code
        case .timeout, .network, .decoding: 0
        }
    }

    public var description: String {
        let bot = botId.map { " (bot \($0))" } ?? ""
        let detail: String =
            switch kind {
            case .tooManyRequests(let seconds): "too many requests, retry after \(seconds) s"
            case .badRequest(let text): "bad request: \(text)"
            case .unauthorized: "unauthorized: the bot token is invalid or revoked"
            case .forbidden(let text): "forbidden: \(text)"
            case .notFound: "not found"
            case .conflict(let text): "conflict: \(text)"
            case .server(let code, let text): "server error \(code): \(text)"
            case .timeout: "timed out"
            case .network(let text): "network error: \(text)"
            case .decoding(let text): "could not read the answer: \(text)"
            }
        return "\(method)\(bot) failed: \(detail)"
    }

    /// Classifies a Bot API error answer (`error_code`, `description`, `parameters`) or a bare HTTP status.
    /// `description` must already be redacted.
    static func classify(
        method: String, code: Int, description: String?, retryAfter: Int?, botId: Int64?
    ) -> BotAPIError {
        let text = description ?? "HTTP \(code)"
        let kind: Kind =
            switch code {
            case 429: .tooManyRequests(retryAfter: max(retryAfter ?? Self.retryAfter(in: text) ?? 1, 0))
            case 401: .unauthorized
            case 403: .forbidden(text)
            case 404: .notFound
            case 409: .conflict(text)
            case 400..<500: .badRequest(text)
            default: .server(code: code, description: text)
            }
        return BotAPIError(method: method, kind: kind, botId: botId)
    }

    /// Reads `retry after N` from a description when `parameters.retry_after` is missing.
    static func retryAfter(in text: String) -> Int? {
        guard let range = text.range(of: "retry after ", options: .caseInsensitive) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
