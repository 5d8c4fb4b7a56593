/// The `chat_id` of a method: Telegram accepts an Integer id or a String `@username`.
public enum ChatID: Sendable, Hashable, Codable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    case id(Int64)
    case username(String)

    public init(integerLiteral value: Int64) { self = .id(value) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let id = try? container.decode(Int64.self) {
            self = .id(id)
        } else {
            let text = try container.decode(String.self)
            if let id = Int64(text) { self = .id(id) } else { self = .username(text) }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .id(let id): try container.encode(id)
        case .username(let name): try container.encode(name)
        }
    }

    public var description: String {
        switch self {
        case .id(let id): String(id)
        case .username(let name): name
        }
    }
}
