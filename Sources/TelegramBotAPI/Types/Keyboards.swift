/// An inline keyboard under a message (`InlineKeyboardMarkup`): Gongbu's Next/Back/Buy/answer buttons.
public struct InlineKeyboardMarkup: Codable, Sendable, Hashable {
    public var inlineKeyboard: [[InlineKeyboardButton]]

    public init(inlineKeyboard: [[InlineKeyboardButton]]) {
        self.inlineKeyboard = inlineKeyboard
    }

    enum CodingKeys: String, CodingKey {
        case inlineKeyboard = "inline_keyboard"
    }
}

/// One inline button (`InlineKeyboardButton`); exactly one of the optional action fields must be set.
public struct InlineKeyboardButton: Codable, Sendable, Hashable {
    public var text: String
    public var url: String?
    public var callbackData: String?
    public var webApp: WebAppInfo?
    public var copyText: CopyTextButton?
    public var pay: Bool?
    /// `danger`, `success` or `primary` (Bot API 9.x button styles).
    public var style: String?

    public init(
        text: String, url: String? = nil, callbackData: String? = nil, webApp: WebAppInfo? = nil,
        copyText: CopyTextButton? = nil, pay: Bool? = nil, style: String? = nil
    ) {
        self.text = text
        self.url = url
        self.callbackData = callbackData
        self.webApp = webApp
        self.copyText = copyText
        self.pay = pay
        self.style = style
    }

    /// A button that sends `data` back as a callback query.
    public static func callback(_ text: String, data: String) -> InlineKeyboardButton {
        InlineKeyboardButton(text: text, callbackData: data)
    }

    /// A button that opens `url`.
    public static func link(_ text: String, url: String) -> InlineKeyboardButton {
        InlineKeyboardButton(text: text, url: url)
    }

    /// The pay button of an invoice message (must be the first button).
    public static func payButton(_ text: String) -> InlineKeyboardButton {
        InlineKeyboardButton(text: text, pay: true)
    }

    /// A button that opens a Mini App at `url`.
    public static func webApp(_ text: String, url: String) -> InlineKeyboardButton {
        InlineKeyboardButton(text: text, webApp: WebAppInfo(url: url))
    }

    enum CodingKeys: String, CodingKey {
        case text, url, pay, style
        case callbackData = "callback_data"
        case webApp = "web_app"
        case copyText = "copy_text"
    }
}

/// A Mini App to open (`WebAppInfo`).
public struct WebAppInfo: Codable, Sendable, Hashable {
    public var url: String
    public init(url: String) { self.url = url }
}

/// A button that copies text to the clipboard (`CopyTextButton`).
public struct CopyTextButton: Codable, Sendable, Hashable {
    public var text: String
    public init(text: String) { self.text = text }
}

/// A custom reply keyboard (`ReplyKeyboardMarkup`) shown instead of the phone keyboard.
public struct ReplyKeyboardMarkup: Codable, Sendable, Hashable {
    public var keyboard: [[KeyboardButton]]
    public var isPersistent: Bool?
    public var resizeKeyboard: Bool?
    public var oneTimeKeyboard: Bool?
    public var inputFieldPlaceholder: String?
    public var selective: Bool?

    public init(
        keyboard: [[KeyboardButton]], isPersistent: Bool? = nil, resizeKeyboard: Bool? = nil,
        oneTimeKeyboard: Bool? = nil, inputFieldPlaceholder: String? = nil, selective: Bool? = nil
    ) {
        self.keyboard = keyboard
        self.isPersistent = isPersistent
        self.resizeKeyboard = resizeKeyboard
        self.oneTimeKeyboard = oneTimeKeyboard
        self.inputFieldPlaceholder = inputFieldPlaceholder
        self.selective = selective
    }

    enum CodingKeys: String, CodingKey {
        case keyboard, selective
        case isPersistent = "is_persistent"
        case resizeKeyboard = "resize_keyboard"
        case oneTimeKeyboard = "one_time_keyboard"
        case inputFieldPlaceholder = "input_field_placeholder"
    }
}

