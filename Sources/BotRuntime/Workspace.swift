import CourseFlows
import CourseModel
import Foundation
import Manifests
import Storage
import Synchronization
import TelegramBotAPI

/// The web workspace's service layer (contract §9): one method per operation of the REST API,
/// taking the acting user and returning plain values or throwing `WorkspaceError`. It runs on
/// the manager desk's own state (its course registry, publish flags, connected bots, authoring
/// service and audit log), so a change made over HTTP follows the same rules as in chat and
/// shows at once in the running course bots and in the manager bot.
public struct Workspace: Sendable {
    let desk: ManagerDesk
    /// The manager bot's token: Mini App and Login Widget payloads are signed with it.
    let managerToken: String
    let sessions: WorkspaceSessions
    /// Wakes the review relay (a verdict to apply).
    let news: CourseNews
    /// Wakes the refund service (a refund to carry out).
    let refundsBell: Signal
    let signIns = SignInLimiter()
    /// Edits of courses run one at a time (read, change, store), never losing another's change.
    let edits = ChatLock()

    var platform: PlatformStore { desk.platform }
    var now: Double { desk.now() }

    /// Sessions live 12 hours (contract §9).
    public static let sessionLifetime: Double = 12 * 3600
    /// Sign-in tries allowed per client address and minute.
    public static let signInsPerMinute = 10
    /// The largest request body (an upload included).
    public static let maxBodyBytes = 50 * 1024 * 1024

    /// The acting user, as a checked session names them.
    public struct User: Sendable, Equatable {
        public var id: Int64
        public var firstName: String
        /// `creator` or `admin`.
        public var role: String

        public var isAdmin: Bool { role == "admin" }
    }

    /// What a sign-in answers.
    public struct Session: Sendable, Equatable {
        public var token: String
        public var expiresAt: Double
        public var user: User
    }

    /// A desk for one operation (its own message collector).
    var operationDesk: ManagerDesk { desk.forJob(nil) }

    /// Writes an audit line for the web workspace.
    func audit(_ action: String, user: User, subject: String?, details: String? = nil) async throws {
        try await platform.audit(actorId: user.id, action: action, subject: subject, details: details.map { "\($0) (web)" } ?? "web", now: now)
    }
}

/// Sign-in tries per client address over the last minute (in memory: a restart forgets them).
final class SignInLimiter: Sendable {
    private let tries = Mutex<[String: [Double]]>([:])

    /// True when one more try from `address` is allowed now (and counts it).
    func allow(_ address: String, now: Double, limit: Int) -> Bool {
        tries.withLock { tries in
            if tries.count > 10_000 { tries = tries.filter { $0.value.contains { now - $0 < 60 } } }
            var recent = (tries[address] ?? []).filter { now - $0 < 60 }
            guard recent.count < limit else {
                tries[address] = recent
                return false
            }
            recent.append(now)
            tries[address] = recent
            return true
        }
    }
}

extension Workspace {
    /// `text` with the manager bot's and every connected bot's token masked (for logs).
    public func redact(_ text: String) -> String {
        BotToken(managerToken).redact(desk.redactTokens(text))
    }
}
