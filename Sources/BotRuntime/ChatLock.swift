/// Serializes the writers of one bot's chat states inside the process: the worker's batches and
/// the review verdicts applied to the same course database, so neither overwrites the other's
/// state with one read before it (a lost update).
public actor ChatLock {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init() {}

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` alone among the holders of this lock.
    public nonisolated func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}

/// What a bot's worker shares with the rest of the runtime: the lock on its chat states, a bell
/// others ring after queueing outbox rows for it, and what to tell the background services after
/// each committed batch. The background work itself (downloads, the review relay, reminders) runs
/// in the process's `BackgroundWork` service, not in the worker: a bot whose token fails stops
/// only its own polling and sending.
public struct WorkerHooks: Sendable {
    public var lock: ChatLock?
    public var outboxBell: Signal?
    /// Rung after every committed batch, so background jobs can sleep without timers until there is news.
    public var committed: Signal?
    /// More doorbells rung after every committed batch (one per job that sleeps on commits).
    public var commitBells: [Signal] = []
    /// Called after every committed batch (e.g. to tell the review relay which course has news).
    public var afterCommit: [@Sendable () -> Void] = []

    public init(lock: ChatLock? = nil, outboxBell: Signal? = nil, committed: Signal? = nil) {
        self.lock = lock
        self.outboxBell = outboxBell
        self.committed = committed
    }
}
