import Foundation

/// A Bot API method as a value: its JSON fields, its name and the type of its `result`.
///
/// Lets one generic `call` send any method and decode its answer, and lets an outbox store
/// `(name, JSON)` to send later.
public protocol BotMethod: Encodable, Sendable {
    /// What `result` decodes to.
    associatedtype Response: Decodable & Sendable
    /// The method name in the URL, e.g. `sendMessage`.
    static var name: String { get }
}

extension BotMethod {
    /// The JSON body and any files to upload (then the request must be multipart/form-data).
    public func encoded() throws -> EncodedMethod {
        let collector = UploadCollector()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[.uploadCollector] = collector
        let json = try encoder.encode(self)
        return EncodedMethod(name: Self.name, json: json, uploads: collector.uploads)
    }
}

/// A method ready to send: its JSON fields and the files that `attach://` names refer to.
public struct EncodedMethod: Sendable {
    public var name: String
    /// The method's fields as a JSON object; an uploaded file appears as `"attach://<name>"`.
    public var json: Data
    /// Files to send as multipart parts, by attach name (a top-level field's name, e.g. `photo`).
    public var uploads: [String: FileUpload]

    public init(name: String, json: Data, uploads: [String: FileUpload] = [:]) {
        self.name = name
        self.json = json
        self.uploads = uploads
    }

    /// Whether the request must be sent as multipart/form-data.
    public var needsMultipart: Bool { !uploads.isEmpty }
}

/// The result of the edit methods: the edited `Message`, or `true` for inline messages.
public enum EditResult: Codable, Sendable, Hashable {
    case message(Message)
    case done

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self), flag {
            self = .done
        } else {
            self = .message(try container.decode(Message.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .message(let message): try container.encode(message)
        case .done: try container.encode(true)
        }
    }

    /// The edited message, when Telegram returned one.
    public var message: Message? {
        if case .message(let message) = self { return message }
        return nil
    }
}
