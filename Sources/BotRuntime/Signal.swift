import Dispatch
import Synchronization

/// A wake-up between tasks: `ring()` wakes a waiter (or the next one, if none waits yet).
///
/// A latching signal stays rung (a stop request); a doorbell resets when a waiter takes it
/// (the sender's "the outbox has new rows").
public final class Signal: Sendable {
    private struct State {
        var rung = false
        var waiters: [Int: OnceContinuation] = [:]
        var actions: [Int: @Sendable () -> Void] = [:]
        var nextId = 0
    }

    private let state = Mutex(State())
    private let latching: Bool

    public init(latching: Bool) {
        self.latching = latching
    }

    public var isRung: Bool { state.withLock { $0.rung } }

    public func ring() {
        let (waiters, actions) = state.withLock { state -> ([OnceContinuation], [@Sendable () -> Void]) in
            if state.waiters.isEmpty || latching {
                state.rung = true
            }
            let waiting = Array(state.waiters.values)
            state.waiters.removeAll()
            let actions = Array(state.actions.values)
            state.actions.removeAll()
            return (waiting, actions)
        }
        for action in actions { action() }
        let delivered = waiters.reduce(false) { $1.resume() || $0 }
        if !delivered, !latching {
            // Every waiter had already been woken elsewhere: keep the ring for the next one.
            state.withLock { $0.rung = true }
        }
    }

    /// Returns when rung, or at once when the task is cancelled.
    public func wait() async {
        let id = nextWaiterId()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let once = OnceContinuation(continuation: continuation)
                if register(id, once) || Task.isCancelled { once.resume() }
            }
        } onCancel: {
            unregister(id)?.resume()
        }
    }

    /// Runs `action` once when the signal rings (at once when it already has); returns the id
    /// that `cancelOnRing` takes. For a stop signal: ending an open long poll without a task
    /// standing by to cancel it.
    public func onRing(_ action: @escaping @Sendable () -> Void) -> Int {
        let id = nextWaiterId()
        let rung = state.withLock { state -> Bool in
            if state.rung { return true }
            state.actions[id] = action
            return false
        }
        if rung { action() }
        return id
    }

    public func cancelOnRing(_ id: Int) {
        _ = state.withLock { $0.actions.removeValue(forKey: id) }
    }

    private func nextWaiterId() -> Int {
        state.withLock { state in
            state.nextId += 1
            return state.nextId
        }
    }

    /// Registers a waiter; true when the signal is already rung (taken, for a doorbell).
    private func register(_ id: Int, _ waiter: OnceContinuation) -> Bool {
        state.withLock { state in
            if state.rung {
                if !latching { state.rung = false }
                return true
            }
            state.waiters[id] = waiter
            return false
        }
    }

    @discardableResult
    private func unregister(_ id: Int) -> OnceContinuation? {
        state.withLock { $0.waiters.removeValue(forKey: id) }
    }

    /// Waits until `self` or `other` rings (or the task is cancelled), with no child task: the
    /// idle state of a thousand bots' senders costs two registered continuations each.
    public func wait(orUntil other: Signal) async {
        let ids = (self.nextWaiterId(), other.nextWaiterId())
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let once = OnceContinuation(continuation: continuation)
                if self.register(ids.0, once) || other.register(ids.1, once) || Task.isCancelled {
                    once.resume()
                }
            }
        } onCancel: {
            self.unregister(ids.0)?.resume()
            other.unregister(ids.1)?.resume()
        }
        self.unregister(ids.0)
        other.unregister(ids.1)
    }

    /// Waits until rung, `other` rings, `seconds` pass or the task is cancelled; true when this
    /// signal rang. No child task and no sleeping task: the waiter is two registered
    /// continuations and one dispatch timer, so a thousand idle bots' waits cost little memory.
    @discardableResult
    public func wait(upTo seconds: Double, orUntil other: Signal? = nil) async -> Bool {
        if seconds <= 0 { return takeIfRung() }
        let selfId = nextWaiterId()
        let otherId = other?.nextWaiterId()
        let rungAtOnce = Mutex(false)
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let once = OnceContinuation(continuation: continuation)
                if self.register(selfId, once) {
                    rungAtOnce.withLock { $0 = true }
                    once.resume()
                } else if let other, let otherId, other.register(otherId, once) {
                    once.resume()
                } else if Task.isCancelled {
                    once.resume()
                } else {
                    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { once.resume() }
                }
            }
        } onCancel: {
            self.unregister(selfId)?.resume()
            if let other, let otherId { other.unregister(otherId)?.resume() }
        }
        if let other, let otherId { other.unregister(otherId) }
        if rungAtOnce.withLock({ $0 }) { return true }
        // Still registered: woken by the timer, the other signal or a cancellation; gone: a ring took it.
        return self.unregister(selfId) == nil
    }

    private func takeIfRung() -> Bool {
        state.withLock { state in
            guard state.rung else { return false }
            if !latching { state.rung = false }
            return true
        }
    }
}

/// A continuation that may be resumed from several places (two signals, a cancellation) but
/// resumes its waiter once.
final class OnceContinuation: Sendable {
    private let continuation: CheckedContinuation<Void, Never>
    private let resumed = Mutex(false)

    init(continuation: CheckedContinuation<Void, Never>) {
        self.continuation = continuation
    }

    /// Resumes the waiter; false when it was already resumed (a stale registration).
    @discardableResult
    func resume() -> Bool {
        let first = resumed.withLock { resumed -> Bool in
            defer { resumed = true }
            return !resumed
        }
        if first { continuation.resume() }
        return first
    }
}

/// Runs `operation` until it finishes or `stop` rings; nil when stopped first (the operation
/// is cancelled, e.g. an open long poll). One child task: this task waits on the two signals.
func untilStopped<T: Sendable>(_ stop: Signal, _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
    if stop.isRung { return nil }
    return try await withThrowingTaskGroup(of: T.self) { group in
        let done = Signal(latching: true)
        group.addTask {
            defer { done.ring() }
            return try await operation()
        }
        await done.wait(orUntil: stop)
        guard done.isRung else {
            group.cancelAll()
            _ = try? await group.next()
            return nil
        }
        return try await group.next()
    }
}
