import Foundation
import Hummingbird
import ServiceLifecycle
import Logging

/// A local imitation of the Telegram Bot API server (api.telegram.org) on 127.0.0.1 with a
/// random port, with scripted users, flood limits, fault injection and a call log.
///
/// Exists so every end-to-end test and the benchmark can run real bots, over real HTTP,
/// against Telegram's semantics without the network.
public final class BotAPIEmulator: Sendable {
    struct Registry {
        var bots: [String: EmulatedBot] = [:]
        var revoked: Set<String> = []
        var faults: [FaultRule] = []
        var port: Int?
        var runTask: Task<Void, Never>?
        var serviceGroup: ServiceGroup?
        var watcher: ConnectionWatcher?
        var rateLimits: EmulatorConfiguration.RateLimits?
        /// Bots created by scripted users for a managing bot, by bot id.
        var managedBots: [Int64: ManagedBotRecord] = [:]
        /// Faults drawn at random for calls no queued fault matched (`setRandomFaults`).
        var randomFaults: RandomFaultState?
    }

    public let configuration: EmulatorConfiguration
    let registry: Locked<Registry>
    /// The schema calls are checked against; nil when `validatesSchema` is off or the file is missing.
    let schema: BotAPISchema?
    private let violations = Locked<[String]>([])

    public init(configuration: EmulatorConfiguration = EmulatorConfiguration()) {
        self.configuration = configuration
        self.registry = Locked(Registry(rateLimits: configuration.rateLimits))
        if configuration.validatesSchema {
            do {
                schema = try BotAPISchema.load(from: configuration.schemaURL)
            } catch {
                configuration.logger.warning("Bot API emulator runs without schema validation: \(error)")
                schema = nil
            }
        } else {
            schema = nil
        }
    }

    /// Whether calls are checked against the Bot API schema (false when turned off, or when the
    /// schema file could not be read; a warning is logged then).
    public var isValidatingSchema: Bool { schema != nil }

    /// Problems of every call refused because it is not in the Bot API schema, by any bot,
    /// oldest first, each prefixed with the bot's masked token (`1001:*** sendMessage.parseMode: …`).
    /// End-to-end tests assert it stays empty.
    public var schemaViolations: [String] { violations.withLock { $0 } }

    /// Checks a call against the schema; returns the refusal when it breaks it. Unknown
    /// methods pass (their handlers answer 404 like Telegram).
    func validate(method: String, parameters: RequestParameters, bot: EmulatedBot) -> MethodOutcome? {
        guard let schema, schema.hasMethod(method) else { return nil }
        let problems = schema.problems(
            method: method, parameters: parameters.values, textFields: parameters.textFields,
            uploads: Set(parameters.uploads.keys))
        guard !problems.isEmpty else { return nil }
        violations.withLock { list in
            if list.count < EmulatedBot.maxViolations { list += problems.map { "\(bot.maskedToken) \($0)" } }
        }
        configuration.logger.warning("refused a call not in \(schema.version): \(problems.joined(separator: "; "))")
        return bot.refuse(method: method, parameters: parameters, problems: problems, version: schema.version)
    }

    // MARK: Lifecycle

