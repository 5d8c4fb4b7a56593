/// One line of an invoice (`LabeledPrice`); `amount` in the smallest unit (Stars for XTR).
public struct LabeledPrice: Codable, Sendable, Hashable {
    public var label: String
    public var amount: Int

    public init(label: String, amount: Int) {
        self.label = label
        self.amount = amount
    }
}

/// An invoice shown in a message (`Invoice`).
public struct Invoice: Codable, Sendable, Hashable {
    public var title: String
    public var description: String
    public var startParameter: String
    public var currency: String
    public var totalAmount: Int

    public init(title: String, description: String, startParameter: String, currency: String, totalAmount: Int) {
        self.title = title
        self.description = description
        self.startParameter = startParameter
        self.currency = currency
        self.totalAmount = totalAmount
    }

    enum CodingKeys: String, CodingKey {
        case title, description, currency
        case startParameter = "start_parameter"
        case totalAmount = "total_amount"
    }
}

/// The check before a payment (`PreCheckoutQuery`); the bot has 10 s to answer it.
public struct PreCheckoutQuery: Codable, Sendable, Hashable {
    public var id: String
    public var from: User
    public var currency: String
    public var totalAmount: Int
    public var invoicePayload: String
    public var shippingOptionId: String?

    public init(
        id: String, from: User, currency: String, totalAmount: Int, invoicePayload: String,
        shippingOptionId: String? = nil
    ) {
        self.id = id
        self.from = from
        self.currency = currency
        self.totalAmount = totalAmount
        self.invoicePayload = invoicePayload
        self.shippingOptionId = shippingOptionId
    }

    enum CodingKeys: String, CodingKey {
        case id, from, currency
        case totalAmount = "total_amount"
        case invoicePayload = "invoice_payload"
        case shippingOptionId = "shipping_option_id"
    }
}

/// A completed payment (`SuccessfulPayment`); `telegramPaymentChargeId` is the ledger's unique key.
public struct SuccessfulPayment: Codable, Sendable, Hashable {
    public var currency: String
    public var totalAmount: Int
    public var invoicePayload: String
    public var subscriptionExpirationDate: Int?
    public var isRecurring: Bool?
    public var isFirstRecurring: Bool?
    public var shippingOptionId: String?
    public var telegramPaymentChargeId: String
    public var providerPaymentChargeId: String

    public init(
        currency: String, totalAmount: Int, invoicePayload: String, subscriptionExpirationDate: Int? = nil,
        isRecurring: Bool? = nil, isFirstRecurring: Bool? = nil, shippingOptionId: String? = nil,
        telegramPaymentChargeId: String, providerPaymentChargeId: String = ""
    ) {
        self.currency = currency
        self.totalAmount = totalAmount
        self.invoicePayload = invoicePayload
        self.subscriptionExpirationDate = subscriptionExpirationDate
        self.isRecurring = isRecurring
        self.isFirstRecurring = isFirstRecurring
        self.shippingOptionId = shippingOptionId
        self.telegramPaymentChargeId = telegramPaymentChargeId
        self.providerPaymentChargeId = providerPaymentChargeId
    }

    enum CodingKeys: String, CodingKey {
        case currency
        case totalAmount = "total_amount"
        case invoicePayload = "invoice_payload"
        case subscriptionExpirationDate = "subscription_expiration_date"
        case isRecurring = "is_recurring"
        case isFirstRecurring = "is_first_recurring"
        case shippingOptionId = "shipping_option_id"
        case telegramPaymentChargeId = "telegram_payment_charge_id"
        case providerPaymentChargeId = "provider_payment_charge_id"
    }
}

/// A refunded payment (`RefundedPayment`).
public struct RefundedPayment: Codable, Sendable, Hashable {
    public var currency: String
    public var totalAmount: Int
    public var invoicePayload: String
    public var telegramPaymentChargeId: String
    public var providerPaymentChargeId: String?

    public init(
        currency: String, totalAmount: Int, invoicePayload: String, telegramPaymentChargeId: String,
        providerPaymentChargeId: String? = nil
    ) {
        self.currency = currency
        self.totalAmount = totalAmount
        self.invoicePayload = invoicePayload
        self.telegramPaymentChargeId = telegramPaymentChargeId
        self.providerPaymentChargeId = providerPaymentChargeId
    }

    enum CodingKeys: String, CodingKey {
        case currency
        case totalAmount = "total_amount"
        case invoicePayload = "invoice_payload"
        case telegramPaymentChargeId = "telegram_payment_charge_id"
        case providerPaymentChargeId = "provider_payment_charge_id"
    }
}
