import Synchronization

/// A wake-up between tasks: `ring()` wakes a waiter (or the next one, if none waits yet).
///
/// A latching signal stays rung (a stop request); a doorbell resets when a waiter takes it
/// (the sender's "the outbox has new rows").
public final class Signal: Sendable {
    private struct State {
        var rung = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextId = 0
    }

    private let state = Mutex(State())
    private let latching: Bool

    public init(latching: Bool) {
        self.latching = latching
    }

    public var isRung: Bool { state.withLock { $0.rung } }

    public func ring() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.waiters.isEmpty || latching {
                state.rung = true
            }
            let waiting = Array(state.waiters.values)
            state.waiters.removeAll()
            return waiting
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when rung, or at once when the task is cancelled.
    public func wait() async {
        let id = state.withLock { state -> Int in
            state.nextId += 1
            return state.nextId
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.rung {
                        if !latching { state.rung = false }
                        return true
                    }
                    if Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
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
