/// What a scene wants done, as plain values: the runtime turns effects into outbox rows
/// (Bot API calls sent within Telegram's limits) in the same transaction as the new state.
public enum Effect: Sendable, Equatable, Codable {
    case send(OutgoingMessage)
    /// Replace the text (or caption) and buttons of a message the bot sent earlier.
    case edit(messageId: Int, OutgoingMessage)
    /// Replace only the buttons of an earlier message.
    case editButtons(messageId: Int, buttons: [[Button]])
    case deleteMessage(messageId: Int)
    /// Stop the spinner on a pressed button; `text` shows as a toast (or an alert).
    case answerCallback(queryId: String, text: String?, alert: Bool)
    case sendInvoice(Invoice)
    /// A subscription invoice: `createInvoiceLink` (with `subscription_period`), then `message`
    /// sent with the link on its first `.pay` button (turned into a URL button).
    case sendInvoiceLink(Invoice, message: OutgoingMessage)
    case answerPreCheckout(queryId: String, ok: Bool, errorMessage: String?)
    /// A native Telegram quiz poll.
    case sendQuizPoll(QuizPoll)
}

/// A message the bot sends: Telegram HTML text (or caption) with inline buttons, or media.
public struct OutgoingMessage: Sendable, Equatable, Codable {
    /// Telegram HTML (`parse_mode: HTML`); the caption when `media` is set.
    public var text: String
    public var buttons: [[Button]]
    public var media: Media?
    public var disablePreview: Bool

    public init(text: String, buttons: [[Button]] = [], media: Media? = nil, disablePreview: Bool = true) {
        self.text = text
        self.buttons = buttons
        self.media = media
        self.disablePreview = disablePreview
    }
}

/// An inline keyboard button.
public struct Button: Sendable, Equatable, Codable {
    public enum Action: Sendable, Equatable, Codable {
        /// Callback data, at most 64 bytes.
        case callback(String)
        case url(String)
        /// The pay button of an invoice (must be first).
        case pay
    }

    public var label: String
    public var action: Action

    public init(_ label: String, _ action: Action) {
        self.label = label
        self.action = action
    }

    public static func callback(_ label: String, _ data: String) -> Button {
        Button(label, .callback(data))
    }
}

/// Media to send with a caption.
public struct Media: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case photo, video, document, audio, voice
    }

    public enum Source: Sendable, Equatable, Codable, Hashable {
        /// An absolute local path: uploaded once, then sent by the cached file_id.
        case localFile(String)
        case fileId(String)
        case url(String)
    }

    public var kind: Kind
    public var source: Source

    public init(kind: Kind, source: Source) {
        self.kind = kind
        self.source = source
    }
}

/// An invoice to send (`sendInvoice`).
public struct Invoice: Sendable, Equatable, Codable {
    public var title: String
    public var description: String
    /// At most 128 bytes; authenticated by the payments code.
    public var payload: String
    public var currency: String
    public var amount: Int
    public var label: String
    public var subscriptionPeriod: Int?
    /// The payment provider's token (bots.yaml `payments.provider_token`); nil or empty for Stars.
    public var providerToken: String?

    public init(
        title: String, description: String, payload: String, currency: String = "XTR", amount: Int,
        label: String, subscriptionPeriod: Int? = nil, providerToken: String? = nil
    ) {
        self.providerToken = providerToken
        self.title = title
        self.description = description
        self.payload = payload
        self.currency = currency
        self.amount = amount
        self.label = label
        self.subscriptionPeriod = subscriptionPeriod
    }
}

/// A native quiz poll (`sendPoll` with `type: quiz`).
public struct QuizPoll: Sendable, Equatable, Codable {
    public var question: String
    public var options: [String]
    public var correctOptionId: Int
    public var explanation: String?

    public init(question: String, options: [String], correctOptionId: Int, explanation: String? = nil) {
        self.question = question
        self.options = options
        self.correctOptionId = correctOptionId
        self.explanation = explanation
    }
}
