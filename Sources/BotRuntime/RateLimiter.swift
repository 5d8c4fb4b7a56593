/// Telegram's sending limits as token buckets: about 30 messages a second per bot and one a
/// second per chat with a small burst. Pure (time is passed in), so it is tested as a value.
/// The pauses Telegram asks for (429 `retry_after`) live in `OutboxSchedule`, beside the rows.
public struct RateLimiter: Sendable {
    /// A bucket of `capacity` tokens refilled at `rate` per second.
    struct Bucket: Sendable {
        var tokens: Double
        var updatedAt: Double

        func tokens(at now: Double, rate: Double, capacity: Double) -> Double {
            now > updatedAt ? min(capacity, tokens + (now - updatedAt) * rate) : tokens
        }

        /// Seconds from `now` until one token is there (0: one is there now).
        func wait(at now: Double, rate: Double, capacity: Double) -> Double {
            let available = tokens(at: now, rate: rate, capacity: capacity)
            return available >= 1 ? 0 : (1 - available) / rate
        }

        mutating func take(at now: Double, rate: Double, capacity: Double) {
            tokens = tokens(at: now, rate: rate, capacity: capacity) - 1
            updatedAt = max(updatedAt, now)
        }
    }

    public struct Limits: Sendable {
        public var botRate: Double
        public var botBurst: Double
        public var chatRate: Double
        public var chatBurst: Double

        public init(botRate: Double = 29, botBurst: Double = 20, chatRate: Double = 0.95, chatBurst: Double = 2) {
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

    public init(limits: Limits = .telegram) {
        self.limits = limits
    }

    /// Seconds until the bot's bucket has a token (0: now).
    public func botWait(now: Double) -> Double {
        bot?.wait(at: now, rate: limits.botRate, capacity: limits.botBurst) ?? 0
    }

    /// Seconds until the chat's bucket has a token (0: now); the bot's bucket is not counted.
    public func chatWait(chatId: Int64, now: Double) -> Double {
        chats[chatId]?.wait(at: now, rate: limits.chatRate, capacity: limits.chatBurst) ?? 0
    }

    /// Seconds to wait before a message to `chatId` may go (0: now), both buckets counted.
    public func delay(chatId: Int64, now: Double) -> Double {
        max(botWait(now: now), chatWait(chatId: chatId, now: now))
    }

    /// Takes a token from the bot's and the chat's buckets (call when `delay` was 0).
    public mutating func take(chatId: Int64, now: Double) {
        var botBucket = bot ?? Bucket(tokens: limits.botBurst, updatedAt: now)
        botBucket.take(at: now, rate: limits.botRate, capacity: limits.botBurst)
        bot = botBucket
        var chatBucket = chats[chatId] ?? Bucket(tokens: limits.chatBurst, updatedAt: now)
        chatBucket.take(at: now, rate: limits.chatRate, capacity: limits.chatBurst)
        chats[chatId] = chatBucket
    }

    /// Forgets idle chats whose buckets are full again (keeps memory flat over millions of chats).
    public mutating func compact(now: Double) {
        chats = chats.filter { _, bucket in bucket.tokens(at: now, rate: limits.chatRate, capacity: limits.chatBurst) < limits.chatBurst }
    }
}
