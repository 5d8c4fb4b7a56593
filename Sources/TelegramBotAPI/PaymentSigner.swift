import Crypto
import Foundation

/// Authenticates invoice payloads with HMAC-SHA256 under a per-install secret, so a payload
/// arriving in `pre_checkout_query` or `successful_payment` is known to be one Gongbu wrote.
///
/// A plain value: the runtime reads the secret from the platform database once and hands the
/// signer to the pure course scene, which signs and verifies without any I/O.
public struct PaymentSigner: Sendable, Equatable {
    let key: [UInt8]

    /// `secret` must be at least 16 bytes (the platform database keeps 32 random bytes).
    public init(secret: [UInt8]) {
        precondition(secret.count >= 16, "payment secret too short")
        self.key = secret
    }

    /// A fresh random secret of 32 bytes, for a new install.
    public static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The tag of `message`: the first 16 bytes of its HMAC-SHA256, base64url without padding
    /// (22 characters).
    public func tag(_ message: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: key))
        return Data(mac.prefix(16)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether `tag` is the tag of `message` (compared in constant time).
    public func verify(_ message: String, tag: String) -> Bool {
        let expected = Array(self.tag(message).utf8)
        let given = Array(tag.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
