import Foundation
import Logging
import Storage
import TelegramClient

/// What a job's handler did: the messages it sends (rows of the runner's bot outbox) and the
/// jobs it asks for next, both written in ONE transaction with the job marked done.
struct JobOutcome: Sendable {
    var outbox: [NewOutboxRow] = []
    var next: [NewJobRow] = []
}

/// A job that can never succeed (a refused call, an unreadable payload): failed at once, not retried.
struct PermanentJobError: Error, Sendable, CustomStringConvertible {
    var description: String
}

/// Carries out one kind of durable job.
protocol JobHandling: Sendable {
    /// Does the job's work. Throws to be tried again later (with backoff, or Telegram's
    /// `retry_after`); `PermanentJobError` (or Telegram refusing the call) fails it for good. A job may
    /// run again after a crash before its completion was committed: handlers use the job's
    /// idempotency key so a step already applied is not applied twice.
    func perform(_ job: JobRow) async throws -> JobOutcome
    /// What to tell the user when the job failed for good (rows of the runner's bot outbox).
    func gaveUp(_ job: JobRow, error: String) -> [NewOutboxRow]
    /// An error as stored and logged (with any token in it redacted).
    func describe(_ error: any Error) -> String
}

extension JobHandling {
    func gaveUp(_ job: JobRow, error: String) -> [NewOutboxRow] { [] }
    func describe(_ error: any Error) -> String { String(describing: error) }
}

/// Runs the platform database's durable jobs (contract: "no handler calls Telegram"; side
/// effects that are not messages are job rows): each kind by its handler, one job of a lane at
/// a time in the order written, retried with backoff (Telegram's `retry_after` honoured) up to
/// `maxAttempts`, then failed and kept. Woken by `bell` (rung after every committed batch that
/// may have written jobs) and by the time the next retry is due.
struct JobRunner: Sendable {
    let platform: PlatformStore
    /// The bot whose outbox (in the platform database) receives the handlers' messages.
    let botId: Int64
    let handlers: [String: any JobHandling]
    let bell: Signal
    let logger: Logger
    var maxAttempts = 8
    /// Seconds before retry number `attempt` (1-based), without Telegram's `retry_after`.
    var backoff: @Sendable (Int) -> Double = { attempt in min(60, 0.5 * pow(2, Double(attempt - 1))) * Double.random(in: 0.8...1.2) }
    let now: @Sendable () -> Double

    func run(stop: Signal, wakeOutbox: @escaping @Sendable () -> Void) async {
        while !stop.isRung {
            // Nothing pending: sleep until a commit writes a job (its bell), with no timer.
            var wait: Double?
            do {
                if try await runDue() { wakeOutbox() }
                if let next = try await platform.nextJobTime() { wait = max(0.01, min(30, next - now())) }
            } catch {
                logger.warning("job runner could not read its jobs; trying again", metadata: ["error": "\(error)"])
                wait = 2
            }
            if let wait {
                await bell.wait(upTo: wait, orUntil: stop)
            } else {
                await bell.wait(orUntil: stop)
            }
        }
    }

    /// Runs every job due now (and those that become due while it runs); true when a message was queued.
    @discardableResult
    func runDue() async throws -> Bool {
        var queued = false
        while true {
            let due = try await platform.dueJobs(now: now())
            if due.isEmpty { return queued }
            for job in due where try await run(job) { queued = true }
        }
    }

    /// One attempt of one job; true when it queued messages.
    func run(_ job: JobRow) async throws -> Bool {
        CrashPoint.reach("jobs.before-run")
        guard let handler = handlers[job.kind] else {
            try await platform.failJob(id: job.id, error: "no handler for jobs of kind \(job.kind)", botId: botId, outbox: [], now: now())
            logger.error("a job of an unknown kind was failed", metadata: ["kind": "\(job.kind)", "job": "\(job.id)"])
            return false
        }
        let outcome: JobOutcome
        do {
            outcome = try await handler.perform(job)
        } catch {
            return try await settleFailure(of: job, handler: handler, error: error)
        }
        try await platform.completeJob(id: job.id, botId: botId, outbox: outcome.outbox, next: outcome.next, now: now())
        return !outcome.outbox.isEmpty
    }

    /// A job's handler threw: failed for good (and the user told) or put off for a retry.
    /// Not optimized: the Swift 6.3 release optimizer crashes (CopyPropagation, "Found ownership
    /// error") on this body, inlined into `run` or not; it runs only when a job failed.
    @_optimize(none)
    func settleFailure(of job: JobRow, handler: any JobHandling, error: any Error) async throws -> Bool {
        let text = handler.describe(error)
        let attempt = job.attempts + 1
        if Self.isPermanent(error) || attempt >= maxAttempts {
            let rows = handler.gaveUp(job, error: text)
            try await platform.failJob(id: job.id, error: text, botId: botId, outbox: rows, now: now())
            logger.error("a job failed for good", metadata: ["kind": "\(job.kind)", "job": "\(job.id)", "attempts": "\(attempt)", "error": "\(text)"])
            return !rows.isEmpty
        }
        let wait = Self.retryAfter(error) ?? backoff(attempt)
        try await platform.retryJob(id: job.id, notBefore: now() + wait, error: text, now: now())
        logger.warning("a job failed; trying again", metadata: [
            "kind": "\(job.kind)", "job": "\(job.id)", "attempt": "\(attempt)", "in_seconds": "\(String(format: "%.2f", wait))", "error": "\(text)",
        ])
        return false
    }

    /// Telegram's `retry_after` (a 429), in seconds.
    static func retryAfter(_ error: any Error) -> Double? {
        (error as? BotAPIError)?.retryAfter.map(Double.init)
    }

    /// Errors no retry can mend: a `PermanentJobError`, or Telegram refusing the call (400, 403…; not 429 or 5xx).
    static func isPermanent(_ error: any Error) -> Bool {
        if error is PermanentJobError { return true }
        guard let apiError = error as? BotAPIError else { return false }
        return !apiError.isRetryable
    }
}
