import Foundation
import Logging
import Metrics
import Storage
import TelegramBotAPI
import TelegramClient

/// Drains one bot's outbox within Telegram's limits: per-bot and per-chat token buckets, one
/// message in flight per chat (order kept), 429 `retry_after` honoured, rows deleted only once
/// Telegram accepted them, 403 marks the chat blocked. Answers to queries skip the queue.
/// A final class for the same reason as `BotWorker`: its idle frame holds `self`.
final class OutboxSender: Sendable {
    let identity: BotIdentity
    let client: any BotAPIClient
    let chats: ChatStore
    let settings: WorkerSettings
    let logger: Logger
    let now: @Sendable () -> Double
    let doorbell = Signal(latching: false)

    init(identity: BotIdentity, client: any BotAPIClient, chats: ChatStore, settings: WorkerSettings, logger: Logger, now: @escaping @Sendable () -> Double) {
        self.identity = identity
        self.client = client
        self.chats = chats
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    /// New rows were committed.
    func wake() { doorbell.ring() }

    func run(stop: Signal) async throws {
        var limiter = RateLimiter(limits: settings.rateLimits)
        var lastCompaction = now()
        while !stop.isRung {
            let rows = try await chats.dueOutbox(botId: identity.botId, now: now(), limit: 500)
            if rows.isEmpty {
                // Idle: every commit rings the doorbell, so wait for it with no timer and no task.
                await doorbell.wait(orUntil: stop)
                continue
            }
            let time = now()
            var wave: [OutboxRow] = []
            var seenChats = Set<Int64>()
            var earliest = Double.infinity
            for row in rows {
                if row.urgent {
                    wave.append(row)
                    continue
                }
                // One message per chat per wave, and never one past an earlier row of the same chat.
                guard seenChats.insert(row.chatId).inserted else { continue }
                if row.notBefore > time {
                    earliest = min(earliest, row.notBefore - time)
                    continue
                }
                let wait = limiter.delay(chatId: row.chatId, now: time)
                if wait > 0 {
                    earliest = min(earliest, wait)
                    continue
                }
                limiter.take(chatId: row.chatId, now: time)
                wave.append(row)
                if wave.count >= settings.senderConcurrency { break }
            }
            if wave.isEmpty {
                await doorbell.wait(upTo: min(earliest, 5), orUntil: stop)
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
            for (row, outcome) in outcomes {
                switch outcome {
                case .paused(let seconds):
                    limiter.pause(chatId: row.chatId, seconds: seconds, now: now())
                case .unauthorized:
                    return
                case .done, .retry:
                    break
                }
            }
            if now() - lastCompaction > 60 {
                limiter.compact(now: now())
                lastCompaction = now()
            }
        }
    }

    enum SendOutcome: Sendable {
        case done
        case retry
        case paused(Double)
        case unauthorized
    }

    /// Sends one row and records the outcome in the database.
    func send(_ row: OutboxRow) async -> SendOutcome {
        do {
            let (result, uploaded) = try await perform(row)
            // Cached under the signature of the bytes uploaded, read before the upload: the file
            // may have been edited meanwhile, and then the next send must upload it again.
            if let path = row.mediaPath, let signature = uploaded, let fileId = MediaUpload.fileId(in: result, field: row.mediaField ?? "") {
                try? await chats.cacheFileId(botId: identity.botId, path: path, signature: signature, fileId: fileId)
            }
            try await settle(row, .delivered, error: nil)
            return .done
        } catch let error as BotAPIError {
            return await handle(error, row: row)
        } catch let error as MediaUpload.Missing {
            logger.error("outbox row refers to a missing file", metadata: ["file": "\(error.path)"])
            try? await settle(row, .failed, error: "missing file \(error.path)")
            return .done
        } catch {
            let text = identity.token.redact(String(describing: error))
            try? await chats.retryLater(row.id, notBefore: now() + settings.backoff(attempt: row.attempts + 1), error: text)
            return .retry
        }
    }

    private func handle(_ error: BotAPIError, row: OutboxRow) async -> SendOutcome {
        let text = error.description
        switch error.kind {
        case .tooManyRequests(let retryAfter):
            logger.notice("Telegram asked to slow down", metadata: ["method": "\(row.method)", "chat": "\(row.chatId)", "retry_after": "\(retryAfter)"])
            try? await chats.retryLater(row.id, notBefore: now() + Double(retryAfter), error: text)
            return .paused(Double(retryAfter))
        case .forbidden:
            try? await chats.markBlocked(botId: identity.botId, chatId: row.chatId, now: now())
            try? await settle(row, .blocked, error: text)
            return .done
        case .badRequest(let description):
            if description.contains("message is not modified") || description.contains("query is too old") {
                try? await settle(row, .delivered, error: nil)
                return .done
            }
            logger.error("Telegram refused a call", metadata: ["method": "\(row.method)", "error": "\(text)"])
            try? await settle(row, .failed, error: text)
            return .done
        case .unauthorized:
            return .unauthorized
        case .notFound, .decoding:
            try? await settle(row, .failed, error: text)
            return .done
        default:
            try? await chats.retryLater(row.id, notBefore: now() + settings.backoff(attempt: row.attempts + 1), error: text)
            return .retry
        }
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
