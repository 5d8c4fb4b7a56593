import NIOCore

/// Knows which client connections have closed their side, and calls back waiting long
/// polls when theirs does.
///
/// Exists so a getUpdates whose client gave up (cancelled poller, restarted bot) is
/// forgotten at once instead of making the next poll fail with 409 until it times out,
/// while keep-alive connections stay open for every other request.
final class ConnectionWatcher: Sendable {
    private struct State {
        var closed: Set<ObjectIdentifier> = []
        var callbacks: [ObjectIdentifier: [UInt64: @Sendable () -> Void]] = [:]
        var accepted = 0
    }

    private let state = Locked(State())

    /// Calls `callback` once when `connection` closes its input; returns false (without
    /// registering) if it already has.
    func watch(_ connection: ObjectIdentifier, id: UInt64, _ callback: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state in
            if state.closed.contains(connection) { return false }
            state.callbacks[connection, default: [:]][id] = callback
            return true
        }
    }

    func unwatch(_ connection: ObjectIdentifier, id: UInt64) {
        state.withLock { state in
            state.callbacks[connection]?[id] = nil
            if state.callbacks[connection]?.isEmpty == true { state.callbacks[connection] = nil }
        }
    }

    /// Connections accepted so far.
    var acceptedConnections: Int { state.withLock { $0.accepted } }

    fileprivate func accepted() {
        state.withLock { $0.accepted += 1 }
    }

    fileprivate func inputClosed(_ connection: ObjectIdentifier, forget: Bool) {
        let callbacks = state.withLock { state -> [@Sendable () -> Void] in
            if forget { state.closed.remove(connection) } else { state.closed.insert(connection) }
            return Array((state.callbacks.removeValue(forKey: connection) ?? [:]).values)
        }
        callbacks.forEach { $0() }
    }

    /// A pipeline handler reporting this connection's input closure to the watcher.
    func makeHandler() -> any RemovableChannelHandler {
        InputClosedHandler(watcher: self)
    }
}

/// Forwards everything; tells the watcher when the client half-closes or the channel goes away.
private final class InputClosedHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = Any
    let watcher: ConnectionWatcher

    init(watcher: ConnectionWatcher) {
        self.watcher = watcher
    }

    func handlerAdded(context: ChannelHandlerContext) {
        watcher.accepted()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let channelEvent = event as? ChannelEvent, channelEvent == .inputClosed {
            watcher.inputClosed(ObjectIdentifier(context.channel), forget: false)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        watcher.inputClosed(ObjectIdentifier(context.channel), forget: true)
        context.fireChannelInactive()
    }
}