    /// Starts the HTTP server on 127.0.0.1 with a port chosen by the system.
    public func start() async throws {
        let (ports, portSink) = AsyncStream<Result<Int, any Error>>.makeStream()
        let watcher = ConnectionWatcher()
        let app = Application(
            responder: EmulatorResponder(emulator: self, watcher: watcher),
            server: .http1(configuration: .init(additionalChannelHandlers: [watcher.makeHandler()], idleTimeout: nil)),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), backlog: 4096),
            onServerRunning: { channel in
                portSink.yield(.success(channel.localAddress?.port ?? 0))
            },
            logger: configuration.logger
        )
        // Run as a service so `stop()` shuts the server down gracefully: cancelling it mid-accept
        // trips NIO's "deinited without finish()" assertions.
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: configuration.logger))
        let task = Task {
            do {
                try await group.run()
            } catch {
                portSink.yield(.failure(error))
            }
            portSink.finish()
        }
        registry.withLock {
            $0.runTask = task
            $0.serviceGroup = group
            $0.watcher = watcher
        }
        for await result in ports {
            let port = try result.get()
            registry.withLock { $0.port = port }
            return
        }
        throw EmulatorError.serverDidNotStart
    }

    /// Stops the server; waiting long polls are answered and scripted-user waits fail.
    public func stop() async {
        let (task, group, bots) = registry.withLock { registry -> (Task<Void, Never>?, ServiceGroup?, [EmulatedBot]) in
            defer {
                registry.runTask = nil
                registry.serviceGroup = nil
                registry.port = nil
            }
            return (registry.runTask, registry.serviceGroup, Array(registry.bots.values))
        }
        for bot in bots {
            UpdateIdentifiers.remember(bot.state.withLock { $0.nextUpdateId }, for: bot.token)
            bot.finishAllPolls()
            bot.failAllWaiters(with: EmulatorError.stopped)
        }
        guard let task else { return }
        await group?.triggerGracefulShutdown()
        // Idle keep-alive connections close at once; give stragglers a moment, then cancel.
        let watchdog = Task {
            try? await Task.sleep(for: .seconds(5))
            if !Task.isCancelled { task.cancel() }
        }
        await task.value
        watchdog.cancel()
    }

    /// TCP connections the server accepted so far (keep-alive reuse shows as a small number).
    public var acceptedConnectionCount: Int { registry.withLock { $0.watcher?.acceptedConnections ?? 0 } }

    /// The port the server listens on (0 before `start()`).
    public var port: Int { registry.withLock { $0.port ?? 0 } }

    /// Where bots should send requests instead of https://api.telegram.org, e.g. `http://127.0.0.1:54321`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    // MARK: Bots

    /// Registers a bot; its user id is the token's numeric prefix. Adding a known token
    /// returns the existing bot (and lifts a revocation).
    @discardableResult
    public func addBot(token: String, username: String) -> EmulatedBot {
        registry.withLock { registry in
            registry.revoked.remove(token)
            if let existing = registry.bots[token] { return existing }
            var settings = configuration
            settings.rateLimits = registry.rateLimits
            let bot = EmulatedBot(token: token, username: username, configuration: settings)
            registry.bots[token] = bot
            return bot
        }
    }

    /// The bot registered with `token`, if any.
    public func bot(token: String) -> EmulatedBot? {
        registry.withLock { $0.bots[token] }
    }

    /// Every later call with `token` answers 401 Unauthorized.
    public func revoke(token: String) {
        registry.withLock { _ = $0.revoked.insert(token) }
    }

    /// The bot answering requests for `token`, or nil for 401 (unknown or revoked).
    func activeBot(token: String) -> EmulatedBot? {
        registry.withLock { registry in registry.revoked.contains(token) ? nil : registry.bots[token] }
    }

    /// A scripted user chatting with the bot of `token`.
    public func user(id: Int64, firstName: String, languageCode: String? = "en", bot token: String) throws -> ScriptedUser {
        guard let bot = bot(token: token) else { throw EmulatorError.unknownBot(maskedToken: Self.mask(token)) }
        return bot.user(id: id, firstName: firstName, languageCode: languageCode)
    }

    /// Enqueues an arbitrary (even unknown-kind) update for the bot of `token`.
    public func enqueueUpdate(token: String, json: JSONValue) throws {
        guard let bot = bot(token: token) else { throw EmulatorError.unknownBot(maskedToken: Self.mask(token)) }
        bot.enqueueUpdate(json)
    }

    /// Enqueues raw JSON text (even malformed) as one update for the bot of `token`.
    public func enqueueUpdate(token: String, rawJSON: String) throws {
        guard let bot = bot(token: token) else { throw EmulatorError.unknownBot(maskedToken: Self.mask(token)) }
        bot.enqueueRawUpdate(rawJSON)
    }

    // MARK: Faults, records, limits

    /// Makes the next `count` calls matching `method` (nil: any) and `token` (nil: any bot) fail with `fault`.
    public func inject(_ fault: Fault, method: String? = nil, token: String? = nil, count: Int = 1) {
        guard count > 0 else { return }
        registry.withLock { $0.faults.append(FaultRule(fault: fault, method: method, token: token, remaining: count)) }
    }

    /// Removes every pending injected fault.
    public func clearFaults() {
        registry.withLock { $0.faults.removeAll() }
    }

    /// Takes the first pending fault matching a call.
    func takeFault(method: String, token: String, chatId: Int64? = nil) -> Fault? {
        registry.withLock { registry in
            guard let index = registry.faults.firstIndex(where: { $0.matches(method: method, token: token) }) else {
                return registry.randomFaults?.draw(method: method, token: token, chatId: chatId)
            }
            let fault = registry.faults[index].fault
            registry.faults[index].remaining -= 1
            if registry.faults[index].remaining <= 0 { registry.faults.remove(at: index) }
            return fault
        }
    }

    public func calls(token: String) -> [RecordedCall] { bot(token: token)?.calls ?? [] }

    public func payments(token: String) -> [PaymentRecord] { bot(token: token)?.payments ?? [] }

    /// How many 429 answers the flood limits gave the bot of `token`.
    public func tooManyRequestsCount(token: String) -> Int { bot(token: token)?.tooManyRequestsCount ?? 0 }

    /// Changes the flood limits of every bot, now and added later (nil disables them).
    public func setRateLimits(_ limits: EmulatorConfiguration.RateLimits?) {
        let bots = registry.withLock { registry in
            registry.rateLimits = limits
            return Array(registry.bots.values)
        }
        for bot in bots { bot.setRateLimits(limits) }
    }

    /// A token as it may appear in messages: `123456:***`.
    static func mask(_ token: String) -> String {
        (token.split(separator: ":").first.map(String.init) ?? "") + ":***"
    }
}

/// Failures of the emulator itself (not Bot API answers).
public enum EmulatorError: Error, Equatable, CustomStringConvertible {
    case serverDidNotStart
    case stopped
    case unknownBot(maskedToken: String)

    public var description: String {
        switch self {
        case .serverDidNotStart: return "the Bot API emulator's HTTP server did not start"
        case .stopped: return "the Bot API emulator stopped"
        case .unknownBot(let token): return "no emulated bot with token \(token)"
        }
    }
}
