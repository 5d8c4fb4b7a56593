import CourseModel
import Foundation
import Storage
import Synchronization

/// One course as its bots and the manager bot's relays reach it: its database, the lane lock and
/// outbox bell its bots share, and its scenes. A bots.yaml course keeps the scenes it was loaded
/// with; a course built in the manager bot reads its `LiveCourse` on every use, so a verdict, a
/// refund or a reminder always goes through the scene the students run now.
final class ServedCourse: Sendable {
    enum Scenes: Sendable {
        case fixed(course: Course, open: any ChatHandler, closed: any ChatHandler)
        case live(LiveCourse)
    }

    let slug: String
    let store: CourseStore
    /// `data/courses/<slug>/files` (submissions are stored under it).
    let folder: String
    /// The course's bot from bots.yaml (nil: only bots connected in the manager bot run it).
    let mainBot: BotIdentity?
    let scenes: Scenes
    let lock: ChatLock
    let bell: Signal

    init(slug: String, store: CourseStore, folder: String, mainBot: BotIdentity?, scenes: Scenes, lock: ChatLock, bell: Signal) {
        self.slug = slug
        self.store = store
        self.folder = folder
        self.mainBot = mainBot
        self.scenes = scenes
        self.lock = lock
        self.bell = bell
    }

    /// A course built in the manager bot: its lock and bell are the live course's.
    convenience init(live: LiveCourse, store: CourseStore) {
        self.init(slug: live.slug, store: store, folder: live.directory, mainBot: nil, scenes: .live(live), lock: live.lock, bell: live.bell)
    }

    var isLive: Bool {
        if case .live = scenes { return true }
        return false
    }

    /// The definition as the students run it now.
    var course: Course {
        switch scenes {
        case .fixed(let course, _, _): course
        case .live(let live): live.authored.course
        }
    }

    /// The published (or "coming soon") scene as a chat handler recording progress, read now.
    func handler(published: Bool) -> any ChatHandler {
        switch scenes {
        case .fixed(_, let open, let closed): published ? open : closed
        case .live(let live): live.handler(published: published)
        }
    }

    /// The handler a bot's publish gate runs (a live course's is read again on every batch).
    func gateHandler(published: Bool) -> any ChatHandler {
        switch scenes {
        case .fixed(_, let open, let closed): published ? open : closed
        case .live(let live): LiveCourseHandler(live: live, published: published)
        }
    }

    /// Title, creator and step titles as the manager bot shows them (read now).
    var info: ReviewPolicy.CourseInfo {
        let course = course
        return ReviewPolicy.CourseInfo(
            slug: slug, title: course.title, creator: course.creator,
            stepTitles: Dictionary(course.steps.map { ($0.id, $0.title ?? $0.id) }, uniquingKeysWith: { first, _ in first }))
    }
}

/// Every course the process serves, by slug, changed while it runs (courses created in the
/// manager bot are added at once): what the review relay, the refund relay and the manager scene's
/// `ReviewPolicy` (rebuilt for each batch) see, and which bot of a course talks to a student.
final class ServedCourses: Sendable {
    let admins: Set<Int64>
    let connected: ConnectedBots
    private let entries = Mutex<[String: ServedCourse]>([:])

    init(admins: Set<Int64>, connected: ConnectedBots) {
        self.admins = admins
        self.connected = connected
    }

    func add(_ course: ServedCourse) {
        entries.withLock { $0[course.slug] = course }
    }

    subscript(slug: String) -> ServedCourse? {
        entries.withLock { $0[slug] }
    }

    /// Every course, by slug order.
    var all: [ServedCourse] {
        entries.withLock { $0.values.sorted { $0.slug < $1.slug } }
    }

    /// Who reviews and refunds which course, as the courses are now.
    var policy: ReviewPolicy {
        ReviewPolicy(admins: admins, courses: all.map(\.info))
    }

    /// The bots running the course now: its bots.yaml bot first, then the connected ones.
    func bots(serving course: ServedCourse) -> [BotIdentity] {
        var bots = course.mainBot.map { [$0] } ?? []
        for identity in connected.identities(course: course.slug) where !bots.contains(where: { $0.botId == identity.botId }) {
            bots.append(identity)
        }
        return bots
    }

    /// The bot of the course that talks with this chat: the only one, else the one that last
    /// talked with it (as a broadcast picks it), else the first. Nil when no bot runs the course.
    func bot(for chatId: Int64, in course: ServedCourse) async throws -> BotIdentity? {
        let bots = bots(serving: course)
        guard bots.count > 1 else { return bots.first }
        var talked: [BotIdentity] = []
        for bot in bots where try await !course.store.chats.states(botId: bot.botId, chatIds: [chatId]).isEmpty {
            talked.append(bot)
        }
        if talked.count == 1 { return talked[0] }
        guard talked.count > 1 else { return bots.first }
        let latest = try await course.store.broadcastAudience(bots: talked.map(\.botId)).first { $0.chatId == chatId }?.botId
        return talked.first { $0.botId == latest } ?? talked[0]
    }
}
