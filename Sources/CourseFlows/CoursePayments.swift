import CourseModel
import TelegramBotAPI

/// How a course bot sells (bots.yaml `payments` plus the install's payload signer), handed to
/// the pure scene as a value: it signs invoices and checks them without any I/O.
public struct CoursePayments: Sendable {
    public var signer: PaymentSigner
    /// `XTR` (Telegram Stars) unless a provider is configured.
    public var currency: String
    /// Empty for Stars.
    public var providerToken: String
    public var termsURL: String?

    public init(signer: PaymentSigner, currency: String = "XTR", providerToken: String = "", termsURL: String? = nil) {
        self.signer = signer
        self.currency = providerToken.isEmpty ? "XTR" : currency
        self.providerToken = providerToken
        self.termsURL = termsURL
    }
}

/// What a student buys: the whole course, one freemium step, "unlock everything", or a
/// subscription plan. `code` is how the ledger and `gongbu export` name it.
public enum PurchaseItem: Sendable, Equatable, Hashable {
    /// `subscription_period` in seconds: 30 days, the only period Telegram allows.
    public static let subscriptionPeriod = 2_592_000

    case course
    case all
    case plan
    case step(String)

    public var code: String {
        switch self {
        case .course: "course"
        case .all: "all"
        case .plan: "plan"
        case .step(let id): "step:\(id)"
        }
    }

    public init?(code: String) {
        switch code {
        case "course": self = .course
        case "all": self = .all
        case "plan": self = .plan
        default:
            guard code.hasPrefix("step:"), code.count > 5 else { return nil }
            self = .step(String(code.dropFirst(5)))
        }
    }

    /// The step id of a step purchase.
    public var stepId: String? {
        if case .step(let id) = self { id } else { nil }
    }

    /// Its price in the course as it is now; nil when it is not for sale.
    public func price(in course: Course) -> Int? {
        switch (self, course.price) {
        case (.course, .paid(let amount)): amount
        case (.all, .freemium(let amount?)): amount
        // Sold as a Telegram Stars subscription (createInvoiceLink with subscription_period).
        case (.plan, .subscription(let amount, _)): amount
        case (.step(let id), .freemium):
            course.step(id).flatMap { $0.paid ? $0.price : nil }
        default: nil
        }
    }

    /// Whether a student with `progress` has it already.
    public func isOwned(_ progress: Progress) -> Bool {
        switch self {
        case .course, .all, .plan: progress.ownsCourse
        case .step(let id): progress.ownsCourse || progress.boughtSteps.contains(id)
        }
    }
}

/// The invoice payload: `g1.<item>.<user>.<nonce>.<tag>` (≤ 128 bytes), where the tag is the
/// HMAC of the course slug and the rest, so a payload cannot be forged, moved to another
/// course, or changed to another item or student.
public struct InvoicePayload: Sendable, Equatable {
    public var item: PurchaseItem
    public var userId: Int64
    public var nonce: String

    static let version = "g1"

    public init(item: PurchaseItem, userId: Int64, nonce: String) {
        self.item = item
        self.userId = userId
        self.nonce = nonce
    }

    /// The item on the wire: `c`, `a`, `p`, or `s` + the step id's 8-hex-digit hash.
    func itemField() -> String {
        switch item {
        case .course: "c"
        case .all: "a"
        case .plan: "p"
        case .step(let id): "s" + StepReference.hash(of: id)
        }
    }

    public func encoded(slug: String, signer: PaymentSigner) -> String {
        let body = [Self.version, itemField(), String(userId), nonce].joined(separator: ".")
        return body + "." + signer.tag(slug + "|" + body)
    }

    /// Decodes and authenticates a payload of this course; nil when forged, foreign or malformed.
    public init?(decoding payload: String, slug: String, course: Course, signer: PaymentSigner) {
        guard payload.utf8.count <= 128 else { return nil }
        let parts = payload.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0] == Self.version, let user = Int64(parts[2]) else { return nil }
        let body = parts[0..<4].joined(separator: ".")
        guard signer.verify(slug + "|" + body, tag: parts[4]) else { return nil }
        let field = parts[1]
        switch field.first {
        case "c" where field == "c": item = .course
        case "a" where field == "a": item = .all
        case "p" where field == "p": item = .plan
        case "s":
            let hash = String(field.dropFirst())
            guard let step = course.steps.first(where: { StepReference.hash(of: $0.id) == hash }) else { return nil }
            item = .step(step.id)
        default: return nil
        }
        userId = user
        nonce = parts[3]
    }
}
