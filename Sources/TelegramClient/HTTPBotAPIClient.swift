import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TelegramBotAPI

/// The Bot API client over async-http-client: one value per bot, all sharing one `HTTPClient`
/// (and its event loop group), so a thousand bots cost a thousand small structs, not a thousand pools.
///
/// Requests go to `{baseURL}/bot{token}/{method}` (JSON, or multipart when a file is uploaded) and
/// files come from `{baseURL}/file/bot{token}/{path}`. Errors are `BotAPIError`s with the token redacted.
public struct HTTPBotAPIClient: BotAPIClient, CustomStringConvertible {
    public let token: BotToken
    public let baseURL: String
    let httpClient: HTTPClient
    let logger: Logger
    let requestTimeout: Duration
    let allowedUpdates: [String]?
    let maxResponseBytes: Int
    let maxDownloadBytes: Int
    let observer: RequestObserver?
    /// The bot's own keep-alive connection to a plain-HTTP server (nil for HTTPS): its long polls,
    /// and any JSON call made while no poll holds it.
    let longPoll: LongPollConnection?

    /// - Parameters:
    ///   - httpClient: the process-wide client; never created per bot. The caller shuts it down.
    ///   - baseURL: e.g. `https://api.telegram.org` or `http://127.0.0.1:8081` (a trailing `/` is ignored).
    ///   - requestTimeout: for every method but `getUpdates`, which gets its long-poll timeout + 10 s.
    ///   - allowedUpdates: sent as `allowed_updates` with every `getUpdates` (nil: the server's default).
    ///   - observer: told the method and outcome of every request, for metrics.
    public init(
        httpClient: HTTPClient, baseURL: String, token: BotToken, logger: Logger,
        requestTimeout: Duration = .seconds(30), allowedUpdates: [String]? = nil,
        maxResponseBytes: Int = 16 * 1024 * 1024, maxDownloadBytes: Int = 64 * 1024 * 1024,
        observer: RequestObserver? = nil
    ) {
        self.httpClient = httpClient
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.token = token
        var logger = logger
        logger[metadataKey: "bot"] = "\(token)"
        self.logger = logger
        self.requestTimeout = requestTimeout
        self.allowedUpdates = allowedUpdates
        self.maxResponseBytes = maxResponseBytes
        self.maxDownloadBytes = maxDownloadBytes
        self.observer = observer
        self.longPoll = LongPollConnection(baseURL: trimmed, group: httpClient.eventLoopGroup)
    }

    public var description: String { "HTTPBotAPIClient(\(token) at \(baseURL))" }

    /// Polls over the bot's own connection end when it is closed.
    public var pollsAreInterruptible: Bool { longPoll != nil }

    public func interruptPolls() {
        longPoll?.interrupt()
    }

    // MARK: BotAPIClient

    public func call<M: BotMethod>(_ method: M) async throws -> M.Response {
        let encoded: EncodedMethod
        do {
            encoded = try method.encoded()
        } catch {
            throw fail(M.name, .badRequest("could not encode the request: \(error)"))
        }
        var timeout = requestTimeout
        if let poll = method as? GetUpdates {
            timeout = .seconds(max(poll.timeout ?? 0, 0) + 10)
        }
        let data: Data
        if encoded.needsMultipart {
            let form: MultipartForm
            do {
                form = try MultipartForm.make(for: encoded)
            } catch {
                throw fail(M.name, .badRequest("could not build the upload form: \(error)"))
            }
            data = try await post(M.name, body: form.finished(), contentType: form.contentType, timeout: timeout)
        } else {
            data = try await post(M.name, body: encoded.json, contentType: "application/json", timeout: timeout)
        }
        return try decodeResult(M.Response.self, method: M.name, from: data)
    }

    public func callRaw(method: String, json: Data, timeout: Duration?) async throws -> Data {
        let data = try await post(method, body: json, contentType: "application/json", timeout: timeout ?? requestTimeout)
        // `result` as sent: no decode and re-encode on the outbox's hot path.
        guard let span = JSONSpan.value(forKey: "result", in: data) else {
            throw fail(method, .decoding("the answer has no result"))
        }
        observer?(method, "ok")
        return data.subdata(in: (data.startIndex + span.lowerBound)..<(data.startIndex + span.upperBound))
    }

    public func getUpdates(offset: Int64?, timeout: Int, limit: Int) async throws -> [Update] {
        let method = GetUpdates(offset: offset, limit: limit, timeout: timeout, allowedUpdates: allowedUpdates)
        let body: Data
        do {
            body = try method.encoded().json
        } catch {
            throw fail(GetUpdates.name, .badRequest("could not encode the request: \(error)"))
        }
        let data = try await post(
            GetUpdates.name, body: body, contentType: "application/json", timeout: .seconds(max(timeout, 0) + 10))
        return try decodeUpdates(data)
    }

    /// The updates of a `getUpdates` answer. Kept out of line (and synchronous): inlined into
    /// `getUpdates`, the decoder's state would sit in the async frame of every bot's open poll.
    @inline(never)
    func decodeUpdates(_ data: Data) throws -> [Update] {
        let elements = try decodeResult([LenientUpdate].self, method: GetUpdates.name, from: data)
        var updates: [Update] = []
        updates.reserveCapacity(elements.count)
        for element in elements {
            if let problem = element.problem {
                logger.warning(
                    "malformed update treated as unknown",
                    metadata: ["update_id": "\(element.update.map { String($0.updateId) } ?? "none")",
                               "error": "\(redact(problem))"])
            }
            if let update = element.update { updates.append(update) }
        }
        return updates
    }

    public func downloadFile(path: String) async throws -> Data {
        let method = "downloadFile"
        let encodedPath = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        var request = HTTPClientRequest(url: "\(baseURL)/file/bot\(token.secret)/\(encodedPath)")
        request.method = .GET
        let (status, data) = try await send(request, method: method, timeout: requestTimeout, limit: maxDownloadBytes)
        guard status == 200 else {
            let error = errorFromBody(method: method, status: status, data: data)
            throw fail(method, error.kind)
        }
        observer?(method, "ok")
        return data
    }
}

/// One element of a `getUpdates` result, decoded on its own so a malformed update cannot fail the batch.
struct LenientUpdate: Decodable, Sendable {
    var update: Update?
    var problem: String?

    private enum Keys: String, CodingKey {
        case updateId = "update_id"
    }

    init(from decoder: any Decoder) throws {
        do {
            update = try Update(from: decoder)
        } catch {
            problem = "\(error)"
            let id = try? decoder.container(keyedBy: Keys.self).decode(Int64.self, forKey: .updateId)
            update = id.map { Update(updateId: $0, kind: .unknown) }
        }
    }
}
