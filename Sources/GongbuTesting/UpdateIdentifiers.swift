import Foundation

/// Where a new emulated bot's update ids start.
///
/// Exists because a bot keeps its confirmed offset (in its database) across restarts and
/// Telegram's update ids only grow: a fresh emulator must not hand out ids below ones an
/// earlier emulator (in this process or an earlier one) already issued, or the bot's
/// stored offset would silently confirm the new updates away.
enum UpdateIdentifiers {
    private static let nextByToken = Locked<[String: Int64]>([:])

    /// Tenths of a second since 2024-01-01: grows between runs, fits in 32 bits until 2030.
    static var clockBased: Int64 {
        Int64((Date().timeIntervalSince1970 - 1_704_067_200) * 10)
    }

    static func first(for token: String) -> Int64 {
        max(clockBased, nextByToken.withLock { $0[token] ?? 0 })
    }

    /// Remembers the next id of a bot whose emulator stops.
    static func remember(_ next: Int64, for token: String) {
        nextByToken.withLock { $0[token] = max($0[token] ?? 0, next) }
    }
}
