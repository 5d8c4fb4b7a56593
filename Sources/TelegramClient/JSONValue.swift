import Foundation
import TelegramBotAPI

/// The client's uses of `JSONValue`: a method's JSON fields turned into multipart form fields.
extension JSONValue {
    /// The JSON text of this value.
    func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The text of a form field: strings as they are, numbers and booleans as JSON literals,
    /// objects and arrays JSON-serialized (as the Bot API expects for `reply_markup` and the like).
    func formFieldText() throws -> String? {
        switch self {
        case .null: return nil
        case .string(let value): return value
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double, .array, .object: return String(decoding: try jsonData(), as: UTF8.self)
        }
    }
}
