import Foundation

/// The official Bot API 10.1 methods and types (from `shared/telegram/bot-api-10.1.json`),
/// compiled for checking requests and wire objects.
///
/// Exists so the emulator refuses every call Telegram would not understand (unknown fields,
/// wrong JSON types, missing required fields) and tests can check encodings directly: every
/// end-to-end test then proves Gongbu's wire format. The JSON file is parsed once per process
/// and path; a check costs dictionary lookups only.
public struct BotAPISchema: Sendable {
    /// A JSON type a field may take.
    indirect enum Kind: Sendable {
        case integer, float, boolean, trueValue, string, inputFile
        case array(Kind)
        /// One of these concrete object types (unions flattened through their subtypes).
        case object([String])
    }

    struct Field: Sendable {
        var kinds: [Kind]
        /// The spec's spelling, e.g. `Integer or String`.
        var label: String
        var required: Bool

        var acceptsUpload: Bool { kinds.contains { if case .inputFile = $0 { true } else { false } } }
    }

    /// A field whose value names the concrete type, e.g. `"type": "chat"` of BotCommandScopeChat.
    struct Discriminator: Sendable {
        var field: String
        var value: String
    }

    struct ObjectType: Sendable {
        var name: String
        var fields: [String: Field]
        var required: [String]
        var discriminator: Discriminator?
    }

    struct Method: Sendable {
        var name: String
        var fields: [String: Field]
        var required: [String]
    }

    /// The schema's version, e.g. `Bot API 10.1`.
    public let version: String
    /// Methods by lowercased name (Telegram's method names are case-insensitive).
    let methods: [String: Method]
    let types: [String: ObjectType]
    /// Union types (e.g. `BotCommandScope`) and their concrete members, flattened.
    let unions: [String: [String]]

    /// Failures to read the schema file.
    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case malformed(path: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "can't read the Bot API schema at \(path): \(reason)"
            case .malformed(let path): "the Bot API schema at \(path) is not the expected JSON"
            }
        }
    }

    /// `<repository>/../shared/telegram/bot-api-10.1.json`, located from this source file
    /// (the same layout in a working copy and in CI, where `shared/` sits beside the clone).
    public static var defaultURL: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // GongbuTesting
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // repository
            .deletingLastPathComponent()
            .appendingPathComponent("shared/telegram/bot-api-10.1.json")
    }

    private static let cache = Locked<[String: BotAPISchema]>([:])

    /// The schema at `url` (default: `defaultURL`), parsed once per process and path.
    public static func load(from url: URL? = nil) throws -> BotAPISchema {
        let url = url ?? defaultURL
        let key = url.standardizedFileURL.path
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let schema = try parse(url: url)
        cache.withLock { $0[key] = schema }
        return schema
    }

    /// Whether `name` is a method of the Bot API (case-insensitive, like Telegram).
    public func hasMethod(_ name: String) -> Bool { methods[name.lowercased()] != nil }

    /// Whether `name` is a type of the Bot API.
    public func hasType(_ name: String) -> Bool { types[name] != nil || unions[name] != nil || name == "InputFile" }

    // MARK: Parsing the spec

    private static func parse(url: URL) throws -> BotAPISchema {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LoadError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        guard let root = try? JSONValue.parse(data), let methodList = root["methods"]?.objectValue,
            let typeList = root["types"]?.objectValue
        else { throw LoadError.malformed(path: url.path) }

        var subtypes: [String: [String]] = [:]
        for (name, entry) in typeList {
            if let list = entry["subtypes"]?.arrayValue { subtypes[name] = list.compactMap(\.stringValue) }
        }
        func concrete(_ name: String) -> [String] {
            guard let list = subtypes[name] else { return [name] }
            return list.flatMap(concrete)
        }
        let unions = subtypes.mapValues { $0.flatMap(concrete) }
        func kind(_ spelling: String) -> Kind { Self.kind(spelling: spelling, unions: unions) }
        func fields(_ entry: JSONValue) -> (fields: [String: Field], required: [String]) {
            var fields: [String: Field] = [:]
            var required: [String] = []
            for field in entry["fields"]?.arrayValue ?? [] {
                guard let name = field["name"]?.stringValue else { continue }
                let spellings = field["types"]?.arrayValue?.compactMap(\.stringValue) ?? []
                let isRequired = field["required"]?.boolValue ?? false
                fields[name] = Field(kinds: spellings.map(kind), label: spellings.joined(separator: " or "), required: isRequired)
                if isRequired { required.append(name) }
            }
            return (fields, required.sorted())
        }

        var methods: [String: Method] = [:]
        for (name, entry) in methodList {
            let (map, required) = fields(entry)
            methods[name.lowercased()] = Method(name: name, fields: map, required: required)
        }
        var types: [String: ObjectType] = [:]
        for (name, entry) in typeList where subtypes[name] == nil {
            let (map, required) = fields(entry)
            types[name] = ObjectType(
                name: name, fields: map, required: required,
                discriminator: entry["subtype_of"] == nil ? nil : discriminator(entry))
        }
        return BotAPISchema(
            version: root["version"]?.stringValue ?? "Bot API", methods: methods, types: types, unions: unions)
    }

    /// The kind a spelling such as `Array of InlineKeyboardButton` or `BotCommandScope` stands for.
    static func kind(spelling: String, unions: [String: [String]]) -> Kind {
        if spelling.hasPrefix("Array of ") {
            return .array(kind(spelling: String(spelling.dropFirst("Array of ".count)), unions: unions))
        }
        switch spelling {
        case "Integer": return .integer
        case "Float": return .float
        case "Boolean": return .boolean
        case "True": return .trueValue
        case "String": return .string
        case "InputFile": return .inputFile
        default: return .object(unions[spelling] ?? [spelling])
        }
    }

    /// The tag of a union member: a required `type`/`source`/`status` String field described as
    /// "…, must be chat" or "…, always “creator”".
    private static func discriminator(_ entry: JSONValue) -> Discriminator? {
        for field in entry["fields"]?.arrayValue ?? [] {
            guard let name = field["name"]?.stringValue, ["type", "source", "status"].contains(name),
                field["required"]?.boolValue == true, field["types"] == ["String"],
                var text = field["description"]?.stringValue
            else { continue }
            text = text.trimmingCharacters(in: .whitespaces)
            if text.hasSuffix(".") { text.removeLast() }
            for marker in ["must be ", "always "] {
                guard let range = text.range(of: marker, options: .backwards) else { continue }
                let value = text[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\"“”* "))
                let allowed = CharacterSet.lowercaseLetters.union(.decimalDigits).union(CharacterSet(charactersIn: "_"))
                if !value.isEmpty, value.unicodeScalars.allSatisfy(allowed.contains) {
                    return Discriminator(field: name, value: value)
                }
            }
        }
        return nil
    }
}
