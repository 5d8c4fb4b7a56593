import Foundation
import Synchronization

/// The follow-up work of every course bot's commits (payments to copy into the ledger, files to
/// download), in one background job for the whole process: a bot's committed batch posts its id,
/// and the job runs that bot's pass in a task of its own while it lasts. An idle bot costs no task
/// and no timer here; a pass that leaves work (a failed download) asks to run again after a delay.
final class BotJobs: Sendable {
    /// One bot's pass; returns the delay after which to run it again (nil: when it next commits).
    typealias Pass = @Sendable (_ stop: Signal) async -> Double?

    private struct State {
        var passes: [Int64: Pass] = [:]
        var posted: Set<Int64> = []
        var running: Set<Int64> = []
        var retries: [Int64: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())
    private let bell = Signal(latching: false)

    init() {}

    /// Registers (or replaces) a bot's pass and runs it once soon (start-up: what waits from before).
    func register(botId: Int64, _ pass: @escaping Pass) {
        state.withLock { state in
            state.passes[botId] = pass
            state.posted.insert(botId)
        }
        bell.ring()
    }

    /// Forgets a bot (disconnected in the manager bot).
    func unregister(botId: Int64) {
        state.withLock { state in
            state.passes[botId] = nil
            state.posted.remove(botId)
            state.retries[botId] = nil
        }
    }

    /// The bot committed a batch: run its pass (again, after the one running now if any).
    func post(botId: Int64) {
        state.withLock { _ = $0.posted.insert(botId) }
        bell.ring()
    }

    func run(stop: Signal) async {
        await withDiscardingTaskGroup { group in
            while !stop.isRung {
                let (ready, wait) = takeReady()
                for (botId, pass) in ready {
                    group.addTask {
                        let again = await pass(stop)
                        self.finished(botId: botId, again: again)
                    }
                }
                if let wait {
                    await bell.wait(upTo: wait, orUntil: stop)
                } else {
                    await bell.wait(orUntil: stop)
                }
            }
        }
    }

    /// The passes to start now (posted or due, not running), and the seconds until the next retry.
    private func takeReady() -> (ready: [(Int64, Pass)], wait: Double?) {
        let now = ContinuousClock.now
        return state.withLock { state in
            for (botId, due) in state.retries where due <= now {
                state.retries[botId] = nil
                state.posted.insert(botId)
            }
            var ready: [(Int64, Pass)] = []
            for botId in state.posted where !state.running.contains(botId) {
                state.posted.remove(botId)
                guard let pass = state.passes[botId] else { continue }
                state.running.insert(botId)
                ready.append((botId, pass))
            }
            let next = state.retries.values.min().map { max((now.duration(to: $0)).seconds, 0.001) }
            return (ready, next)
        }
    }

    private func finished(botId: Int64, again: Double?) {
        state.withLock { state in
            state.running.remove(botId)
            if let again, state.passes[botId] != nil {
                state.retries[botId] = ContinuousClock.now + .milliseconds(Int64(again * 1000))
            }
        }
        bell.ring()
    }
}

extension Duration {
    /// The duration in seconds.
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
