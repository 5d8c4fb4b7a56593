import CourseFlows
import CourseModel
import Foundation
import Localization
import Logging
import Manifests
import SceneEngine
import Storage
import TelegramBotAPI
import TelegramClient

/// Everything `gongbu run` runs, built from bots.yaml: the platform database, one course
/// database and scene per course bot, the manager bot, the supervisor that polls them all, and
/// the background work beside the bots (run by the supervisor as one more child).
public struct Runtime: Sendable {
    /// What a bot's worker needs besides its client: where its chats live and what handles them.
    struct BotSetup: Sendable {
        var identity: BotIdentity
        var chats: ChatStore
        var handler: any ChatHandler
        var commands: [String: [BotCommand]] = [:]
        var hooks = WorkerHooks()
    }

    public let supervisor: Supervisor
    /// Where the background jobs run (the supervisor runs and stops it with the bots).
    public var background: BackgroundWork { supervisor.background }
    public let health: BotHealth
    public let platform: PlatformStore
    public let bots: [BotIdentity]
    /// The web workspace's service layer (contract §9); nil without a manager bot.
    public internal(set) var workspace: Workspace?

    /// Opens the databases, loads every course (updating its stored definition), and prepares a
    /// worker per bot. Throws `StorageError`, `DiagnosticsError` or `LocalizationError` with the file.
    public static func make(
        config: BotsConfig, resourcesDirectory: String, settings: WorkerSettings,
        client: @escaping @Sendable (BotToken) -> any BotAPIClient,
        logger: Logger, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        backgroundInterval: Double = 2
    ) async throws -> Runtime {
        let platform = try PlatformStore.open(dataDir: config.dataDir)
        let resources = try Resources(directory: resourcesDirectory)
        var setups: [Int64: BotSetup] = [:]
        var identities: [BotIdentity] = []
        func add(_ setup: BotSetup) throws {
            guard setups[setup.identity.botId] == nil else {
                throw RuntimeError("bot \(setup.identity.token.redacted) is listed twice in bots.yaml")
            }
            setups[setup.identity.botId] = setup
            identities.append(setup.identity)
        }
        let signer = PaymentSigner(secret: try await platform.paymentSecret(generate: { PaymentSigner.newSecret() }))
        let payments = CoursePayments(
            signer: signer, currency: config.payments.currency, providerToken: config.payments.providerToken, termsURL: config.payments.termsURL)
        let managerBotId = config.manager.map { BotIdentity(token: BotToken($0.token), courseSlug: nil).botId }
        let managerBell = Signal(latching: false)
        let flags = PublishFlags(try await platform.publishFlags())
        let admins = Set(config.manager?.admins ?? [])
        let connected = ConnectedBots()
        let served = ServedCourses(admins: admins, connected: connected)
        let background = BackgroundWork(logger: logger)
        let news = CourseNews()
        let factory = CourseBotFactory(
            platform: platform, resources: resources, flags: flags, courses: served, clientFor: client,
            commissionPercent: config.payments.commissionPercent,
            notices: managerBotId.map { PaymentLedger.Notices(managerBotId: $0, admins: admins, managerBell: managerBell, catalog: resources.catalog) },
            background: background, news: news, logger: logger, interval: backgroundInterval, now: now)
        var managed: [String: ManagedCourse] = [:]
        var workspace: Workspace?
        for bot in config.bots {
            let course = try CourseManifest.load(directory: bot.course, displayPath: bot.courseFileDisplayPath)
            let store = try CourseStore.open(dataDir: config.dataDir, slug: course.slug)
            try await store.saveDefinition(try JSONEncoder().encode(course), now: now())
            try await store.closeIfQuiet()
            let identity = BotIdentity(token: BotToken(bot.token), courseSlug: course.slug)
            let scene = try resources.courseScene(course: course, directory: bot.course, payments: payments)
            let comingSoon = try resources.courseScene(course: course, directory: bot.course, published: false, payments: payments)
            let entry = ServedCourse(
                slug: course.slug, store: store, folder: DataPaths(dataDir: config.dataDir).courseFiles(slug: course.slug), mainBot: identity,
                scenes: .fixed(course: course, open: CourseProgressRecorder.handler(for: scene), closed: CourseProgressRecorder.handler(for: comingSoon)),
                lock: ChatLock(), bell: Signal(latching: false))
            try add(factory.setup(identity, for: entry))
            served.add(entry)
            // The same course taught by a bot connected in the manager bot: the same companions.
            connected.addCourse(slug: course.slug) { factory.setup($0, for: entry) }
            managed[course.slug] = ManagedCourse(course: course, store: store, botId: identity.botId, outboxBell: entry.bell)
            try await platform.registerBot(botId: identity.botId, username: nil, courseSlug: course.slug, now: now())
        }
        let authoring = AuthoringService(
            dataDir: config.dataDir, resources: resources, payments: payments, platform: platform, connected: connected, courses: served,
            factory: factory, logger: logger, now: now)
        for entry in try await authoring.loadAll() where managed[entry.course.slug] == nil { managed[entry.course.slug] = entry }
        let configuredBotIds = Set(setups.keys).union(managerBotId.map { [$0] } ?? [])
        for stored in try await platform.connectedBots() where !configuredBotIds.contains(stored.botId) {
            let identity = BotIdentity(token: BotToken(stored.token), courseSlug: stored.courseSlug, username: stored.username)
            if connected.register(identity) { identities.append(identity) }
        }
        if let manager = config.manager {
            let identity = BotIdentity(token: BotToken(manager.token), courseSlug: nil)
            let snapshot = ReviewQueueSnapshot()
            let relay = ReviewService(
                platform: platform, managerBotId: identity.botId, courses: served, snapshot: snapshot, news: news, managerBell: managerBell,
                catalog: resources.catalog, logger: logger, interval: backgroundInterval, now: now)
            let deskQueue = DeskQueue()
            deskQueue.editors.restore(try await platform.editorSessions())
            let desk = ManagerDesk(
                platform: platform, managerBotId: identity.botId, client: client(identity.token), clientFor: client, admins: Set(manager.admins),
                creatorsPolicy: manager.creators, courses: CourseRegistry(managed), flags: flags, bots: connected, configuredBotIds: configuredBotIds,
                queue: deskQueue, catalog: resources.catalog, logger: logger, now: now, authoring: authoring, outboxBell: managerBell,
                publicURL: config.http?.publicURL)
            if let row = ManagerDesk.menuButtonRow(publicURL: config.http?.publicURL, label: resources.catalog.text("desk.open_in_app", locale: "en")) {
                _ = try await platform.chats.commit(BatchCommit(botId: identity.botId, outbox: [row]), now: now())
            }
            let handler = ManagerDeskHandler(
                inner: ManagerChatHandler(policy: { served.policy }, snapshot: snapshot, catalog: resources.catalog), queue: deskQueue, botId: identity.botId)
            let jobBell = Signal(latching: false)
            let jobs = JobRunner(
                platform: platform, botId: identity.botId, handlers: [ManagerDesk.eventJob: DeskJobs(desk: desk)], bell: jobBell, logger: logger, now: now)
            let managerCommitted = Signal(latching: false)
            let summaryCommitted = Signal(latching: false)
            let refunds = RefundService(
                platform: platform, managerBotId: identity.botId, courses: served, clientFor: client, catalog: resources.catalog,
                logger: logger, committed: managerCommitted, now: now)
            let summaries = DailySummary(
                platform: platform, managerBotId: identity.botId, courses: { [courses = desk.courses, admins = manager.admins] in DailySummary.courses(courses.values, admins: admins) },
                catalog: resources.catalog, logger: logger, interval: backgroundInterval * 10, now: now)
            workspace = Workspace(
                desk: desk, managerToken: manager.token,
                sessions: WorkspaceSessions(secret: try await platform.sessionSecret(generate: { WorkspaceSessions.newSecret() })),
                news: news, refundsBell: managerCommitted)
            // The manager bot's work runs beside its worker, not in it: with its token refused,
            // reviews, refunds and summaries wait in the databases and its outbox until it works again.
            background.add("review-relay") { stop in await relay.run(stop: stop) }
            background.add("refunds") { stop in await refunds.run(stop: stop) { managerBell.ring() } }
            background.add("manager-jobs") { stop in await jobs.run(stop: stop) { managerBell.ring() } }
            background.add("broadcast-progress") { stop in await desk.watchBroadcasts(stop: stop) }
            background.add("daily-summary") { stop in await summaries.run(stop: stop, committed: summaryCommitted) { managerBell.ring() } }
            var hooks = WorkerHooks(outboxBell: managerBell)
            hooks.commitBells = [managerCommitted, summaryCommitted, jobBell]
            hooks.afterCommit = [{ news.postManager() }]
            try add(BotSetup(
                identity: identity, chats: platform.chats, handler: handler,
                commands: ["": [
                    BotCommand(command: "start", description: "Start"), BotCommand(command: "courses", description: "Your courses"),
                    BotCommand(command: "newcourse", description: "Create a course"),
                    BotCommand(command: "reviews", description: "Submissions waiting for review"),
                    BotCommand(command: "connect", description: "Connect a course bot"), BotCommand(command: "disconnect", description: "Stop a connected bot"),
                    BotCommand(command: "broadcast", description: "Message a course's students"),
                ]],
                hooks: hooks))
            // The manager bot starts first, as it always has.
            identities.removeAll { $0.botId == identity.botId }
            identities.insert(identity, at: 0)
        }
        let health = BotHealth()
        let finalSetups = setups
        let supervisor = Supervisor(health: health, logger: logger, background: background) { identity in
            guard let setup = finalSetups[identity.botId] ?? connected.setup(botId: identity.botId) else {
                throw RuntimeError("no setup for bot \(identity.token.redacted)")
            }
            return BotWorker(
                identity: identity, client: client(identity.token), platform: platform, chats: setup.chats,
                handler: setup.handler, settings: settings, health: health, logger: logger, commands: setup.commands, hooks: setup.hooks,
                now: now)
        }
        connected.attach(supervisor)
        return Runtime(supervisor: supervisor, health: health, platform: platform, bots: identities, workspace: workspace)
    }

    /// Starts a worker for every configured bot.
    public func startBots() {
        for bot in bots { supervisor.add(bot) }
    }
}

/// A runtime failure that is not a Telegram, storage or manifest error.
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
