import Foundation
import Synchronization

/// Each running bot's state for `/healthz`: polling, failing (e.g. token revoked) or stopped.
public final class BotHealth: Sendable {
    public enum State: String, Sendable, Codable {
        case polling, failing, stopped
    }

    /// One bot as `/healthz` reports it (never its token).
    public struct Status: Sendable, Codable, Equatable {
        public var botId: Int64
        public var username: String?
        public var course: String?
        public var state: State
        public var lastPollAt: Double?
        public var error: String?
    }

    private let statuses = Mutex([Int64: Status]())

    public init() {}

    public func register(botId: Int64, username: String?, course: String?) {
        statuses.withLock { $0[botId] = Status(botId: botId, username: username, course: course, state: .polling, lastPollAt: nil, error: nil) }
    }

    public func setUsername(botId: Int64, _ username: String) {
        statuses.withLock { $0[botId]?.username = username }
    }

    public func polled(botId: Int64, at now: Double) {
        statuses.withLock { statuses in
            statuses[botId]?.lastPollAt = now
            statuses[botId]?.state = .polling
            statuses[botId]?.error = nil
        }
    }

    public func failing(botId: Int64, error: String) {
        statuses.withLock { statuses in
            statuses[botId]?.state = .failing
            statuses[botId]?.error = error
        }
    }

    public func stopped(botId: Int64) {
        statuses.withLock { statuses in
            if statuses[botId]?.state != .failing { statuses[botId]?.state = .stopped }
        }
    }

    public func remove(botId: Int64) {
        _ = statuses.withLock { $0.removeValue(forKey: botId) }
    }

    public var snapshot: [Status] {
        statuses.withLock { Array($0.values) }.sorted { $0.botId < $1.botId }
    }

    public func status(botId: Int64) -> Status? {
        statuses.withLock { $0[botId] }
    }

    /// True when any bot is failing (`/healthz` answers 503).
    public var isFailing: Bool { snapshot.contains { $0.state == .failing } }
}
