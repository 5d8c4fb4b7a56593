import Foundation
import Logging
import Metrics
import SceneEngine
import Storage
import TelegramBotAPI
import TelegramClient

/// Why a worker ended for good (the supervisor does not restart it).
public enum WorkerEnd: Error, Sendable, CustomStringConvertible {
    /// Telegram answered 401: the token was revoked or is wrong.
    case unauthorized(bot: String)

    public var description: String {
        switch self {
        case .unauthorized(let bot): "bot \(bot): Telegram refused the token (401 Unauthorized); the worker stopped"
        }
    }
}

/// One bot's long-polling loop: getUpdates → scenes → one transaction per batch → outbox.
///
/// The offset lives in the platform database and moves only after the batch is committed;
/// update ids are also committed with the batch, so a crash between the two neither loses nor
/// re-applies an update.
///
/// A final class, not a struct: every async frame of a waiting bot holds `self`, and a reference
/// is 8 bytes where the struct's fields are hundreds (a thousand idle bots keep these frames).
public final class BotWorker: Sendable {
    public let identity: BotIdentity
    let client: any BotAPIClient
    let platform: PlatformStore
    let chats: ChatStore
    let handler: any ChatHandler
    let settings: WorkerSettings
    let health: BotHealth
    let logger: Logger
    let now: @Sendable () -> Double
    /// The command menu to set at start, by language code ("" for the default menu).
    let commands: [String: [BotCommand]]
    let hooks: WorkerHooks

    public init(identity: BotIdentity, client: any BotAPIClient, platform: PlatformStore, chats: ChatStore, handler: any ChatHandler, settings: WorkerSettings, health: BotHealth, logger: Logger, commands: [String: [BotCommand]] = [:], hooks: WorkerHooks = WorkerHooks(), now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.hooks = hooks
        self.identity = identity
        self.client = client
        self.platform = platform
        self.chats = chats
        self.handler = handler
        self.settings = settings
        self.health = health
        var logger = logger
        logger[metadataKey: "bot"] = "\(identity.label)"
        self.logger = logger
        self.commands = commands
        self.now = now
    }

