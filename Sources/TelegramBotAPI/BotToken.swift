import Foundation

/// A bot's secret token, kept in a type that never prints the secret.
///
/// Tokens reach logs through string interpolation, `dump`, error messages and URLs;
/// this wrapper makes all of them show `123456:***` (the public bot id only).
/// The secret itself is `package` so only Gongbu's own targets can build request URLs.
public struct BotToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The full secret, e.g. `1001:TEST-token-alpha`. Never log it.
    package let secret: String

    /// Wraps a token as given by @BotFather (surrounding whitespace is trimmed).
    public init(_ secret: String) {
        self.secret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The numeric bot id before the colon, when the token has that shape.
    public var botId: Int64? {
        guard let colon = secret.firstIndex(of: ":") else { return nil }
        return Int64(secret[secret.startIndex..<colon])
    }

    /// `true` when the token looks like `digits:rest` with a non-empty rest.
    public var isWellFormed: Bool {
        guard let colon = secret.firstIndex(of: ":"), botId != nil else { return false }
        return secret.index(after: colon) < secret.endIndex
    }

    /// `<botId>:***`, or `***` when the token has no numeric id.
    public var redacted: String {
        if let botId { return "\(botId):***" }
        return "***"
    }

    public var description: String { redacted }
    public var debugDescription: String { "BotToken(\(redacted))" }
    public var customMirror: Mirror { Mirror(self, children: ["redacted": redacted]) }

    /// Replaces every occurrence of this token's secret (plain or percent-encoded) in `text`.
    public func redact(_ text: String) -> String {
        Self.redact(text, token: secret)
    }

    /// Replaces every occurrence of `token` (plain or percent-encoded) in `text` by `<botId>:***`.
    public static func redact(_ text: String, token: String) -> String {
        guard !token.isEmpty else { return text }
        let replacement = BotToken(token).redacted
        var result = text.replacingOccurrences(of: token, with: replacement)
        for variant in encodedVariants(of: token) where variant != token {
            result = result.replacingOccurrences(of: variant, with: replacement, options: [.caseInsensitive])
        }
        return result
    }

    private static func encodedVariants(of token: String) -> [String] {
        var variants: [String] = []
        if let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
            variants.append(encoded)
        }
        variants.append(token.replacingOccurrences(of: ":", with: "%3A"))
        return variants
    }
}
