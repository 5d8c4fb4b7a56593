import Foundation
import Logging
import Metrics
import Storage
import Synchronization
import TelegramBotAPI
import TelegramClient

/// Drains one bot's outbox within Telegram's limits from an in-memory `OutboxSchedule`: rows are
/// loaded from SQLite once at start, then taken straight from the worker's commits (`take`) or,
/// for other writers, loaded by id above the highest seen when they ring (`wake`): no query and
/// no decoding per wave. Per-bot and per-chat token buckets, one message in flight per chat
/// (order kept), 429 `retry_after` honoured for the chat or the whole bot as Telegram means it,
/// urgent answers to queries skipping the queue but never a pause; every wave's outcomes are
/// written in one transaction (rows deleted only once Telegram accepted them), and a 403 drops
/// the chat's queue. A final class for the same reason as `BotWorker`: its idle frame holds `self`.
final class OutboxSender: Sendable {
    let identity: BotIdentity
    let client: any BotAPIClient
    let chats: ChatStore
    let settings: WorkerSettings
    let logger: Logger
    let now: @Sendable () -> Double
    let doorbell = Signal(latching: false)
    /// Rows handed over by the worker, and whether another writer rang since the last look.
    private let inbox = Mutex(Inbox())

    struct Inbox {
        var rows: [OutboxRow] = []
        var reload = true
    }

