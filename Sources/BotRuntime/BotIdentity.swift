import TelegramBotAPI

/// Who a worker polls for: the token (printed `123456:***`), its numeric id, and the course it serves.
public struct BotIdentity: Sendable {
    public var token: BotToken
    public var botId: Int64
    /// The course slug for a course bot; nil for the manager bot.
    public var courseSlug: String?
    public var username: String?

    public init(token: BotToken, courseSlug: String?, username: String? = nil) {
        self.token = token
        self.botId = token.botId ?? 0
        self.courseSlug = courseSlug
        self.username = username
    }

    /// A label for logs and metrics: the username, else the redacted token.
    public var label: String { username ?? token.redacted }
}

/// How a worker polls and retries.
public struct WorkerSettings: Sendable {
    /// getUpdates long-poll timeout in seconds.
    public var pollTimeout: Int
    public var batchLimit: Int
    /// First and largest backoff after a network error or 5xx, in seconds (jittered).
    public var backoffBase: Double
    public var backoffMax: Double
    public var rateLimits: RateLimiter.Limits
    /// Sends in flight at once per bot (different chats only).
    public var senderConcurrency: Int

    public init(pollTimeout: Int = 50, batchLimit: Int = 100, backoffBase: Double = 0.5, backoffMax: Double = 30, rateLimits: RateLimiter.Limits = .telegram, senderConcurrency: Int = 16) {
        self.pollTimeout = pollTimeout
        self.batchLimit = batchLimit
        self.backoffBase = backoffBase
        self.backoffMax = backoffMax
        self.rateLimits = rateLimits
        self.senderConcurrency = senderConcurrency
    }

    /// Exponential backoff with full jitter for the n-th consecutive failure (n ≥ 1).
    public func backoff(attempt: Int) -> Double {
        let ceiling = min(backoffMax, backoffBase * pow2(min(attempt - 1, 16)))
        return Double.random(in: (ceiling / 2)...ceiling)
    }

    private func pow2(_ n: Int) -> Double { Double(1 << n) }
}
