import Foundation

/// One Bot API call the emulator answered, kept for assertions.
///
/// Exists so tests can check what a bot actually sent (method, parameters, outcome)
/// without intercepting its HTTP client.
public struct RecordedCall: Sendable {
    /// How the call ended.
    public enum Outcome: Sendable, Equatable {
        case success
        case error(code: Int, description: String)
        /// An injected fault answered (or dropped) the call.
        case fault(String)
    }

    /// The method name as the client spelled it.
    public var method: String
    public var parameters: JSONValue
    public var date: Date
    public var outcome: Outcome
    /// The `result` of a successful call.
    public var result: JSONValue?
    /// The client's port on loopback: which connection, hence which process, sent the call
    /// (nil for calls not read from a connection).
    public var peerPort: Int? = nil

    public var succeeded: Bool { outcome == .success }
}

/// One Telegram Stars payment the emulator charged, and whether it was refunded.
///
/// Exists so payment tests can assert on charges and refunds as Telegram recorded them.
public struct PaymentRecord: Sendable, Equatable {
    public var telegramPaymentChargeId: String
    public var providerPaymentChargeId: String
    public var userId: Int64
    public var currency: String
    public var totalAmount: Int64
    public var invoicePayload: String
    public var subscriptionExpirationDate: Int?
    public var date: Date
    public var refunded: Bool
}