    init(identity: BotIdentity, client: any BotAPIClient, chats: ChatStore, settings: WorkerSettings, logger: Logger, now: @escaping @Sendable () -> Double) {
        self.identity = identity
        self.client = client
        self.chats = chats
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    /// Another writer (a review, a reminder, a broadcast…) committed rows: load those not seen.
    func wake() {
        inbox.withLock { $0.reload = true }
        doorbell.ring()
    }

    /// The worker committed these rows (with their ids): taken as they are, with no query.
    func take(_ rows: [OutboxRow]) {
        guard !rows.isEmpty else { return }
        inbox.withLock { $0.rows += rows }
        doorbell.ring()
    }

    func run(stop: Signal) async throws {
        var schedule = OutboxSchedule(limits: settings.rateLimits)
        // Every row with an id up to this one is in the schedule or needs no sending.
        var loadedThrough: Int64 = 0
        var unsaved: [OutboxSettlement] = []
        while !stop.isRung {
            do {
                try await intake(into: &schedule, loadedThrough: &loadedThrough)
            } catch {
                // The worker restarts the sender, which loads every pending row again: what Telegram
                // accepted must be marked first, or it would go twice.
                await saveBeforeLeaving(&unsaved)
                throw error
            }
            let time = now()
            let wave = schedule.next(now: time, limit: settings.senderConcurrency)
            if wave.isEmpty {
                if let at = schedule.nextTime(now: time) {
                    await doorbell.wait(upTo: max(0.001, min(at - time, 5)), orUntil: stop)
                } else {
                    // Idle: every commit rings the doorbell, so wait for it with no timer and no task.
                    await doorbell.wait(orUntil: stop)
                }
                continue
            }
            let outcomes = await withTaskGroup(of: (OutboxRow, SendOutcome).self) { group in
                for row in wave {
                    group.addTask { (row, await self.send(row)) }
                }
                var outcomes: [(OutboxRow, SendOutcome)] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let unauthorized = record(outcomes, in: &schedule, settlements: &unsaved)
            await save(&unsaved)
            if unauthorized {
                await saveBeforeLeaving(&unsaved)
                return
            }
        }
        await saveBeforeLeaving(&unsaved)
    }

    /// Takes the rows handed over and, when another writer rang (or the handed rows do not follow
    /// the last id seen, so someone wrote between), loads the pending rows above the last id seen.
    private func intake(into schedule: inout OutboxSchedule, loadedThrough: inout Int64) async throws {
        let (handed, rang) = inbox.withLock { inbox in
            defer { inbox = Inbox(rows: [], reload: false) }
            return (inbox.rows, inbox.reload)
        }
        // A handed row at or below the last id seen was loaded already (and may be sent already).
        let fresh = handed.filter { $0.id > loadedThrough }.sorted { $0.id < $1.id }
        var follows = true
        var expected = loadedThrough + 1
        for row in fresh {
            if row.id != expected { follows = false }
            expected = row.id + 1
        }
        var rows = fresh
        if rang || !follows {
            let loaded = try await chats.pendingOutbox(botId: identity.botId, after: loadedThrough, excluding: Set(fresh.map(\.id)))
            if !loaded.rows.isEmpty {
                rows = (fresh + loaded.rows).sorted { $0.id < $1.id }
            }
            loadedThrough = max(loadedThrough, loaded.highest ?? 0)
        }
        if let last = fresh.last { loadedThrough = max(loadedThrough, last.id) }
        if !rows.isEmpty { schedule.enqueue(rows, now: now()) }
    }

    /// Applies a wave's answers to the schedule and turns them into settlements to write.
    /// True when Telegram refused the token (the sender stops).
    private func record(_ outcomes: [(OutboxRow, SendOutcome)], in schedule: inout OutboxSchedule, settlements: inout [OutboxSettlement]) -> Bool {
        let time = now()
        var unauthorized = false
        var chatPauses: [Int64: Double] = [:]
        for (row, outcome) in outcomes {
            switch outcome {
            case .delivered:
                schedule.settle(row, .finished, now: time)
                settlements.append(OutboxSettlement(row, .delivered))
            case .failed(let error):
                schedule.settle(row, .finished, now: time)
                settlements.append(OutboxSettlement(row, .failed(error)))
            case .blocked(let error):
                let dropped = schedule.settle(row, .blocked, now: time)
                settlements.append(OutboxSettlement(row, .blocked(error)))
                settlements += dropped.map { OutboxSettlement($0, .blocked(error)) }
            case .retry(let after, let error):
                schedule.settle(row, .retry(at: time + after), now: time)
                settlements.append(OutboxSettlement(row, .retry(notBefore: time + after, error: error)))
            case .tooManyRequests(let retryAfter, let wholeBot, let error):
                let until = time + retryAfter
                schedule.settle(row, wholeBot ? .botPaused(until: until) : .chatPaused(until: until), now: time)
                if !wholeBot { chatPauses[row.chatId] = until }
                settlements.append(OutboxSettlement(row, .retry(notBefore: until, error: error)))
            case .unauthorized:
                unauthorized = true
            }
        }
        // 429s for several chats at once are Telegram's flood limit for the whole bot.
        if chatPauses.count > 1, let until = chatPauses.values.max() {
            schedule.pauseBot(until: until)
        }
        return unauthorized
    }

    /// Writes the settlements in one transaction; on failure they are kept for the next wave.
    private func save(_ settlements: inout [OutboxSettlement]) async {
        guard !settlements.isEmpty else { return }
        do {
            try await chats.settleOutbox(settlements, botId: identity.botId, now: now())
            settlements.removeAll(keepingCapacity: true)
        } catch {
            logger.error("could not record sent outbox rows; trying again after the next wave", metadata: ["error": "\(identity.token.redact(String(describing: error)))", "rows": "\(settlements.count)"])
        }
    }

    /// The last save before the sender ends (stopping, or restarted by its worker): tried a few
    /// times, since a settlement lost here is a message sent twice after the restart.
    private func saveBeforeLeaving(_ settlements: inout [OutboxSettlement]) async {
        for attempt in 0..<5 where !settlements.isEmpty {
            if attempt > 0 { try? await Task.sleep(for: .milliseconds(100 << attempt)) }
            await save(&settlements)
        }
    }

    enum SendOutcome: Sendable {
        case delivered
        case failed(String)
        case blocked(String)
        case retry(after: Double, String)
        case tooManyRequests(retryAfter: Double, wholeBot: Bool, String)
        case unauthorized
    }

    /// Sends one row; what became of it is recorded by the caller (nothing is written here but
    /// the media file_id cache).
    func send(_ row: OutboxRow) async -> SendOutcome {
        do {
            let (result, uploaded) = try await perform(row)
            // Cached under the signature of the bytes uploaded, read before the upload: the file
            // may have been edited meanwhile, and then the next send must upload it again.
            if let path = row.mediaPath, let signature = uploaded, let fileId = MediaUpload.fileId(in: result, field: row.mediaField ?? "") {
                try? await chats.cacheFileId(botId: identity.botId, path: path, signature: signature, fileId: fileId)
            }
            return .delivered
        } catch let error as BotAPIError {
            return handle(error, row: row)
        } catch let error as MediaUpload.Missing {
            logger.error("outbox row refers to a missing file", metadata: ["file": "\(error.path)"])
            return .failed("missing file \(error.path)")
        } catch {
            return .retry(after: settings.backoff(attempt: row.attempts + 1), identity.token.redact(String(describing: error)))
        }
    }

    private func handle(_ error: BotAPIError, row: OutboxRow) -> SendOutcome {
        let text = error.description
        switch error.kind {
        case .tooManyRequests(let retryAfter):
            let wholeBot = Self.pausesWholeBot(error, row: row)
            logger.notice("Telegram asked to slow down", metadata: [
                "method": "\(error.method)", "chat": "\(row.chatId)", "retry_after": "\(retryAfter)", "scope": "\(wholeBot ? "bot" : "chat")",
            ])
            return .tooManyRequests(retryAfter: Double(max(retryAfter, 1)), wholeBot: wholeBot, text)
        case .forbidden:
            return .blocked(text)
        case .badRequest(let description):
            if description.contains("message is not modified") || description.contains("query is too old") {
                return .delivered
            }
            logger.error("Telegram refused a call", metadata: ["method": "\(row.method)", "error": "\(text)"])
            return .failed(text)
        case .unauthorized:
            return .unauthorized
        case .notFound, .decoding:
            return .failed(text)
        default:
            return .retry(after: settings.backoff(attempt: row.attempts + 1), text)
        }
    }

    /// Whether a 429 pauses the whole bot: the refused call names no chat (answers to queries,
    /// `createInvoiceLink`, …), so the limit Telegram applied is the bot's. A call to a chat
    /// pauses that chat only.
    static func pausesWholeBot(_ error: BotAPIError, row: OutboxRow) -> Bool {
        if row.method == InvoiceLinkCall.method { return error.method != "sendMessage" }
        return !row.payload.names(key: "chat_id")
    }

    /// The call's result, and the signature of the file when it was uploaded (nil: no upload).
    private func perform(_ row: OutboxRow) async throws -> (Data, uploaded: String?) {
        if row.method == InvoiceLinkCall.method {
            return (try await InvoiceLinkCall.perform(row.payload, client: client), nil)
        }
        guard let path = row.mediaPath, let field = row.mediaField else {
            return (try await client.callRaw(method: row.method, json: row.payload, timeout: nil), nil)
        }
        let signature = try MediaUpload.signature(of: path)
        if let fileId = try await chats.cachedFileId(botId: identity.botId, path: path, signature: signature) {
            return (try await client.callRaw(method: row.method, json: MediaUpload.setting(field, to: fileId, in: row.payload), timeout: nil), nil)
        }
        let data = try MediaUpload.read(path)
        guard let uploader = client as? any MediaUploading else {
            throw BotAPIError(method: row.method, kind: .badRequest("this client cannot upload files"))
        }
        let result = try await uploader.upload(
            method: row.method, json: row.payload, fileField: field, fileName: (path as NSString).lastPathComponent,
            fileData: data, mimeType: MediaUpload.mimeType(of: path))
        return (result, signature)
    }
}

extension Data {
    /// Whether this compact JSON object has the key (a quote inside a string value is escaped, `\"`).
    fileprivate func names(key: String) -> Bool {
        range(of: Data("\"\(key)\"".utf8)) != nil
    }
}
