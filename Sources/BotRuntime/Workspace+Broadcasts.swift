import Foundation
import TelegramBotAPI
import Manifests
import Storage

/// Broadcasts over HTTP (contract §9): sent as the manager bot sends one (the same outbox rows,
/// senders, progress watcher and audit).
extension Workspace {
    /// `POST /courses/:id/broadcasts {text, segment?, at?}`: the text (Markdown, as in chat)
    /// goes to every student of the course now; returns the broadcast.
    public func broadcast(_ user: User, id: String, body: ManifestValue) async throws -> ManifestValue {
        try Self.checkKeys(body, allowed: ["text", "segment", "at"])
        let entry = try await entry(id, for: user)
        guard let text = body["text"]?.stringValue else { throw WorkspaceError.invalid("missing key 'text' (a string)", field: "text") }
        if let segment = body["segment"], segment != .null, segment != .string("all") {
            throw WorkspaceError.invalid("segment must be all (the only segment this install knows)", field: "segment")
        }
        if let at = body["at"], at != .null { throw WorkspaceError.invalid("scheduled broadcasts are not supported yet; leave out at", field: "at") }
        let html = MarkdownRenderer().render(text)
        guard !html.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw WorkspaceError.invalid("the text is empty", field: "text") }
        let desk = operationDesk
        guard let senders = try await desk.broadcastSenders(entry) else { throw WorkspaceError.conflict("no bot runs course \(id); connect one first") }
        let audience = try await entry.store.broadcastAudience(bots: senders.bots)
        guard !audience.isEmpty else { throw WorkspaceError.conflict("course \(id) has no students yet") }
        let broadcastId = try await platform.createBroadcast(
            courseSlug: id, creatorId: user.id, text: text, total: audience.count, locale: entry.course.language, statusChatId: nil,
            statusMessageId: nil, now: now)
        guard let record = try await platform.broadcast(id: broadcastId), try await desk.deliver(record, entry) else {
            throw WorkspaceError.conflict("no bot runs course \(id); connect one first")
        }
        return try await broadcastValue(broadcastId, slug: id)
    }

    /// `GET /courses/:id/broadcasts/:bid`: how far a broadcast got.
    public func broadcastStatus(_ user: User, id: String, broadcastId: Int64) async throws -> ManifestValue {
        _ = try await entry(id, for: user)
        return try await broadcastValue(broadcastId, slug: id)
    }

    func broadcastValue(_ broadcastId: Int64, slug: String) async throws -> ManifestValue {
        guard let record = try await platform.broadcast(id: broadcastId), record.courseSlug == slug, let entry = desk.courses[slug] else {
            throw WorkspaceError.notFound("no broadcast \(broadcastId) in course \(slug)")
        }
        let progress = try await entry.store.chats.broadcastProgress(broadcastId)
        let finished = record.finishedAt != nil
        return .fields([
            ("id", .int(record.id)), ("course", .string(slug)), ("text", .string(record.text)), ("total", .int(Int64(record.total))),
            ("sent", .int(Int64(finished ? record.delivered + record.blocked + record.failed : progress.finished))),
            ("delivered", .int(Int64(finished ? record.delivered : progress.delivered))),
            ("blocked", .int(Int64(finished ? record.blocked : progress.blocked))),
            ("failed", .int(Int64(finished ? record.failed : progress.failed))),
            ("pending", .int(Int64(finished ? 0 : progress.pending))),
            ("status", .string(finished ? "finished" : "sending")),
            ("created_at", .string(Self.iso(record.createdAt))),
        ])
    }
}
