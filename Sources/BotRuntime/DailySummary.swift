import Foundation
import Localization
import Logging
import SceneEngine
import Storage
import TelegramBotAPI

/// The background job that sends creators a daily summary of new payments (contract
/// §2): once a day per creator, the payments recorded in the ledger since their last summary and
/// not refunded, per course with count and sum in each currency; nothing when there were none.
///
/// Durable across restarts: the time of each creator's last summary lives in the platform
/// database (`creator_summaries`), written in one transaction with the summary's message in the
/// manager bot's outbox (sent within its rate limits), so a restart never sends one twice. The
/// first period starts when the creator sent the manager bot /start (their account); only
/// creators who did receive summaries. Time comes from the runtime's clock, so tests move it.
struct DailySummary: Sendable {
    /// A course whose payments are summarized, and who hears of them (its creator, else the admins).
    struct CourseInfo: Sendable {
        var slug: String
        var title: String
        var recipients: Set<Int64>
    }

    let platform: PlatformStore
    let managerBotId: Int64
    /// The courses now (read at each check: courses authored in the manager bot join live).
    let courses: @Sendable () -> [CourseInfo]
    let catalog: LocaleCatalog
    let logger: Logger
    /// The longest sleep between checks (the clock may be moved: tests inject it).
    let interval: Double
    let now: @Sendable () -> Double
    /// Seconds between a creator's summaries.
    var period: Double = 86_400

    /// Sleeps until the next creator's summary is due (kept in memory, read again after each
    /// summary) or the manager bot committed a batch (a creator may have sent /start); with no
    /// creator to summarize for, only a commit wakes it.
    func run(stop: Signal, committed: Signal, wakeOutbox: @escaping @Sendable () -> Void) async {
        while !stop.isRung {
            var next: Double?
            do {
                if try await sendDue() > 0 { wakeOutbox() }
                next = try await nextDue()
            } catch {
                logger.warning("daily payment summaries failed; trying again", metadata: ["error": "\(error)"])
                next = now() + interval
            }
            guard let next else {
                await committed.wait(orUntil: stop)
                continue
            }
            // Never longer than `interval`: the clock may be moved (tests inject it).
            await committed.wait(upTo: min(max(next - now(), 0.01), interval), orUntil: stop)
        }
    }

    /// When the next summary is due: the earliest period start of a reachable creator plus the
    /// period; nil when no creator of a course has sent the manager bot /start.
    func nextDue() async throws -> Double? {
        let recipients = Set(courses().flatMap(\.recipients))
        let reachable = try await reachableCreators(recipients)
        guard !reachable.isEmpty else { return nil }
        let starts = try await platform.summaryPeriodStarts(creatorIds: Set(reachable.keys))
        let due = starts.values.min().map { $0 + period }
        // A creator whose account the manager desk is still recording: look again soon.
        guard starts.count == reachable.count else { return min(due ?? .infinity, now() + interval) }
        return due
    }

    /// Records every due summary (queuing a message when there were payments); how many messages were queued.
    @discardableResult
    func sendDue() async throws -> Int {
        var coursesByCreator: [Int64: [CourseInfo]] = [:]
        for course in courses() {
            for recipient in course.recipients { coursesByCreator[recipient, default: []].append(course) }
        }
        let reachable = try await reachableCreators(Set(coursesByCreator.keys))
        guard !reachable.isEmpty else { return 0 }
        let starts = try await platform.summaryPeriodStarts(creatorIds: Set(reachable.keys))
        let time = now()
        var queued = 0
        for (creator, locale) in reachable.sorted(by: { $0.key < $1.key }) {
            guard let since = starts[creator], time - since >= period else { continue }
            let mine = coursesByCreator[creator] ?? []
            let totals = try await platform.paymentTotals(courseSlugs: Set(mine.map(\.slug)), after: since, upTo: time)
            let rows = totals.isEmpty ? [] : message(totals, courses: mine, since: since, chatId: creator, locale: locale)
            let recorded = try await platform.recordSummary(creatorId: creator, at: time, managerBotId: managerBotId, outbox: rows)
            if recorded, !rows.isEmpty {
                queued += 1
                logger.info("daily payment summary queued", metadata: ["creator": "\(creator)", "courses": "\(Set(totals.map(\.courseSlug)).count)"])
            }
        }
        return queued
    }

    /// Creators who started the manager bot, with their locale.
    func reachableCreators(_ ids: Set<Int64>) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        var result: [Int64: String] = [:]
        for (chatId, data) in try await platform.chats.states(botId: managerBotId, chatIds: ids) {
            guard let state = try? JSONDecoder().decode(ManagerScene.State.self, from: data), state.started else { continue }
            let primary = state.languageCode?.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? "en"
            result[chatId] = catalog.hasLocale(primary) ? primary : "en"
        }
        return result
    }

    /// The summary: a line per course and currency, and totals per currency when several courses sold.
    func message(_ totals: [PaymentTotal], courses: [CourseInfo], since: Double, chatId: Int64, locale: String) -> [NewOutboxRow] {
        let titles = Dictionary(courses.map { ($0.slug, $0.title) }, uniquingKeysWith: { first, _ in first })
        func currency(_ code: String) -> String { code == "XTR" ? "⭐" : code }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        var lines = ["<b>\(TelegramHTML.escape(catalog.text("summary.title", locale: locale, ["since": formatter.string(from: Date(timeIntervalSince1970: since))])))</b>"]
        for total in totals {
            lines.append(TelegramHTML.escape(catalog.plural("summary.course_line", count: total.count, locale: locale, [
                "course": titles[total.courseSlug] ?? total.courseSlug, "amount": String(total.amount), "currency": currency(total.currency),
            ])))
        }
        if Set(totals.map(\.courseSlug)).count > 1 {
            var sums: [String: Int] = [:]
            for total in totals { sums[total.currency, default: 0] += total.amount }
            for (code, amount) in sums.sorted(by: { $0.key < $1.key }) {
                lines.append(TelegramHTML.escape(catalog.text("summary.total", locale: locale, ["amount": String(amount), "currency": currency(code)])))
            }
        }
        return EffectRenderer.rows(for: .send(OutgoingMessage(text: lines.joined(separator: "\n"))), chatId: chatId, updateId: nil)
    }
}

extension DailySummary {
    /// The summarized courses: each course's creator hears of its payments, else the admins
    /// (as with the per-payment notices).
    static func courses(_ entries: [ManagedCourse], admins: [Int64]) -> [CourseInfo] {
        entries.map { CourseInfo(slug: $0.course.slug, title: $0.course.title, recipients: $0.course.creator.map { [$0] } ?? Set(admins)) }
    }
}
