import Foundation
import Hummingbird
import NIOCore

/// Routes `/bot<token>/<method>` and `/file/bot<token>/<path>` like api.telegram.org.
///
/// Exists as a plain responder (no router) so the token-in-path routes match exactly as
/// Telegram's do and every request costs one string split.
struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext

    let emulator: BotAPIEmulator
    let watcher: ConnectionWatcher

    func respond(to request: Request, context: Context) async throws -> Response {
        let rawPath = request.uri.path
        let path = rawPath.removingPercentEncoding ?? rawPath
        if path.hasPrefix("/file/bot") {
            return serveFile(path: path.dropFirst("/file/bot".count))
        }
        guard path.hasPrefix("/bot") else { return Self.response(.failure(.notFound)) }
        let rest = path.dropFirst("/bot".count)
        guard let slash = rest.firstIndex(of: "/") else { return Self.response(.failure(.notFound)) }
        let token = String(rest[..<slash])
        let method = String(rest[rest.index(after: slash)...])
        guard let bot = emulator.activeBot(token: token) else { return Self.response(.failure(.unauthorized)) }
        guard !method.isEmpty, !method.contains("/") else { return Self.response(.failure(.notFound)) }

        let parameters: RequestParameters
        do {
            let buffer = try await request.body.collect(upTo: emulator.configuration.maxUploadSize)
            parameters = try RequestParameters.parse(
                query: request.uri.query, contentType: request.headers[.contentType], body: Data(buffer.readableBytesView))
        } catch let error as BotAPIError {
            return Self.response(.failure(error))
        } catch {
            return Self.response(.failure(BotAPIError(code: 413, description: "Request Entity Too Large")))
        }

        if let refusal = emulator.validate(method: method, parameters: parameters, bot: bot) {
            return Self.response(refusal)
        }

        if let fault = emulator.takeFault(method: method, token: token, chatId: parameters.int("chat_id")) {
            switch fault {
            case .status(let code, let description, let retryAfter):
                let outcome = MethodOutcome.failure(BotAPIError(code: code, description: description, retryAfter: retryAfter))
                bot.record(method: method, parameters: parameters, outcome: outcome, fault: fault)
                return Self.response(outcome)
            case .dropConnection:
                bot.record(method: method, parameters: parameters, outcome: .failure(.notFound), fault: fault)
                return Self.droppedConnection()
            case .delay(let duration):
                try await Task.sleep(for: duration)
            }
        }

        if let outcome = emulator.answerManagedBotMethod(method, parameters: parameters, bot: bot) {
            return Self.response(outcome)
        }
        if method.lowercased() == "getupdates" {
            return await getUpdates(bot: bot, method: method, parameters: parameters, connection: context.connection, channel: context.channel)
        }
        return Self.response(bot.handle(method: method, parameters: parameters, peerPort: context.channel.remoteAddress?.port))
    }

    /// getUpdates: answered at once when possible; otherwise a long poll that is dropped if
    /// its client disconnects (so a restarted poller is not refused with 409).
    private func getUpdates(bot: EmulatedBot, method: String, parameters: RequestParameters, connection: ObjectIdentifier, channel: any Channel) async -> Response {
        let pollRequest = EmulatedBot.PollRequest(parameters)
        if let outcome = bot.getUpdatesImmediately(pollRequest) {
            bot.record(method: method, parameters: parameters, outcome: outcome)
            return Self.response(outcome)
        }
        let pollId = bot.allocatePollId()
        let watched = watcher.watch(connection, id: pollId) { bot.abandonPoll(id: pollId) }
        // A connection that went away before the watch was registered (its closure already
        // forgotten by the watcher) would leave the poll waiting for nobody: drop it now.
        guard watched, channel.isActive else {
            watcher.unwatch(connection, id: pollId)
            bot.forgetAbandoned(id: pollId)
            return Self.response(.result(.array([])))
        }
        let outcome = await bot.getUpdatesWaiting(pollRequest, pollId: pollId)
        watcher.unwatch(connection, id: pollId)
        bot.forgetAbandoned(id: pollId)
        bot.record(method: method, parameters: parameters, outcome: outcome)
        return Self.response(outcome)
    }

    private func serveFile(path: Substring) -> Response {
        guard let slash = path.firstIndex(of: "/") else { return Self.response(.failure(.notFound)) }
        let token = String(path[..<slash])
        let filePath = String(path[path.index(after: slash)...])
        guard let bot = emulator.activeBot(token: token) else { return Self.response(.failure(.unauthorized)) }
        guard let data = bot.fileData(path: filePath) else { return Self.response(.failure(.notFound)) }
        return Response(
            status: .ok,
            headers: [.contentType: "application/octet-stream"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func response(_ outcome: MethodOutcome) -> Response {
        Response(
            status: HTTPResponse.Status(code: outcome.statusCode),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: outcome.body)))
    }

    /// A response that promises a body and then fails, so the server closes the connection.
    static func droppedConnection() -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(contentLength: 1024) { _ in throw DroppedConnection() })
    }

    struct DroppedConnection: Error {}
}

/// The request context: Hummingbird's core storage plus which connection the request came on.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let connection: ObjectIdentifier
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = CoreRequestContextStorage(source: source)
        self.channel = source.channel
        self.connection = ObjectIdentifier(source.channel)
    }
}
