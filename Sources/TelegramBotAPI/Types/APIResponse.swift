/// The envelope of every Bot API answer (`{ok, result, error_code, description, parameters}`).
public struct APIResponse<Result: Sendable>: Sendable {
    public var ok: Bool
    public var result: Result?
    public var errorCode: Int?
    public var description: String?
    public var parameters: ResponseParameters?

    public init(
        ok: Bool, result: Result? = nil, errorCode: Int? = nil, description: String? = nil,
        parameters: ResponseParameters? = nil
    ) {
        self.ok = ok
        self.result = result
        self.errorCode = errorCode
        self.description = description
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case ok, result, description, parameters
        case errorCode = "error_code"
    }
}

extension APIResponse: Decodable where Result: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ok = try container.decode(Bool.self, forKey: .ok)
        errorCode = try container.decodeIfPresent(Int.self, forKey: .errorCode)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        parameters = try? container.decodeIfPresent(ResponseParameters.self, forKey: .parameters)
        result = ok ? try container.decodeIfPresent(Result.self, forKey: .result) : nil
    }
}

extension APIResponse: Encodable where Result: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ok, forKey: .ok)
        try container.encodeIfPresent(result, forKey: .result)
        try container.encodeIfPresent(errorCode, forKey: .errorCode)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encodeIfPresent(parameters, forKey: .parameters)
    }
}

/// Why a request failed and what to do (`ResponseParameters`): wait `retry_after` seconds, or use the new chat id.
public struct ResponseParameters: Codable, Sendable, Hashable {
    public var migrateToChatId: Int64?
    public var retryAfter: Int?

    public init(migrateToChatId: Int64? = nil, retryAfter: Int? = nil) {
        self.migrateToChatId = migrateToChatId
        self.retryAfter = retryAfter
    }

    enum CodingKeys: String, CodingKey {
        case migrateToChatId = "migrate_to_chat_id"
        case retryAfter = "retry_after"
    }
}
