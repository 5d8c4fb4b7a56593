import CourseFlows
import Foundation
import Logging
import SceneEngine
import Storage

/// A course bot's background job that reminds subscribers (contract §2: 3 days and 1 day before
/// access ends) and closes ended subscriptions without waiting for the student to write.
///
/// The due times live in the course database (`subscription_reminders`, written with each
/// subscription payment), so they survive restarts. Each due check is delivered to the
/// student's scene as `.subscriptionCheck` in one transaction with the check marked done and
/// the messages queued in the outbox (sent within the rate limits like any other message); the
/// scene keeps which notices it gave, so nothing is said twice.
struct SubscriptionScheduler: Sendable {
    let store: CourseStore
    /// The course's published scene as it is now (recording progress).
    let handler: @Sendable () -> any ChatHandler
    /// The course's bot that talks with this chat (its state is the one told).
    let botId: @Sendable (_ chatId: Int64) async throws -> Int64
    let lock: ChatLock
    /// Rung after each committed batch of the bot (a new subscription may have been paid).
    let committed: Signal
    let logger: Logger
    /// The longest sleep while checks are pending (the clock may be moved: tests inject it).
    let interval: Double
    let now: @Sendable () -> Double

    /// Reads the next due time at start (then closes the database again if nothing else waits
    /// in it) and after each commit of the course's bot; in between it sleeps until that time,
    /// looking at the database only when a check is due.
    func run(stop: Signal, wakeOutbox: @escaping @Sendable () -> Void) async {
        var first = true
        var next: Double?
        var look = true
        while !stop.isRung {
            if look {
                do {
                    if try await deliverDue() > 0 { wakeOutbox() }
                    next = try await store.nextReminder()
                    if first { try await store.closeIfQuiet() }
                    first = false
                } catch {
                    logger.warning("subscription reminders failed; trying again", metadata: ["error": "\(error)"])
                    next = now() + interval
                }
            }
            guard let due = next else {
                // Nothing scheduled: sleep until a batch is committed.
                await committed.wait(orUntil: stop)
                look = true
                continue
            }
            // Never longer than `interval`: the clock may be moved (tests inject it).
            let rang = await committed.wait(upTo: min(max(due - now(), 0.01), interval), orUntil: stop)
            look = rang || now() >= due
        }
    }

    /// Delivers every due check; how many produced a commit.
    @discardableResult
    func deliverDue() async throws -> Int {
        var delivered = 0
        let handler = handler()
        for reminder in try await store.dueReminders(now: now()) {
            let language = try await store.studentLocale(userId: reminder.userId)
            let botId = try await botId(reminder.chatId)
            let time = now()
            let applied = try await lock.withLock {
                try await store.applyReminder(reminder, botId: botId, now: time) { stored in
                    let event = ChatEvent(
                        updateId: 0, chatId: reminder.chatId, user: ChatUser(id: reminder.userId, languageCode: language),
                        kind: .subscriptionCheck)
                    let outcome = handler.handle([event], stored: stored, now: time)
                    var batch = BatchCommit(botId: botId)
                    if let state = outcome.state {
                        batch.states.append(ChatStateRow(chatId: reminder.chatId, userId: reminder.userId, state: state))
                    }
                    for (effect, _) in outcome.effects {
                        batch.outbox += EffectRenderer.rows(for: effect, chatId: reminder.chatId, updateId: nil)
                    }
                    outcome.records.add(to: &batch)
                    return batch
                }
            }
            if applied { delivered += 1 }
        }
        return delivered
    }
}
