import Foundation
import Logging

/// Settings of a `BotAPIEmulator`.
///
/// Exists so tests and the benchmark can choose limits and policies without touching
/// the emulator's code; the defaults behave like Telegram.
public struct EmulatorConfiguration: Sendable {
    /// Flood limits; `nil` disables them.
    public struct RateLimits: Sendable, Equatable {
        /// Per chat: about one message a second with a small burst.
        public var perChat: TokenBucketLimit
        /// Per bot: 30 messages a second.
        public var perBot: TokenBucketLimit

        public init(perChat: TokenBucketLimit, perBot: TokenBucketLimit) {
            self.perChat = perChat
            self.perBot = perBot
        }

        public static let telegram = RateLimits(
            perChat: TokenBucketLimit(capacity: 3, perSecond: 1),
            perBot: TokenBucketLimit(capacity: 30, perSecond: 30))
    }

    /// What happens when a getUpdates arrives while another one is still waiting.
    public enum ConflictPolicy: Sendable, Equatable {
        /// The new request gets 409 Conflict (a poll whose client disconnected is dropped first).
        case rejectNewRequest
        /// Telegram's behaviour (the default): the waiting request gets 409 "Conflict: terminated by
        /// other getUpdates request…" and the new one takes over.
        case terminateEarlierRequest
    }

    public var rateLimits: RateLimits?
    public var conflictPolicy: ConflictPolicy
    /// Keep a record of every call (turn off for long benchmarks).
    public var recordsCalls: Bool
    /// Largest accepted request body.
    public var maxUploadSize: Int
    /// How long a scripted user waits for answerPreCheckoutQuery (Telegram: 10 s).
    public var preCheckoutTimeout: Duration
    /// Refuse calls whose parameters are not in the Bot API schema (400, recorded in
    /// `schemaViolations`), so every end-to-end test proves the wire format.
    public var validatesSchema: Bool
    /// The schema file; nil: `BotAPISchema.defaultURL` (`shared/telegram/bot-api-10.1.json` beside the repository).
    public var schemaURL: URL?
    public var logger: Logger

    public init(
        rateLimits: RateLimits? = .telegram,
        conflictPolicy: ConflictPolicy = .terminateEarlierRequest,
        recordsCalls: Bool = true,
        maxUploadSize: Int = 50 * 1024 * 1024,
        preCheckoutTimeout: Duration = .seconds(10),
        validatesSchema: Bool = true,
        schemaURL: URL? = nil,
        logger: Logger = Logger(label: "gongbu.emulator", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.rateLimits = rateLimits
        self.conflictPolicy = conflictPolicy
        self.recordsCalls = recordsCalls
        self.maxUploadSize = maxUploadSize
        self.preCheckoutTimeout = preCheckoutTimeout
        self.validatesSchema = validatesSchema
        self.schemaURL = schemaURL
        self.logger = logger
    }
}
