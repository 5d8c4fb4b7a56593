import Foundation
import SceneEngine
import Synchronization
import TelegramBotAPI

/// Which courses are published, changed live from the manager bot (and stored in the platform
/// database, read again at start). A course not listed is published.
public final class PublishFlags: Sendable {
    private let flags: Mutex<[String: Bool]>

    public init(_ flags: [String: Bool] = [:]) {
        self.flags = Mutex(flags)
    }

    public func isPublished(_ slug: String) -> Bool {
        flags.withLock { $0[slug] ?? true }
    }

    public func set(_ slug: String, published: Bool) {
        flags.withLock { $0[slug] = published }
    }
}

/// A course bot's handler that answers with the published course, or with the "coming soon"
/// card while the course is unpublished: the flag is read on every batch, so publishing and
/// unpublishing take effect at once without restarting the bot.
struct PublishGate: ChatHandler {
    let slug: String
    let flags: PublishFlags
    let open: any ChatHandler
    let closed: any ChatHandler

    func handle(_ events: [ChatEvent], stored: Data?, now: Double) -> ChatOutcome {
        (flags.isPublished(slug) ? open : closed).handle(events, stored: stored, now: now)
    }
}

/// Course bots connected from the manager bot: each runs like the course's configured bot
/// (same course database, scene, chat lock and outbox bell, and the same background jobs, made by
/// the course's `CourseBotFactory` setup), added to and removed from the supervisor while it runs.
final class ConnectedBots: Sendable {
    private let state = Mutex<(setups: [Int64: Runtime.BotSetup], supervisor: Supervisor?)>(([:], nil))
    /// Per course slug: how a bot connected to it is set up (courses built in the manager bot are added while running).
    private let factories = Mutex<[String: @Sendable (BotIdentity) -> Runtime.BotSetup]>([:])

    init() {}

    func addCourse(slug: String, setup: @escaping @Sendable (BotIdentity) -> Runtime.BotSetup) {
        factories.withLock { $0[slug] = setup }
    }

    /// Prepares the worker setup of a connected bot; false when its course is unknown.
    @discardableResult
    func register(_ identity: BotIdentity) -> Bool {
        guard let slug = identity.courseSlug, let make = factories.withLock({ $0[slug] }) else { return false }
        let setup = make(identity)
        state.withLock { $0.setups[identity.botId] = setup }
        return true
    }

    /// The connected bots of one course now, by bot id.
    func identities(course slug: String) -> [BotIdentity] {
        state.withLock { $0.setups.values.map(\.identity).filter { $0.courseSlug == slug }.sorted { $0.botId < $1.botId } }
    }

    func setup(botId: Int64) -> Runtime.BotSetup? {
        state.withLock { $0.setups[botId] }
    }

    func isConnected(botId: Int64) -> Bool {
        state.withLock { $0.setups[botId] != nil }
    }

    func tokens() -> [BotToken] {
        state.withLock { $0.setups.values.map(\.identity.token) }
    }

    func attach(_ supervisor: Supervisor) {
        state.withLock { $0.supervisor = supervisor }
    }

    /// Registers the bot and starts its worker at once.
    func start(_ identity: BotIdentity) -> Bool {
        guard register(identity) else { return false }
        state.withLock { $0.supervisor }?.add(identity)
        return true
    }

    /// Stops the bot's worker and forgets it.
    func stop(botId: Int64) {
        let supervisor = state.withLock { state -> Supervisor? in
            state.setups.removeValue(forKey: botId)
            return state.supervisor
        }
        supervisor?.remove(botId: botId)
        supervisor?.background.remove(prefix: "bot-\(botId)-")
        supervisor?.background.botJobs.unregister(botId: botId)
    }
}
