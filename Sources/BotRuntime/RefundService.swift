import CourseFlows
import Foundation
import Localization
import Logging
import SceneEngine
import Storage
import TelegramBotAPI
import TelegramClient

/// The manager bot's companion for refunds asked for with a payment notice's **Refund** button,
/// durable at every step: `refundStarPayment` by the course's own bot (a request still `pending`
/// after a crash asks again; Telegram answers CHARGE_ALREADY_REFUNDED, taken as done), then the
/// ledger marked refunded (`refunded`), then the student's access withdrawn in the course
/// database together with their state and a message (once: the course row's `refunded_at`),
/// then the request `applied`.
struct RefundService: Sendable {
    let platform: PlatformStore
    let managerBotId: Int64
    /// Every course served now (courses built in the manager bot join while running).
    let courses: ServedCourses
    /// A course bot's client (the bot that received a payment refunds it).
    let clientFor: @Sendable (BotToken) -> any BotAPIClient
    let catalog: LocaleCatalog
    let logger: Logger
    let committed: Signal
    let now: @Sendable () -> Double

    func run(stop: Signal, wakeOutbox: @escaping @Sendable () -> Void) async {
        while !stop.isRung {
            do {
                if try await process() { wakeOutbox() }
                await committed.wait(orUntil: stop)
            } catch {
                logger.warning("refund relay failed; trying again", metadata: ["error": "\(error)"])
                await stop.wait(upTo: 2)
            }
        }
    }

    /// Carries out open requests; true when a manager message was queued.
    func process() async throws -> Bool {
        var queued = false
        let policy = courses.policy
        for request in try await platform.openRefundRequests() {
            let locale = try await locale(of: request.requesterId)
            func message(_ key: String, _ arguments: [String: String] = [:]) -> [NewOutboxRow] {
                let text = TelegramHTML.escape(catalog.text(key, locale: locale, arguments))
                return EffectRenderer.rows(for: .send(OutgoingMessage(text: text)), chatId: request.requesterId, updateId: nil)
            }
            let id = String(request.paymentId)
            let found = try await platform.ledgerEntry(id: request.paymentId)
            guard let entry = found, let course = courses[entry.courseSlug],
                policy.mayReview(request.requesterId, slug: entry.courseSlug)
            else {
                try await platform.finishRefund(
                    requestId: request.id, status: "refused", error: nil, botId: managerBotId, outbox: message("manager.refund_refused", ["id": id]), now: now())
                try await platform.audit(
                    actorId: request.requesterId, action: "denied", subject: found?.courseSlug,
                    details: "refund of payment #\(id)", now: now())
                queued = true
                continue
            }
            let bots = courses.bots(serving: course)
            // The bot that received the payment refunds it; else the one that talks with the student.
            let talking = try await courses.bot(for: entry.userId, in: course)
            let bot = bots.first(where: { $0.botId == entry.botId }) ?? talking
            if request.status == "pending", !entry.refunded, bot == nil {
                try await platform.finishRefund(
                    requestId: request.id, status: "failed", error: "no bot runs the course", botId: managerBotId,
                    outbox: message("manager.refund_failed", ["id": id, "error": "no bot runs the course"]), now: now())
                try await platform.audit(
                    actorId: request.requesterId, action: "refund.failed", subject: entry.courseSlug, details: "payment #\(id): no bot runs the course", now: now())
                queued = true
                continue
            }
            if request.status == "pending" {
                if !entry.refunded {
                    if let bot, let failure = try await refund(entry, with: clientFor(bot.token)) {
                        try await platform.finishRefund(
                            requestId: request.id, status: "failed", error: failure, botId: managerBotId,
                            outbox: message("manager.refund_failed", ["id": id, "error": String(failure.prefix(200))]), now: now())
                        try await platform.audit(
                            actorId: request.requesterId, action: "refund.failed", subject: entry.courseSlug,
                            details: "payment #\(id): \(failure.prefix(200))", now: now())
                        queued = true
                        continue
                    }
                    CrashPoint.reach("refund.refunded")
                }
                try await platform.markRefunded(
                    requestId: request.id, paymentId: entry.id, botId: managerBotId, outbox: message("manager.refund_done", ["id": id]), now: now())
                try await platform.audit(
                    actorId: request.requesterId, action: "payment.refund", subject: entry.courseSlug, details: "payment #\(id)", now: now())
                queued = true
            }
            try await withdraw(entry, from: course, botId: talking?.botId ?? entry.botId)
            try await platform.finishRefund(requestId: request.id, status: "applied", error: nil, botId: managerBotId, outbox: [], now: now())
            logger.info("payment refunded", metadata: ["course": "\(entry.courseSlug)", "payment": "\(entry.id)", "by": "\(request.requesterId)"])
        }
        return queued
    }

    /// Asks Telegram to refund; nil when refunded (now or before), else the reason it never will.
    /// Network and server trouble throws: the request stays pending and is tried again.
    func refund(_ entry: LedgerEntry, with client: any BotAPIClient) async throws -> String? {
        do {
            _ = try await client.call(RefundStarPayment(userId: entry.userId, telegramPaymentChargeId: entry.chargeId))
            return nil
        } catch let error as BotAPIError {
            switch error.kind {
            case .badRequest(let reason) where reason.contains("CHARGE_ALREADY_REFUNDED"): return nil
            case .badRequest(let reason), .forbidden(let reason): return reason
            default: throw error
            }
        }
    }

    /// The student's scene told `.paymentRefunded` in one course transaction with the payment row.
    func withdraw(_ entry: LedgerEntry, from course: ServedCourse, botId: Int64) async throws {
        let language = try await course.store.studentLocale(userId: entry.userId)
        let handler = course.handler(published: true)
        let time = now()
        let applied = try await course.lock.withLock {
            try await course.store.applyRefund(chargeId: entry.chargeId, botId: botId, now: time) { payment, stored in
                let event = ChatEvent(
                    updateId: 0, chatId: payment.chatId, user: ChatUser(id: payment.userId, languageCode: language),
                    kind: .paymentRefunded(telegramChargeId: payment.chargeId))
                let outcome = handler.handle([event], stored: stored, now: time)
                var batch = BatchCommit(botId: botId)
                if let state = outcome.state {
                    batch.states.append(ChatStateRow(chatId: payment.chatId, userId: payment.userId, state: state))
                }
                for (effect, _) in outcome.effects {
                    batch.outbox += EffectRenderer.rows(for: effect, chatId: payment.chatId, updateId: nil)
                }
                outcome.records.add(to: &batch)
                return batch
            }
        }
        if applied { course.bell.ring() }
    }

    func locale(of userId: Int64) async throws -> String {
        let state = try await platform.chats.states(botId: managerBotId, chatIds: [userId])[userId]
            .flatMap { try? JSONDecoder().decode(ManagerScene.State.self, from: $0) }
        let primary = state?.languageCode?.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? "en"
        return catalog.hasLocale(primary) ? primary : "en"
    }
}
