/// Telegram's sending limits as token buckets: about 30 messages a second per bot and one a
/// second per chat with a small burst. Pure (time is passed in), so it is tested as a value.
public struct RateLimiter: Sendable {
    /// A bucket of `capacity` tokens refilled at `rate` per second.
    struct Bucket: Sendable {
        var tokens: Double
        var updatedAt: Double

        mutating func refill(now: Double, rate: Double, capacity: Double) {
            if now > updatedAt {
                tokens = min(capacity, tokens + (now - updatedAt) * rate)
                updatedAt = now
            }
        }
    }

    public struct Limits: Sendable {
        public var botRate: Double
        public var botBurst: Double
        public var chatRate: Double
        public var chatBurst: Double

        public init(botRate: Double = 28, botBurst: Double = 20, chatRate: Double = 0.95, chatBurst: Double = 2) {
            self.botRate = botRate
            self.botBurst = botBurst
            self.chatRate = chatRate
            self.chatBurst = chatBurst
        }

        /// Slightly under Telegram's published limits, so the server never has to say 429: a
        /// chat's burst is one message short of what the server allows, so a burst that reaches
        /// the server late (a loaded machine) still finds a token there.
        public static let telegram = Limits()
    }

    public let limits: Limits
    var bot: Bucket?
    var chats: [Int64: Bucket] = [:]
    /// No message before this time (after a 429 for the whole bot).
    var pausedUntil: Double = 0
    var chatPausedUntil: [Int64: Double] = [:]

    public init(limits: Limits = .telegram) {
        self.limits = limits
    }

    /// Seconds to wait before a message to `chatId` may go (0: now). Does not take a token.
    public mutating func delay(chatId: Int64, now: Double) -> Double {
        var wait = max(0, pausedUntil - now, (chatPausedUntil[chatId] ?? 0) - now)
        var botBucket = bot ?? Bucket(tokens: limits.botBurst, updatedAt: now)
        botBucket.refill(now: now, rate: limits.botRate, capacity: limits.botBurst)
        bot = botBucket
        if botBucket.tokens < 1 { wait = max(wait, (1 - botBucket.tokens) / limits.botRate) }
        var chatBucket = chats[chatId] ?? Bucket(tokens: limits.chatBurst, updatedAt: now)
        chatBucket.refill(now: now, rate: limits.chatRate, capacity: limits.chatBurst)
        chats[chatId] = chatBucket
        if chatBucket.tokens < 1 { wait = max(wait, (1 - chatBucket.tokens) / limits.chatRate) }
        return wait
    }

    /// Takes a token from the bot's and the chat's buckets (call when `delay` was 0).
    public mutating func take(chatId: Int64, now: Double) {
        _ = delay(chatId: chatId, now: now)
        bot?.tokens -= 1
        chats[chatId]?.tokens -= 1
    }

    /// Telegram said 429 with `retry_after`: nothing to this chat, and nothing from this bot, until then.
    public mutating func pause(chatId: Int64, seconds: Double, now: Double) {
        chatPausedUntil[chatId] = max(chatPausedUntil[chatId] ?? 0, now + seconds)
        pausedUntil = max(pausedUntil, now + seconds)
    }

    /// Forgets idle chats whose buckets are full again (keeps memory flat over millions of chats).
    public mutating func compact(now: Double) {
        chats = chats.filter { _, bucket in bucket.tokens + (now - bucket.updatedAt) * limits.chatRate < limits.chatBurst }
        chatPausedUntil = chatPausedUntil.filter { $0.value > now }
    }
}