/// One button of a reply keyboard (`KeyboardButton`); pressing it sends its text.
public struct KeyboardButton: Codable, Sendable, Hashable {
    public var text: String
    public var requestContact: Bool?
    public var requestLocation: Bool?
    public var webApp: WebAppInfo?
    /// Asks the user to create a bot managed by this bot (the manager bot's `/connect`).
    public var requestManagedBot: KeyboardButtonRequestManagedBot?

    public init(
        text: String, requestContact: Bool? = nil, requestLocation: Bool? = nil, webApp: WebAppInfo? = nil,
        requestManagedBot: KeyboardButtonRequestManagedBot? = nil
    ) {
        self.text = text
        self.requestContact = requestContact
        self.requestLocation = requestLocation
        self.webApp = webApp
        self.requestManagedBot = requestManagedBot
    }

    enum CodingKeys: String, CodingKey {
        case text
        case requestManagedBot = "request_managed_bot"
        case requestContact = "request_contact"
        case requestLocation = "request_location"
        case webApp = "web_app"
    }
}

/// Removes a reply keyboard (`ReplyKeyboardRemove`).
public struct ReplyKeyboardRemove: Codable, Sendable, Hashable {
    public var removeKeyboard: Bool
    public var selective: Bool?

    public init(selective: Bool? = nil) {
        self.removeKeyboard = true
        self.selective = selective
    }

    enum CodingKeys: String, CodingKey {
        case selective
        case removeKeyboard = "remove_keyboard"
    }
}

/// Asks the client to show a reply interface (`ForceReply`).
public struct ForceReply: Codable, Sendable, Hashable {
    public var forceReply: Bool
    public var inputFieldPlaceholder: String?
    public var selective: Bool?

    public init(inputFieldPlaceholder: String? = nil, selective: Bool? = nil) {
        self.forceReply = true
        self.inputFieldPlaceholder = inputFieldPlaceholder
        self.selective = selective
    }

    enum CodingKeys: String, CodingKey {
        case selective
        case forceReply = "force_reply"
        case inputFieldPlaceholder = "input_field_placeholder"
    }
}

/// The `reply_markup` of a send method: one of four object types, encoded as that object alone.
public enum ReplyMarkup: Codable, Sendable, Hashable {
    case inlineKeyboard(InlineKeyboardMarkup)
    case replyKeyboard(ReplyKeyboardMarkup)
    case removeKeyboard(ReplyKeyboardRemove)
    case forceReply(ForceReply)

    /// An inline keyboard from rows of buttons.
    public static func inline(_ rows: [[InlineKeyboardButton]]) -> ReplyMarkup {
        .inlineKeyboard(InlineKeyboardMarkup(inlineKeyboard: rows))
    }

    private enum Keys: String, CodingKey {
        case inlineKeyboard = "inline_keyboard"
        case keyboard
        case removeKeyboard = "remove_keyboard"
        case forceReply = "force_reply"
    }

    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: Keys.self)
        if keys.contains(.inlineKeyboard) {
            self = .inlineKeyboard(try InlineKeyboardMarkup(from: decoder))
        } else if keys.contains(.keyboard) {
            self = .replyKeyboard(try ReplyKeyboardMarkup(from: decoder))
        } else if keys.contains(.removeKeyboard) {
            self = .removeKeyboard(try ReplyKeyboardRemove(from: decoder))
        } else if keys.contains(.forceReply) {
            self = .forceReply(try ForceReply(from: decoder))
        } else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "reply_markup of unknown shape"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .inlineKeyboard(let markup): try markup.encode(to: encoder)
        case .replyKeyboard(let markup): try markup.encode(to: encoder)
        case .removeKeyboard(let markup): try markup.encode(to: encoder)
        case .forceReply(let markup): try markup.encode(to: encoder)
        }
    }
}
