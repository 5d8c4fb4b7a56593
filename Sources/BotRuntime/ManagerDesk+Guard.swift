import Foundation
import SceneEngine
import Storage

/// Guards of the manager bot that sit before any feature: a bot token pasted inside a longer
/// text is still taken as a token (never a review comment, course text or broadcast), and the
/// review and refund buttons (`r1|…`) refused by the pure `ManagerScene` are audited here (the
/// scene answers every press but cannot write the platform's audit log).
extension ManagerDesk {
    /// The token a creator's text holds: the whole text when it is one, else a word of it shaped
    /// like a @BotFather token (`digits:` and a secret of 30 or more characters; quotes and
    /// punctuation around it ignored). Nil when there is none.
    static func token(in text: String) -> String? {
        if looksLikeToken(text) { return text.trimmingCharacters(in: .whitespacesAndNewlines) }
        let edges = CharacterSet(charactersIn: "\"'`«»“”‘’<>()[]{}.,;!?")
        for word in text.split(whereSeparator: { $0.isWhitespace }) {
            let candidate = word.trimmingCharacters(in: edges)
            guard let colon = candidate.firstIndex(of: ":"), candidate[candidate.index(after: colon)...].count >= 30 else { continue }
            if looksLikeToken(candidate) { return candidate }
        }
        return nil
    }

    /// Whether `data` is a review or refund button (it then goes to the scene and, for the audit, here).
    static func isReviewButton(_ data: String) -> Bool {
        data.hasPrefix(ReviewCallback.version + "|")
    }

    /// Audits a review or refund press on a course the presser may not manage (the scene refuses it).
    func auditReviewPress(_ data: String, _ event: ChatEvent) async throws {
        guard let callback = ReviewCallback(decoding: data) else { return }
        let hash: String = switch callback {
        case .approve(let hash, _), .reject(let hash, _), .skip(let hash, _), .refund(let hash, _): hash
        }
        guard let entry = courses.values.first(where: { $0.hash == hash }), !mayManage(event.user.id, slug: entry.course.slug) else { return }
        try await auditOnce("denied", actorId: event.user.id, subject: entry.course.slug, details: data)
    }
}
