import CourseModel
import Foundation
import Logging
import Storage
import TelegramBotAPI
import TelegramClient

/// How every course bot is set up, whatever made it: a bots.yaml bot, a bot connected in the
/// manager bot to a bots.yaml course, or a bot of a course built in the manager bot. Each gets
/// the publish gate over the course's scene and a command menu from the course as it is; its
/// background jobs (the submission downloader, the payment ledger relay with creator notices
/// through the manager bot, subscription reminders, keeping the menu up to date for a course
/// edited while running) run in the process's `BackgroundWork`, woken by the bot's commits.
struct CourseBotFactory: Sendable {
    let platform: PlatformStore
    let resources: Resources
    let flags: PublishFlags
    let courses: ServedCourses
    let clientFor: @Sendable (BotToken) -> any BotAPIClient
    let commissionPercent: Int
    /// Where payment notices go (nil: no manager bot).
    let notices: PaymentLedger.Notices?
    /// Where the bots' background jobs run.
    let background: BackgroundWork
    /// The review relay's news (a batch that stored a submission names its course there).
    let news: CourseNews
    let logger: Logger
    /// The background jobs' retry interval (downloads retried; reminders use ten times it).
    let interval: Double
    let now: @Sendable () -> Double

    /// A course bot's commands: /paysupport and /terms only when the course sells something.
    func menu(for course: Course) -> [String: [BotCommand]] {
        resources.commandMenus(["start", "contents", "progress", "help", "language"] + (course.price != .free ? ["paysupport", "terms"] : []))
    }

    /// The worker setup of one bot of `course`.
    func setup(_ identity: BotIdentity, for course: ServedCourse) -> Runtime.BotSetup {
        let courses = courses
        // The course's bot that talks with a chat (this bot when it is the only one).
        let serving: @Sendable (Int64) async throws -> Int64 = { chatId in
            try await courses.bot(for: chatId, in: course)?.botId ?? identity.botId
        }
        var download = SubmissionDownloader(
            store: course.store, client: clientFor(identity.token), token: identity.token,
            folder: (course.folder as NSString).appendingPathComponent("submissions"), logger: logger, interval: interval)
        download.owns = { submission in ((try? await serving(submission.chatId)) ?? identity.botId) == identity.botId }
        download.settled = { [news, slug = course.slug] in news.post(slug) }
        let downloader = download
        // The ledger runs in the bot's pass (`BotJobs`), not on a signal of its own.
        let paid = Signal(latching: false)
        let ledger = PaymentLedger(
            store: course.store, platform: platform, info: { course.info }, botId: { try await serving($0.chatId) },
            commissionPercent: commissionPercent, notices: notices, committed: paid, logger: logger, now: now)
        let reminded = Signal(latching: false)
        let reminders = SubscriptionScheduler(
            store: course.store, handler: { course.handler(published: true) }, botId: serving, lock: course.lock, committed: reminded,
            logger: logger, interval: interval * 10, now: now)
        // Run after each commit of the bot (and once at start): no task while the bot is idle.
        let pass: BotJobs.Pass = { [logger, interval] stop in
            var again: Double?
            // A closed database is quiet: no payment waits in it (the next commit opens it again).
            if course.store.isOpen {
                do {
                    try await ledger.relay()
                } catch {
                    logger.warning("payment ledger relay failed; trying again", metadata: ["error": "\(error)"])
                    again = 1
                }
            }
            if await downloader.pass(stop: stop) { again = min(again ?? interval, interval) }
            return again
        }
        background.botJobs.register(botId: identity.botId, pass)
        let key = "bot-\(identity.botId)"
        // A course built in the manager bot may start selling a subscription at any time.
        if course.isLive || Self.isSubscription(course.course.price) {
            background.add(key + "-reminders") { stop in await reminders.run(stop: stop) { course.bell.ring() } }
        }
        if case .live(let live) = course.scenes {
            background.add(key + "-menu") { [self] stop in await keepMenu(identity, course: course, changes: live.changed, stop: stop) }
        }
        let gate = PublishGate(slug: course.slug, flags: flags, open: course.gateHandler(published: true), closed: course.gateHandler(published: false))
        let noting = SubmissionNoting(inner: gate)
        var hooks = WorkerHooks(lock: course.lock, outboxBell: course.bell)
        hooks.commitBells = [reminded]
        hooks.afterCommit = [{ [news, jobs = background.botJobs, botId = identity.botId, slug = course.slug] in
            jobs.post(botId: botId)
            if noting.takeNoted() { news.post(slug) }
        }]
        return Runtime.BotSetup(identity: identity, chats: course.store.chats, handler: noting, commands: menu(for: course.course), hooks: hooks)
    }

    static func isSubscription(_ price: Price) -> Bool {
        if case .subscription = price { return true }
        return false
    }

    /// Sets the bot's menu again when the course starts or stops selling (the worker set it at
    /// start): woken by the course's changes, with a slow look now and then in case a change rang
    /// while this bot was busy (a failed call is retried on that look too).
    func keepMenu(_ identity: BotIdentity, course: ServedCourse, changes: Signal, stop: Signal) async {
        var sells = course.course.price != .free
        let client = clientFor(identity.token)
        while !stop.isRung {
            await changes.wait(upTo: 60, orUntil: stop)
            let now = course.course.price != .free
            guard now != sells, !stop.isRung else { continue }
            do {
                for (language, commands) in menu(for: course.course).sorted(by: { $0.key < $1.key }) {
                    _ = try await client.call(SetMyCommands(commands: commands, languageCode: language.isEmpty ? nil : language))
                }
                sells = now
                logger.info("course bot menu updated", metadata: ["course": "\(course.slug)", "sells": "\(now)"])
            } catch {
                logger.warning("could not update a course bot's menu; trying again", metadata: ["course": "\(course.slug)"])
            }
        }
    }
}
