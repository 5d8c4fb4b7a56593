/// `sendInvoice`: a Buy message; with Telegram Stars the currency is `XTR` and `provider_token` is empty or absent.
public struct SendInvoice: BotMethod, Codable, Hashable {
    public typealias Response = Message
    public static let name = "sendInvoice"
    public var chatId: ChatID
    public var title: String
    public var description: String
    /// At most `TextLimits.invoicePayloadBytes` bytes; comes back in the pre-checkout query and the payment.
    public var payload: String
    public var providerToken: String?
    public var currency: String
    public var prices: [LabeledPrice]
    public var startParameter: String?
    public var photoUrl: String?
    public var protectContent: Bool?
    public var replyMarkup: InlineKeyboardMarkup?

    public init(
        chatId: ChatID, title: String, description: String, payload: String, providerToken: String? = nil,
        currency: String = "XTR", prices: [LabeledPrice], startParameter: String? = nil, photoUrl: String? = nil,
        protectContent: Bool? = nil, replyMarkup: InlineKeyboardMarkup? = nil
    ) {
        self.chatId = chatId
        self.title = title
        self.description = description
        self.payload = payload
        self.providerToken = providerToken
        self.currency = currency
        self.prices = prices
        self.startParameter = startParameter
        self.photoUrl = photoUrl
        self.protectContent = protectContent
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case title, description, payload, currency, prices
        case chatId = "chat_id"
        case providerToken = "provider_token"
        case startParameter = "start_parameter"
        case photoUrl = "photo_url"
        case protectContent = "protect_content"
        case replyMarkup = "reply_markup"
    }
}

/// `createInvoiceLink`: a payment link; with `subscription_period` (2592000 s = 30 days) a Stars subscription.
public struct CreateInvoiceLink: BotMethod, Codable, Hashable {
    public typealias Response = String
    public static let name = "createInvoiceLink"
    /// The only subscription period Telegram accepts: 30 days in seconds.
    public static let thirtyDays = 2_592_000
    public var title: String
    public var description: String
    public var payload: String
    public var providerToken: String?
    public var currency: String
    public var prices: [LabeledPrice]
    public var subscriptionPeriod: Int?
    public var photoUrl: String?

    public init(
        title: String, description: String, payload: String, providerToken: String? = nil,
        currency: String = "XTR", prices: [LabeledPrice], subscriptionPeriod: Int? = nil, photoUrl: String? = nil
    ) {
        self.title = title
        self.description = description
        self.payload = payload
        self.providerToken = providerToken
        self.currency = currency
        self.prices = prices
        self.subscriptionPeriod = subscriptionPeriod
        self.photoUrl = photoUrl
    }

    enum CodingKeys: String, CodingKey {
        case title, description, payload, currency, prices
        case providerToken = "provider_token"
        case subscriptionPeriod = "subscription_period"
        case photoUrl = "photo_url"
    }
}

/// `answerPreCheckoutQuery`: accepts or refuses a payment within 10 seconds.
public struct AnswerPreCheckoutQuery: BotMethod, Codable, Hashable {
    public typealias Response = Bool
    public static let name = "answerPreCheckoutQuery"
    public var preCheckoutQueryId: String
    public var ok: Bool
    /// Required when `ok` is false; shown to the user.
    public var errorMessage: String?

    public init(preCheckoutQueryId: String, ok: Bool, errorMessage: String? = nil) {
        self.preCheckoutQueryId = preCheckoutQueryId
        self.ok = ok
        self.errorMessage = errorMessage
    }

    enum CodingKeys: String, CodingKey {
        case ok
        case preCheckoutQueryId = "pre_checkout_query_id"
        case errorMessage = "error_message"
    }
}

/// `refundStarPayment`: gives a Stars payment back to the user.
public struct RefundStarPayment: BotMethod, Codable, Hashable {
    public typealias Response = Bool
    public static let name = "refundStarPayment"
    public var userId: Int64
    public var telegramPaymentChargeId: String

    public init(userId: Int64, telegramPaymentChargeId: String) {
        self.userId = userId
        self.telegramPaymentChargeId = telegramPaymentChargeId
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case telegramPaymentChargeId = "telegram_payment_charge_id"
    }
}
