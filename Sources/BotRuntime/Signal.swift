import Synchronization

/// A wake-up between tasks: `ring()` wakes a waiter (or the next one, if none waits yet).
///
/// A latching signal stays rung (a stop request); a doorbell resets when a waiter takes it
/// (the sender's "the outbox has new rows").
public final class Signal: Sendable {
    private struct State {
        var rung = false
        var waiters: [Int: OnceContinuation] = [:]
        var nextId = 0
    }

    private let state = Mutex(State())
    private let latching: Bool

    public init(latching: Bool) {
        self.latching = latching
    }

    public var isRung: Bool { state.withLock { $0.rung } }

    public func ring() {
        let waiters = state.withLock { state -> [OnceContinuation] in
            if state.waiters.isEmpty || latching {
                state.rung = true
            }
            let waiting = Array(state.waiters.values)
            state.waiters.removeAll()
            return waiting
        }
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

    /// Waits until rung or `seconds` pass; true when rung.
    @discardableResult
    public func wait(upTo seconds: Double) async -> Bool {
        if seconds <= 0 { return takeIfRung() }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.wait()
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
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
/// is cancelled, e.g. an open long poll).
func untilStopped<T: Sendable>(_ stop: Signal, _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
    if stop.isRung { return nil }
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            await stop.wait()
            return nil
        }
        defer { group.cancelAll() }
        let first = try await group.next() ?? nil
        return first
    }
}
