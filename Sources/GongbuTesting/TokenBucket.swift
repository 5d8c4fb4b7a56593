/// A token bucket: `capacity` messages at once, refilled at `perSecond`.
///
/// Exists to reproduce Telegram's flood limits (per chat and per bot) deterministically.
public struct TokenBucketLimit: Sendable, Equatable {
    public var capacity: Double
    public var perSecond: Double

    public init(capacity: Double, perSecond: Double) {
        self.capacity = capacity
        self.perSecond = perSecond
    }
}

struct TokenBucket: Sendable {
    var limit: TokenBucketLimit
    var tokens: Double
    var updated: ContinuousClock.Instant

    init(limit: TokenBucketLimit, now: ContinuousClock.Instant) {
        self.limit = limit
        self.tokens = limit.capacity
        self.updated = now
    }

    mutating func refill(now: ContinuousClock.Instant) {
        let elapsed = now - updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(limit.capacity, tokens + seconds * limit.perSecond)
        updated = now
    }

    /// Seconds to wait before one token is available (0 if one is available now).
    func secondsUntilAvailable() -> Double {
        tokens >= 1 ? 0 : (1 - tokens) / limit.perSecond
    }
}
