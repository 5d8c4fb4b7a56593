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
/// database and scene per course bot, the manager bot, and the supervisor that polls them all.
public struct Runtime: Sendable {
    /// What a bot's worker needs besides its client: where its chats live and what handles them.
    struct BotSetup: Sendable {
        var identity: BotIdentity
        var chats: ChatStore
        var handler: any ChatHandler
        var commands: [String: [BotCommand]] = [:]
    }

    public let supervisor: Supervisor
    public let health: BotHealth
    public let platform: PlatformStore
    public let bots: [BotIdentity]

    /// Opens the databases, loads every course (updating its stored definition), and prepares a
    /// worker per bot. Throws `StorageError`, `DiagnosticsError` or `LocalizationError` with the file.
    public static func make(
        config: BotsConfig, resourcesDirectory: String, settings: WorkerSettings,
        client: @escaping @Sendable (BotToken) -> any BotAPIClient,
        logger: Logger, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
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
        if let manager = config.manager {
            let identity = BotIdentity(token: BotToken(manager.token), courseSlug: nil)
            try add(BotSetup(identity: identity, chats: platform.chats, handler: SceneChatHandler(scene: ManagerWelcomeScene())))
        }
        for bot in config.bots {
            let course = try CourseManifest.load(directory: bot.course, displayPath: bot.courseFileDisplayPath)
            let store = try CourseStore.open(dataDir: config.dataDir, slug: course.slug)
            try await store.saveDefinition(try JSONEncoder().encode(course), now: now())
            let identity = BotIdentity(token: BotToken(bot.token), courseSlug: course.slug)
            let scene = try resources.courseScene(course: course, directory: bot.course)
            let menu = resources.commandMenus(["start", "contents", "progress", "help", "language"])
            try add(BotSetup(identity: identity, chats: store.chats, handler: CourseProgressRecorder.handler(for: scene), commands: menu))
            try await platform.registerBot(botId: identity.botId, username: nil, courseSlug: course.slug, now: now())
        }
        let health = BotHealth()
        let finalSetups = setups
        let supervisor = Supervisor(health: health, logger: logger) { identity in
            guard let setup = finalSetups[identity.botId] else {
                throw RuntimeError("no setup for bot \(identity.token.redacted)")
            }
            return BotWorker(
                identity: identity, client: client(identity.token), platform: platform, chats: setup.chats,
                handler: setup.handler, settings: settings, health: health, logger: logger, commands: setup.commands, now: now)
        }
        return Runtime(supervisor: supervisor, health: health, platform: platform, bots: identities)
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
