import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TelegramBotAPI

extension HTTPBotAPIClient {
    /// POSTs a method and returns the body of a successful (`ok: true`) answer; throws `BotAPIError` otherwise.
    /// The observer hears of success only once `decodeResult` has read the answer.
    func post(_ method: String, body: Data, contentType: String, timeout: Duration) async throws -> Data {
        // A plain-HTTP server: the bot's own keep-alive connection when it is free (a bot's
        // getMe, command menu and long polls then need no pooled connection at all).
        if contentType == "application/json", let longPoll, let data = try await post(method, body: body, timeout: timeout, over: longPoll) {
            return data
        }
        return try await postThroughSharedClient(method, body: body, contentType: contentType, timeout: timeout)
    }

    /// `post` through the shared async-http-client. Out of line, so that a bot's open poll over
    /// its own connection does not carry this path's frame.
    @inline(never)
    func postThroughSharedClient(_ method: String, body: Data, contentType: String, timeout: Duration) async throws -> Data {
        var request = HTTPClientRequest(url: "\(baseURL)/bot\(token.secret)/\(method)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(body)
        let started = ContinuousClock.now
        let (status, data) = try await send(request, method: method, timeout: timeout, limit: maxResponseBytes)
        if let error = errorIfFailed(method: method, status: status, data: data) {
            throw fail(method, error.kind)
        }
        logger.trace(
            "telegram request", metadata: ["method": "\(method)", "elapsed": "\(ContinuousClock.now - started)"])
        return data
    }

    /// A JSON method over the bot's own keep-alive connection, with the errors `post` gives; nil
    /// when the connection is busy with another request (then the shared client carries it).
    @inline(never)
    func post(_ method: String, body: Data, timeout: Duration, over connection: LongPollConnection) async throws -> Data? {
        let answer: LongPollConnection.Answer
        do {
            answer = try await connection.post(
                path: "/bot\(token.secret)/\(method)", body: body, timeout: timeout, limit: maxResponseBytes, isPoll: method == GetUpdates.name)
        } catch LongPollConnection.Failure.busy {
            return nil
        } catch LongPollConnection.Failure.interrupted {
            throw CancellationError()
        } catch LongPollConnection.Failure.timedOut {
            throw fail(method, .timeout)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw fail(method, .network(redact("\(error)")))
        }
        if let error = errorIfFailed(method: method, status: answer.status, data: answer.body) {
            throw fail(method, error.kind)
        }
        return answer.body
    }

    /// Executes a request and collects the body, mapping transport failures to `BotAPIError`.
    /// Out of line, so its async frame is not part of every call that goes over the bot's own connection.
    @inline(never)
    func send(
        _ request: HTTPClientRequest, method: String, timeout: Duration, limit: Int
    ) async throws -> (status: Int, body: Data) {
        do {
            let response = try await httpClient.execute(request, timeout: Self.timeAmount(timeout), logger: nil)
            let buffer = try await response.body.collect(upTo: limit)
            return (Int(response.status.code), Data(buffer.readableBytesView))
        } catch let error as BotAPIError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw fail(method, transportKind(for: error, limit: limit))
        }
    }

    func transportKind(for error: any Error, limit: Int) -> BotAPIError.Kind {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout:
                return .timeout
            default:
                return .network(redact("\(error)"))
            }
        }
        if error is NIOTooManyBytesError {
            return .network("answer larger than \(limit) bytes")
        }
        return .network(redact("\(error)"))
    }

    /// The error an answer carries: HTTP status not 200, or `ok: false`; nil for a good answer.
    func errorIfFailed(method: String, status: Int, data: Data) -> BotAPIError? {
        // The Bot API answers 200 exactly when `ok` is true; a 200 that is not a Bot API answer
        // fails when its result is read. Not decoding here keeps every answer to one pass.
        if status == 200 { return nil }
        return errorFromBody(method: method, status: status, data: data)
    }

    /// Classifies a failed answer by its JSON `error_code` (else the HTTP status), description and `retry_after`.
    func errorFromBody(method: String, status: Int, data: Data) -> BotAPIError {
        let envelope = try? JSONDecoder().decode(APIResponse<JSONValue>.self, from: data)
        let code = envelope?.errorCode ?? status
        return BotAPIError.classify(
            method: method, code: code == 200 ? 500 : code, description: envelope?.description.map(redact),
            retryAfter: envelope?.parameters?.retryAfter, botId: token.botId)
    }

    /// Decodes `result` of a successful answer (and counts the request as `ok`).
    func decodeResult<T: Decodable & Sendable>(_ type: T.Type, method: String, from data: Data) throws -> T {
        do {
            let envelope = try JSONDecoder().decode(APIResponse<T>.self, from: data)
            guard let result = envelope.result else {
                throw fail(method, .decoding("the answer has no result"))
            }
            observer?(method, "ok")
            return result
        } catch let error as BotAPIError {
            throw error
        } catch {
            throw fail(method, .decoding(redact("\(error)")))
        }
    }

    /// Records a failure (metrics, debug log) and returns it as an error to throw.
    func fail(_ method: String, _ kind: BotAPIError.Kind) -> BotAPIError {
        let error = BotAPIError(method: method, kind: kind, botId: token.botId)
        observer?(method, error.outcome)
        logger.debug("telegram request failed", metadata: ["method": "\(method)", "error": "\(error)"])
        return error
    }

    func redact(_ text: String) -> String {
        token.redact(text)
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
