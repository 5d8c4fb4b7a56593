import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One bot's keep-alive HTTP/1.1 connection for its `getUpdates` long polls to a plain-HTTP Bot
/// API server (a local telegram-bot-api server, the test emulator).
///
/// Why not async-http-client here: a bot spends its life in one long poll, and through the
/// client's pool each idle poll holds ~43 KiB (connection state machines, request bag, timers);
/// a bare NIO channel with the HTTP/1 codec and one small handler holds a fraction of that, which
/// is what lets a thousand idle bots fit in a small server. Everything else (sends, uploads,
/// downloads, and any HTTPS server, where async-http-client can multiplex over HTTP/2) still goes
/// through async-http-client.
final class LongPollConnection: Sendable {
    /// The server's answer: status and body bytes.
    typealias Answer = (status: Int, body: Data)

    /// Why a poll failed below HTTP.
    enum Failure: Error, CustomStringConvertible {
        case timedOut
        case closed
        case tooLarge(Int)
        case busy
        case interrupted

        var description: String {
            switch self {
            case .timedOut: "the long poll timed out"
            case .closed: "the connection closed before the answer"
            case .tooLarge(let limit): "answer larger than \(limit) bytes"
            case .busy: "a poll is already running on this connection"
            case .interrupted: "the worker stopped its polls"
            }
        }
    }

    let host: String
    let port: Int
    /// The server URL's path (e.g. "" or "/telegram"), before `/bot<token>/…`.
    let basePath: String
    private let group: any EventLoopGroup
    private let state = Mutex<(channel: (any Channel)?, busy: Bool, polling: Bool, interrupted: Bool)>((nil, false, false, false))

    /// nil unless `baseURL` is plain `http://host[:port][/path]`.
    init?(baseURL: String, group: any EventLoopGroup) {
        guard let url = URL(string: baseURL), url.scheme?.lowercased() == "http", let host = url.host, !host.isEmpty else { return nil }
        self.host = host
        self.port = url.port ?? 80
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
        self.group = group
    }

    deinit {
        state.withLock { $0.channel }?.close(promise: nil)
    }

    /// POSTs `body` (JSON) to `path` (below the base path) and returns the answer; one poll at a
    /// time. A closed or broken connection is replaced on the next call.
    /// `isPoll`: a `getUpdates`, which `interrupt()` ends (other requests finish undisturbed).
    func post(path: String, body: Data, timeout: Duration, limit: Int, isPoll: Bool) async throws -> Answer {
        let claimed = state.withLock { state -> Failure? in
            if state.interrupted { return isPoll ? .interrupted : .busy }
            if state.busy { return .busy }
            state.busy = true
            state.polling = isPoll
            return nil
        }
        if let claimed { throw claimed }
        defer { state.withLock { $0.busy = false } }

        let channel = try await connectedChannel()
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: port == 80 ? host : "\(host):\(port)")
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.count))
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: basePath + path, headers: headers)
        let promise = channel.eventLoop.makePromise(of: Answer.self)
        let timedOut = Atomic<Bool>(false)
        let deadline = channel.eventLoop.scheduleTask(in: Self.timeAmount(timeout)) {
            timedOut.store(true, ordering: .relaxed)
            channel.close(promise: nil)
        }
        let request = LongPollHandler.Request(head: head, body: channel.allocator.buffer(bytes: body), limit: limit, promise: promise)
        channel.writeAndFlush(request, promise: nil)
        do {
            let answer = try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                channel.close(promise: nil)
            }
            deadline.cancel()
            return answer
        } catch {
            deadline.cancel()
            forget(channel)
            if Task.isCancelled { throw CancellationError() }
            if timedOut.load(ordering: .relaxed) { throw Failure.timedOut }
            if isPoll, state.withLock({ $0.interrupted }) { throw Failure.interrupted }
            throw error
        }
    }

    /// Ends an open poll and makes every later poll end at once; other requests then go through
    /// the shared client.
    func interrupt() {
        let open = state.withLock { state -> (any Channel)? in
            state.interrupted = true
            return state.busy && !state.polling ? nil : state.channel
        }
        open?.close(promise: nil)
    }

    /// The open connection, or a new one.
    private func connectedChannel() async throws -> any Channel {
        if let channel = state.withLock({ $0.channel }), channel.isActive { return channel }
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 1024, maximum: 1 << 20))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(LongPollHandler())
                }
            }
            .connect(host: host, port: port)
            .get()
        state.withLock { $0.channel = channel }
        return channel
    }

    private func forget(_ channel: any Channel) {
        channel.close(promise: nil)
        state.withLock { state in
            if state.channel === channel { state.channel = nil }
        }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Writes one request and collects its response into the request's promise; fails the promise
/// when the connection closes or errs first. Lives on the channel's event loop.
final class LongPollHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Request
    typealias OutboundOut = HTTPClientRequestPart

    struct Request: Sendable {
        var head: HTTPRequestHead
        var body: ByteBuffer
        var limit: Int
        var promise: EventLoopPromise<LongPollConnection.Answer>
    }

    private var pending: Request?
    private var status = 0
    private var body: ByteBuffer?
    private var keepAlive = true

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        pending = request
        status = 0
        body = nil
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(request.body))), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            keepAlive = head.isKeepAlive
        case .body(var part):
            guard let request = pending else { return }
            if (body?.readableBytes ?? 0) + part.readableBytes > request.limit {
                pending = nil
                request.promise.fail(LongPollConnection.Failure.tooLarge(request.limit))
                context.close(promise: nil)
                return
            }
            if body == nil {
                body = part
            } else {
                body!.writeBuffer(&part)
            }
        case .end:
            guard let request = pending else { return }
            pending = nil
            let bytes = body.map { Data($0.readableBytesView) } ?? Data()
            body = nil
            request.promise.succeed((status, bytes))
            if !keepAlive { context.close(promise: nil) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending?.promise.fail(LongPollConnection.Failure.closed)
        pending = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        pending?.promise.fail(error)
        pending = nil
        context.close(promise: nil)
    }
}
