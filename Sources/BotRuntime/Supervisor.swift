import Foundation
import Logging
import ServiceLifecycle

/// Runs one worker per bot token, restarts a crashed worker with backoff, and adds or removes
/// bots while running. It is the one `Service` that owns every worker as a child task, and the
/// process's `BackgroundWork` beside them, so a graceful shutdown reaches all of them: each
/// finishes its batch in hand, then the run returns. A worker ending (a refused token) ends
/// only that bot: the background work and the other bots go on.
public final class Supervisor: Service, Sendable {
    enum Command: Sendable {
        case add(BotIdentity)
        case remove(Int64)
        case shutdown
    }

    let makeWorker: @Sendable (BotIdentity) async throws -> BotWorker
    let health: BotHealth
    let logger: Logger
    let restartBackoff: WorkerSettings
    /// The jobs beside the bots (review relay, downloads, reminders...), run and stopped with them.
    public let background: BackgroundWork
    private let commands: AsyncStream<Command>
    private let continuation: AsyncStream<Command>.Continuation

    /// - Parameter makeWorker: builds a bot's worker (opens its database, makes its scene); called again on each restart.
    public init(health: BotHealth, logger: Logger, restartBackoff: WorkerSettings = WorkerSettings(backoffBase: 1, backoffMax: 60), background: BackgroundWork? = nil, makeWorker: @escaping @Sendable (BotIdentity) async throws -> BotWorker) {
        self.makeWorker = makeWorker
        self.health = health
        self.logger = logger
        self.restartBackoff = restartBackoff
        self.background = background ?? BackgroundWork(logger: logger)
        (commands, continuation) = AsyncStream.makeStream(of: Command.self)
    }

    /// Starts a worker for this bot (at start, or later from the manager bot).
    public func add(_ bot: BotIdentity) {
        health.register(botId: bot.botId, username: bot.username, course: bot.courseSlug)
        continuation.yield(.add(bot))
    }

    /// Stops the worker of this bot after its batch in hand.
    public func remove(botId: Int64) {
        continuation.yield(.remove(botId))
    }

    /// Stops every worker (as a graceful shutdown does).
    public func shutdown() {
        continuation.yield(.shutdown)
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    do {
                        try await self.background.run()
                    } catch {
                        self.logger.error("background work failed", metadata: ["error": "\(error)"])
                    }
                }
                var stops: [Int64: Signal] = [:]
                for await command in commands {
                    switch command {
                    case .add(let bot):
                        stops[bot.botId]?.ring()
                        let stop = Signal(latching: true)
                        stops[bot.botId] = stop
                        group.addTask { await self.supervise(bot, stop: stop) }
                    case .remove(let botId):
                        stops.removeValue(forKey: botId)?.ring()
                        health.remove(botId: botId)
                    case .shutdown:
                        logger.info("stopping every bot", metadata: ["bots": "\(stops.count)"])
                        for stop in stops.values { stop.ring() }
                        background.shutdown()
                        continuation.finish()
                    }
                }
                // The commands end with a shutdown, or when this task is cancelled (the service
                // group cancels everyone when another service fails, e.g. the HTTP listener cannot
                // bind): every worker stops either way, or the process would never exit.
                if Task.isCancelled {
                    logger.info("cancelled: stopping every bot", metadata: ["bots": "\(stops.count)"])
                    for stop in stops.values { stop.ring() }
                    background.shutdown()
                    continuation.finish()
                }
            }
        } onGracefulShutdown: {
            self.shutdown()
        }
        logger.info("all bots stopped")
    }

    /// Runs a bot's worker until stopped, restarting it with backoff when it fails.
    func supervise(_ bot: BotIdentity, stop: Signal) async {
        var failures = 0
        while !stop.isRung, !Task.isCancelled {
            do {
                let worker = try await makeWorker(bot)
                try await worker.run(stop: stop)
                if stop.isRung { break }
                failures = 0
            } catch let end as WorkerEnd {
                logger.error("\(end)")
                health.failing(botId: bot.botId, error: end.description)
                return
            } catch {
                failures += 1
                let wait = restartBackoff.backoff(attempt: failures)
                logger.error("bot worker failed; restarting", metadata: ["bot": "\(bot.label)", "error": "\(bot.token.redact(String(describing: error)))", "in_seconds": "\(String(format: "%.1f", wait))"])
                health.failing(botId: bot.botId, error: bot.token.redact(String(describing: error)))
                await stop.wait(upTo: wait)
            }
        }
        health.stopped(botId: bot.botId)
    }
}
