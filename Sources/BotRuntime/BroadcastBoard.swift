import Foundation
import Storage
import Synchronization

/// The manager desk's broadcasts in memory: who is writing a broadcast for which course, the
/// previews waiting for Send or Cancel, and the broadcasts whose progress is being shown.
/// Drafts are also stored in the platform database (`broadcast_drafts`: a Send pressed before a
/// crash still finds its draft); the text being written is not (the creator starts again); sent
/// broadcasts are stored in the platform database and watched again at start.
final class BroadcastBoard: Sendable {
    /// A previewed broadcast waiting for the creator's confirmation.
    struct Draft: Sendable, Equatable {
        var slug: String
        var creator: Int64
        /// The Markdown as typed, and the Telegram HTML students get.
        var text: String
        var html: String
        var locale: String
    }

    private struct State {
        var writing: [Int64: String] = [:]
        var drafts: [String: Draft] = [:]
        var watched: Set<Int64> = []
        var nextDraft = 1
    }

    private let state = Mutex(State())
    /// Rung when a broadcast starts, so the watcher wakes at once.
    let bell = Signal(latching: false)

    /// The creator's next text is the broadcast for `slug`.
    func startWriting(user: Int64, slug: String) {
        state.withLock { $0.writing[user] = slug }
    }

    func writing(user: Int64) -> String? {
        state.withLock { $0.writing[user] }
    }

    /// Stops waiting for a text; returns the course it was for.
    @discardableResult
    func stopWriting(user: Int64) -> String? {
        state.withLock { $0.writing.removeValue(forKey: user) }
    }

    /// Keeps a preview and returns its id (short: it goes in callback data).
    func add(_ draft: Draft) -> String {
        state.withLock { state in
            let id = "\(state.nextDraft)\(String(UInt32.random(in: 0..<(1 << 20)), radix: 36))"
            state.nextDraft += 1
            state.drafts[id] = draft
            return id
        }
    }

    func draft(_ id: String) -> Draft? {
        state.withLock { $0.drafts[id] }
    }

    /// Removes and returns the preview: a second press of Send finds nothing.
    @discardableResult
    func take(_ id: String) -> Draft? {
        state.withLock { $0.drafts.removeValue(forKey: id) }
    }

    func watch(_ broadcastId: Int64) {
        state.withLock { _ = $0.watched.insert(broadcastId) }
        bell.ring()
    }

    func unwatch(_ broadcastId: Int64) {
        state.withLock { _ = $0.watched.remove(broadcastId) }
    }

    var watched: [Int64] {
        state.withLock { $0.watched.sorted() }
    }
}

extension BroadcastBoard.Draft {
    init(_ record: BroadcastDraftRecord) {
        self.init(slug: record.slug, creator: record.creatorId, text: record.text, html: record.html, locale: record.locale)
    }

    var record: BroadcastDraftRecord {
        BroadcastDraftRecord(slug: slug, creatorId: creator, text: text, html: html, locale: locale)
    }
}
