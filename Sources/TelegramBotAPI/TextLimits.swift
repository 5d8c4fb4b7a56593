/// Telegram's size limits on what a bot sends, in one place so every sender checks the same numbers.
public enum TextLimits {
    /// Characters (UTF-16 code units after entity parsing) in a message text.
    public static let messageText = 4096
    /// Characters in a media caption.
    public static let caption = 1024
    /// Bytes (UTF-8) of an inline button's `callback_data`.
    public static let callbackDataBytes = 64
    /// Bytes (UTF-8) of an invoice `payload`.
    public static let invoicePayloadBytes = 128
    /// Characters in a callback query answer (`answerCallbackQuery.text`).
    public static let callbackAnswerText = 200
    /// Characters in a poll question.
    public static let pollQuestion = 300
    /// Characters in a poll option.
    public static let pollOption = 100
    /// Characters in a quiz explanation.
    public static let pollExplanation = 200
    /// Bytes a bot may download with `getFile` from the official server.
    public static let downloadBytes = 20 * 1024 * 1024
    /// Bytes a bot may upload in one multipart request to the official server.
    public static let uploadBytes = 50 * 1024 * 1024

    /// Whether `data` fits in `callback_data`.
    public static func fitsCallbackData(_ data: String) -> Bool {
        data.utf8.count <= callbackDataBytes
    }

    /// Whether `payload` fits in an invoice payload.
    public static func fitsInvoicePayload(_ payload: String) -> Bool {
        payload.utf8.count <= invoicePayloadBytes
    }
}
