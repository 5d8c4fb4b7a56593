import CourseFlows
import Foundation
import Localization
import Logging
import Metrics
import SceneEngine
import Storage
import TelegramBotAPI

/// A course bot's companion that copies each payment its course database credited into the
/// platform ledger, exactly once: the course transaction that granted access stored the payment
/// (UNIQUE charge id); the ledger insert is `INSERT OR IGNORE` on the UNIQUE charge id, with the
/// creator's notice queued in the same platform transaction; only then is the course row marked
/// ledgered. A crash anywhere in between repeats a step that changes nothing the second time, and
/// `payments_processed_total` counts only rows new to the ledger.
struct PaymentLedger: Sendable {
    /// Where payment notices go: the manager bot's outbox, to the course's creator (else admins)
    /// once they have sent the manager bot /start.
    struct Notices: Sendable {
        var managerBotId: Int64
        var admins: Set<Int64>
        var managerBell: Signal
        var catalog: LocaleCatalog
    }

    let store: CourseStore
    let platform: PlatformStore
    /// The course as it is now (a course built in the manager bot changes while running).
    let info: @Sendable () -> ReviewPolicy.CourseInfo
    /// The bot the ledger row names: the course's bot that received the payment.
    let botId: @Sendable (CoursePaymentRow) async throws -> Int64
    let commissionPercent: Int
    let notices: Notices?
    let committed: Signal
    let logger: Logger
    let now: @Sendable () -> Double

    static let counter = Counter(label: "payments_processed_total")

    func run(stop: Signal) async {
        while !stop.isRung {
            do {
                try await relay()
                await committed.wait(orUntil: stop)
            } catch {
                logger.warning("payment ledger relay failed; trying again", metadata: ["error": "\(error)"])
                await stop.wait(upTo: 1)
            }
        }
    }

    /// Copies every payment not in the ledger yet; the number of new ledger rows.
    @discardableResult
    func relay() async throws -> Int {
        let waiting = try await store.unledgeredPayments()
        guard !waiting.isEmpty else { return 0 }
        let course = info()
        let reachable = try await reachableRecipients(course.creator.map { [$0] } ?? notices?.admins ?? [])
        var added = 0
        for payment in waiting {
            let slug = course.slug
            let new = try await platform.recordPayment(
                payment, courseSlug: slug, botId: try await botId(payment), commissionPercent: commissionPercent, managerBotId: notices?.managerBotId,
                outbox: { id in reachable.flatMap { notice(payment, course: course, ledgerId: id, chatId: $0.key, locale: $0.value) } }, now: now())
            if new {
                added += 1
                Self.counter.increment()
                logger.info("payment recorded", metadata: [
                    "course": "\(slug)", "user": "\(payment.userId)", "item": "\(payment.item)", "amount": "\(payment.amount)",
                    "currency": "\(payment.currency)",
                ])
            }
            try await store.markLedgered(chargeId: payment.chargeId, now: now())
        }
        if added > 0 { notices?.managerBell.ring() }
        return added
    }

    /// Recipients who started the manager bot, with their locale.
    func reachableRecipients(_ recipients: Set<Int64>) async throws -> [Int64: String] {
        guard let notices, !recipients.isEmpty else { return [:] }
        let states = try await platform.chats.states(botId: notices.managerBotId, chatIds: recipients)
        var result: [Int64: String] = [:]
        for (chatId, data) in states {
            guard let state = try? JSONDecoder().decode(ManagerScene.State.self, from: data), state.started else { continue }
            let primary = state.languageCode?.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? "en"
            result[chatId] = notices.catalog.hasLocale(primary) ? primary : "en"
        }
        return result
    }

    /// "New payment" in the manager bot with a Refund button.
    func notice(_ payment: CoursePaymentRow, course: ReviewPolicy.CourseInfo, ledgerId: Int64, chatId: Int64, locale: String) -> [NewOutboxRow] {
        guard let catalog = notices?.catalog else { return [] }
        func text(_ key: String, _ arguments: [String: String] = [:]) -> String {
            TelegramHTML.escape(catalog.text(key, locale: locale, arguments))
        }
        let item: String = if payment.item.hasPrefix("step:") {
            course.stepTitles[String(payment.item.dropFirst(5))] ?? String(payment.item.dropFirst(5))
        } else {
            catalog.text("manager.item_\(payment.item == "unknown" ? "unknown" : payment.item)", locale: locale)
        }
        let lines = [
            "<b>\(text("manager.new_payment", ["id": String(ledgerId), "course": course.title]))</b>",
            text("manager.payment_line", [
                "amount": String(payment.amount), "currency": payment.currency == "XTR" ? "⭐" : payment.currency,
                "item": item, "user": String(payment.userId),
            ]),
        ]
        let button = Button.callback(
            catalog.text("manager.refund_button", locale: locale),
            ReviewCallback.refund(courseHash: ReviewCallback.hash(of: course.slug), paymentId: ledgerId).encoded)
        return EffectRenderer.rows(for: .send(OutgoingMessage(text: lines.joined(separator: "\n"), buttons: [[button]])), chatId: chatId, updateId: nil)
    }
}
