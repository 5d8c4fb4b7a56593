import Logging
import ServiceLifecycle
import Synchronization

/// The process's background jobs (the review relay, refunds, daily summaries, the manager desk,
/// each course bot's downloads, payment ledger and reminders), run as one `Service` beside the
/// bots rather than inside a bot's worker: a bot whose token is refused (401) stops only its
/// own polling and sending, and every job keeps serving the other bots. Each job sleeps on its
/// signals until there is news; a job keyed like a running one replaces it (a bot connected again).
public final class BackgroundWork: Service, Sendable {
    typealias Job = @Sendable (_ stop: Signal) async -> Void

    private struct State {
        var stops: [String: Signal] = [:]
        var stopped = false
    }

    private let state = Mutex(State())
    private let jobs: AsyncStream<(key: String, stop: Signal, body: Job)>
    private let continuation: AsyncStream<(key: String, stop: Signal, body: Job)>.Continuation
    let logger: Logger
    /// The course bots' follow-up work (ledger, downloads): one job for all of them.
    let botJobs = BotJobs()

    public init(logger: Logger) {
        self.logger = logger
        (jobs, continuation) = AsyncStream.makeStream()
        add("bot-jobs") { [botJobs] stop in await botJobs.run(stop: stop) }
    }

    /// Starts `body` (now if running, else when `run` starts); a job with the same key is stopped first.
    func add(_ key: String, _ body: @escaping Job) {
        let stop = Signal(latching: true)
        let replaced = state.withLock { state -> Signal?? in
            guard !state.stopped else { return .none }
            defer { state.stops[key] = stop }
            return .some(state.stops[key])
        }
        guard let previous = replaced else { return }
        previous?.ring()
        continuation.yield((key, stop, body))
    }

    /// Stops every job whose key starts with `prefix` (a bot disconnected in the manager bot).
    func remove(prefix: String) {
        let stops = state.withLock { state -> [Signal] in
            let keys = state.stops.keys.filter { $0.hasPrefix(prefix) }
            return keys.compactMap { state.stops.removeValue(forKey: $0) }
        }
        for stop in stops { stop.ring() }
    }

    /// Stops every job; `run` returns once all have.
    public func shutdown() {
        let stops = state.withLock { state -> [Signal] in
            state.stopped = true
            defer { state.stops.removeAll() }
            return Array(state.stops.values)
        }
        for stop in stops { stop.ring() }
        continuation.finish()
    }

    public func run() async throws {
        // A cancelled run stops every job too: their waits return at once once cancelled.
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { group in
                    for await job in jobs {
                        group.addTask {
                            await job.body(job.stop)
                            self.state.withLock { state in
                                if state.stops[job.key] === job.stop { state.stops.removeValue(forKey: job.key) }
                            }
                        }
                    }
                }
            } onGracefulShutdown: {
                self.shutdown()
            }
        } onCancel: {
            self.shutdown()
        }
        logger.debug("background work stopped")
    }
}
