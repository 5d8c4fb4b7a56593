/// A Bot API error answer: `{"ok":false,"error_code":…,"description":…,"parameters":…}`.
///
/// Exists so every handler fails the way the real server does, with Telegram's exact wording.
/// Internal: `TelegramClient` has the public `BotAPIError` clients see.
struct BotAPIError: Error, Sendable, Equatable {
    var code: Int
    var description: String
    var retryAfter: Int?

    init(code: Int, description: String, retryAfter: Int? = nil) {
        self.code = code
        self.description = description
        self.retryAfter = retryAfter
    }

    static func badRequest(_ detail: String) -> BotAPIError {
        BotAPIError(code: 400, description: "Bad Request: " + detail)
    }

    static func forbidden(_ detail: String) -> BotAPIError {
        BotAPIError(code: 403, description: "Forbidden: " + detail)
    }

    static let unauthorized = BotAPIError(code: 401, description: "Unauthorized")
    static let notFound = BotAPIError(code: 404, description: "Not Found")

    static func tooManyRequests(retryAfter: Int) -> BotAPIError {
        BotAPIError(code: 429, description: "Too Many Requests: retry after \(retryAfter)", retryAfter: retryAfter)
    }

    /// A call Telegram would not understand: `Bad Request: <problems> (not in Bot API 10.1)`.
    static func schemaViolation(_ problems: [String], version: String) -> BotAPIError {
        let text = problems.joined(separator: "; ")
        return badRequest(text.hasSuffix(version) ? text : "\(text) (not in \(version))")
    }

    static let conflictWithOtherPoll = BotAPIError(
        code: 409,
        description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
    )

    static let conflictWithWebhook = BotAPIError(
        code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
    )

    /// The wire form of this error.
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "ok": false, "error_code": .int(Int64(code)), "description": .string(description),
        ]
        if let retryAfter { members["parameters"] = ["retry_after": .int(Int64(retryAfter))] }
        return .object(members)
    }
}

/// The outcome of one Bot API method: a serialized `result` or an error.
enum MethodOutcome: Sendable {
    case success(String)
    case failure(BotAPIError)

    static func result(_ value: JSONValue) -> MethodOutcome { .success(value.serialized) }

    /// The full response body.
    var body: String {
        switch self {
        case .success(let result): return "{\"ok\":true,\"result\":" + result + "}"
        case .failure(let error): return error.json.serialized
        }
    }

    var statusCode: Int {
        switch self {
        case .success: return 200
        case .failure(let error): return error.code
        }
    }
}