    /// Polls and sends until `stop` rings (then finishes the batch in hand) or the token is refused.
    public func run(stop: Signal) async throws {
        try await introduce(stop: stop)
        let sender = OutboxSender(identity: identity, client: client, chats: chats, settings: settings, logger: logger, now: now)
        // The poll loop runs in this task itself, the sender (and its bell) beside it: an idle bot
        // is as few suspended tasks as possible.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await sender.run(stop: stop)
                } catch {
                    stop.ring()
                    throw error
                }
            }
            if let bell = hooks.outboxBell {
                group.addTask {
                    while !stop.isRung {
                        await bell.wait(orUntil: stop)
                        if !stop.isRung { sender.wake() }
                    }
                }
            }
            do {
                try await poll(stop: stop, sender: sender)
            } catch {
                stop.ring()
                throw error
            }
            try await group.waitForAll()
        }
    }

    /// Learns the bot's username (`getMe`, for health and logs) and sets its command menu.
    /// A refused token ends the worker; other failures are logged and polling goes on.
    func introduce(stop: Signal) async throws {
        do {
            guard let me = try await untilStopped(stop, { [client] in try await client.getMe() }) else { return }
            if let username = me.username {
                health.setUsername(botId: identity.botId, username)
                try? await platform.registerBot(botId: identity.botId, username: username, courseSlug: identity.courseSlug, now: now())
            }
            for (language, menu) in commands.sorted(by: { $0.key < $1.key }) {
                _ = try await client.call(SetMyCommands(commands: menu, languageCode: language.isEmpty ? nil : language))
            }
        } catch is CancellationError {
            return
        } catch {
            if Self.isUnauthorized(error) {
                health.failing(botId: identity.botId, error: "unauthorized: the token was revoked or is wrong")
                throw WorkerEnd.unauthorized(bot: identity.label)
            }
            logger.warning("could not introduce the bot; polling anyway", metadata: ["error": "\(identity.token.redact(String(describing: error)))"])
        }
    }

    /// The wait Telegram asked for (429 `retry_after`), if any.
    @inline(never)
    static func retryAfter(_ error: any Error) -> Double? {
        guard let apiError = error as? BotAPIError, let seconds = apiError.retryAfter else { return nil }
        return Double(seconds)
    }

    /// Whether Telegram refused the token (401): the one error after which a worker stops for good.
    /// (Kept out of line: the 6.3 optimizer crashed on this enum switch inlined into `poll`.)
    @inline(never)
    static func isUnauthorized(_ error: any Error) -> Bool {
        guard let apiError = error as? BotAPIError else { return false }
        return apiError.code == 401
    }

    /// The poll loop. Its async frame is what an idle bot holds while Telegram has nothing for
    /// it, so the work around the wait (errors, batches) lives in out-of-line functions.
    @inline(never)
    func poll(stop: Signal, sender: OutboxSender) async throws {
        var offset = try await platform.offset(botId: identity.botId)
        var failures = 0
        // Made on the first batch: an idle bot registers no per-bot series.
        var metrics: (updates: Counter, duration: Timer)?
        logger.info("polling", metadata: ["offset": "\(offset ?? 0)"])
        // A client whose polls can be interrupted is stopped by the stop signal itself; any other
        // polls beside a task that cancels it when stop rings.
        let interruptible = client.pollsAreInterruptible
        let interruption = interruptible ? stop.onRing { [client] in client.interruptPolls() } : nil
        defer { interruption.map { stop.cancelOnRing($0) } }
        while !stop.isRung {
            let polled: [Update]?
            do {
                polled = try await fetch(offset: offset, stop: stop, interruptible: interruptible)
            } catch is CancellationError {
                break
            } catch {
                failures += 1
                try await recover(from: error, failures: failures, stop: stop)
                continue
            }
            guard let updates = polled else { break }
            failures = 0
            health.polled(botId: identity.botId, at: now())
            guard let last = updates.map(\.updateId).max() else { continue }
            try await commit(updates, last: last, sender: sender, metrics: &metrics)
            offset = last + 1
        }
        logger.info("stopped polling")
    }

    /// One long poll; nil when `stop` rang first.
    @inline(never)
    func fetch(offset: Int64?, stop: Signal, interruptible: Bool) async throws -> [Update]? {
        if interruptible {
            return try await client.getUpdates(offset: offset, timeout: settings.pollTimeout, limit: settings.batchLimit)
        }
        return try await untilStopped(stop) { [client, settings] in
            try await client.getUpdates(offset: offset, timeout: settings.pollTimeout, limit: settings.batchLimit)
        }
    }

    /// After a failed poll: a refused token ends the worker; anything else waits (Telegram's
    /// `retry_after`, or backoff with jitter) and marks the bot failing after three in a row.
    @inline(never)
    func recover(from error: any Error, failures: Int, stop: Signal) async throws {
        if Self.isUnauthorized(error) {
            health.failing(botId: identity.botId, error: "unauthorized: the token was revoked or is wrong")
            logger.error("Telegram refused the token (401); stopping this bot only")
            throw WorkerEnd.unauthorized(bot: identity.label)
        }
        let description = identity.token.redact(String(describing: error))
        if failures >= 3 { health.failing(botId: identity.botId, error: description) }
        let wait = Self.retryAfter(error) ?? settings.backoff(attempt: failures)
        logger.warning("getUpdates failed, retrying", metadata: ["error": "\(description)", "in_seconds": "\(String(format: "%.2f", wait))"])
        await stop.wait(upTo: wait)
    }

    /// Processes a polled batch, saves the offset past it, wakes the sender and counts it. Out of
    /// line: its async frame exists while a batch is handled, not in every idle bot's open poll.
    @inline(never)
    func commit(_ updates: [Update], last: Int64, sender: OutboxSender, metrics: inout (updates: Counter, duration: Timer)?) async throws {
        let started = ContinuousClock.now
        let written: [OutboxRow]
        if let lock = hooks.lock {
            written = try await lock.withLock { try await process(updates) }
        } else {
            written = try await process(updates)
        }
        try await platform.saveOffset(botId: identity.botId, next: last + 1, now: now())
        // The rows go to the sender as written (with their ids): it reads nothing back.
        sender.take(written)
        hooks.committed?.ring()
        for bell in hooks.commitBells { bell.ring() }
        for action in hooks.afterCommit { action() }
        let (updatesCounter, duration) = metrics ?? (
            Counter(label: "gongbu_updates_total", dimensions: [("bot", identity.label)]),
            Timer(label: "gongbu_update_duration_seconds", dimensions: [("bot", identity.label)], preferredDisplayUnit: .seconds))
        metrics = (updatesCounter, duration)
        updatesCounter.increment(by: Int64(updates.count))
        let elapsed = ContinuousClock.now - started
        let perUpdate = elapsed / updates.count
        duration.recordNanoseconds(perUpdate.components.seconds * 1_000_000_000 + perUpdate.components.attoseconds / 1_000_000_000)
    }

    /// Handles one batch and commits it in one transaction; the outbox rows written.
    @inline(never)
    @discardableResult
    func process(_ updates: [Update]) async throws -> [OutboxRow] {
        let ids = updates.map(\.updateId)
        var done = try await chats.processedIds(botId: identity.botId, among: ids)
        var fresh: [Int64] = []
        var byChat: [Int64: [ChatEvent]] = [:]
        var chatOrder: [Int64] = []
        for update in updates where done.insert(update.updateId).inserted {
            fresh.append(update.updateId)
            guard let event = UpdateMapper.event(for: update) else {
                if case .unknown = update.kind {
                    logger.debug("skipping an update of a kind Gongbu does not handle", metadata: ["update_id": "\(update.updateId)"])
                }
                continue
            }
            if byChat[event.chatId] == nil { chatOrder.append(event.chatId) }
            byChat[event.chatId, default: []].append(event)
        }
        var batch = BatchCommit(botId: identity.botId, processedUpdateIds: fresh)
        if !chatOrder.isEmpty {
            let stored = try await chats.states(botId: identity.botId, chatIds: chatOrder)
            let time = now()
            for chatId in chatOrder {
                guard let events = byChat[chatId] else { continue }
                let outcome = handler.handle(events, stored: stored[chatId], now: time)
                if let state = outcome.state {
                    batch.states.append(ChatStateRow(chatId: chatId, userId: events[0].user.id, state: state))
                }
                for (effect, updateId) in outcome.effects {
                    batch.outbox += EffectRenderer.rows(for: effect, chatId: chatId, updateId: updateId)
                }
                outcome.records.add(to: &batch)
            }
        }
        guard !batch.processedUpdateIds.isEmpty else { return [] }
        return try await chats.commit(batch, now: now())
    }
}
