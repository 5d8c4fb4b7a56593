import CourseModel
import Foundation
import Logging
import Storage
import TelegramBotAPI
import TelegramClient

/// How every course bot is set up, whatever made it: a bots.yaml bot, a bot connected in the
/// manager bot to a bots.yaml course, or a bot of a course built in the manager bot. Each gets
/// the publish gate over the course's scene, the submission downloader, the payment ledger
/// companion (creator notices through the manager bot), subscription reminders, and a command
/// menu from the course as it is (kept up to date for a course edited while running).
struct CourseBotFactory: Sendable {
    let platform: PlatformStore
    let resources: Resources
    let flags: PublishFlags
    let courses: ServedCourses
    let clientFor: @Sendable (BotToken) -> any BotAPIClient
    let commissionPercent: Int
    /// Where payment notices go (nil: no manager bot).
    let notices: PaymentLedger.Notices?
    let logger: Logger
    /// The background jobs' polling interval (downloads retried; reminders use ten times it).
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
        let committed = Signal(latching: false)
        var download = SubmissionDownloader(
            store: course.store, client: clientFor(identity.token), token: identity.token,
            folder: (course.folder as NSString).appendingPathComponent("submissions"), logger: logger, interval: interval, committed: committed)
        download.owns = { submission in ((try? await serving(submission.chatId)) ?? identity.botId) == identity.botId }
        let downloader = download
        let paid = Signal(latching: false)
        let ledger = PaymentLedger(
            store: course.store, platform: platform, info: { course.info }, botId: { try await serving($0.chatId) },
            commissionPercent: commissionPercent, notices: notices, committed: paid, logger: logger, now: now)
        let reminded = Signal(latching: false)
        let reminders = SubscriptionScheduler(
            store: course.store, handler: { course.handler(published: true) }, botId: serving, lock: course.lock, committed: reminded,
            logger: logger, interval: interval * 10, now: now)
        var hooks = WorkerHooks(lock: course.lock, outboxBell: course.bell, committed: committed, companions: [
            { stop, _ in await downloader.run(stop: stop) },
            { stop, _ in await ledger.run(stop: stop) },
        ])
        // A course built in the manager bot may start selling a subscription at any time.
        if course.isLive || Self.isSubscription(course.course.price) {
            hooks.companions.append { stop, wake in await reminders.run(stop: stop, wakeOutbox: wake) }
        }
        if case .live(let live) = course.scenes {
            hooks.companions.append { [self] stop, _ in await keepMenu(identity, course: course, changes: live.changed, stop: stop) }
        }
        hooks.commitBells = [paid, reminded]
        let gate = PublishGate(slug: course.slug, flags: flags, open: course.gateHandler(published: true), closed: course.gateHandler(published: false))
        return Runtime.BotSetup(identity: identity, chats: course.store.chats, handler: gate, commands: menu(for: course.course), hooks: hooks)
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
