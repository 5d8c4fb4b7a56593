import Foundation
import Testing
@testable import TelegramClient

/// Reads `../shared/telegram/bot-api-10.1.json` (beside the repository) and checks encoded
/// requests against it: every key must be a field of the method, with the right JSON type.
struct BotAPISpec {
    struct Field {
        var types: [String]
        var required: Bool
    }

    let methods: [String: [String: Field]]
    let types: [String: [String: Field]]
    let subtypes: [String: [String]]

    static func load() throws -> BotAPISpec {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/telegram/bot-api-10.1.json")
        let data = try Data(contentsOf: url)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        func fields(_ group: Any?) -> [String: [String: Field]] {
            var result: [String: [String: Field]] = [:]
            for (name, value) in (group as? [String: Any]) ?? [:] {
                let entries = ((value as? [String: Any])?["fields"] as? [[String: Any]]) ?? []
                var map: [String: Field] = [:]
                for entry in entries {
                    guard let key = entry["name"] as? String else { continue }
                    map[key] = Field(types: entry["types"] as? [String] ?? [], required: entry["required"] as? Bool ?? false)
                }
                result[name] = map
            }
            return result
        }
        var subtypes: [String: [String]] = [:]
        for (name, value) in (root["types"] as? [String: Any]) ?? [:] {
            if let list = (value as? [String: Any])?["subtypes"] as? [String] { subtypes[name] = list }
        }
        return BotAPISpec(methods: fields(root["methods"]), types: fields(root["types"]), subtypes: subtypes)
    }

    /// Problems found in `json` (an encoded method) for `method`; empty when it matches the spec.
    func problems(method: String, json: Data) throws -> [String] {
        guard let fields = methods[method] else { return ["unknown method \(method)"] }
        guard case .object(let object) = try JSONDecoder().decode(JSONValue.self, from: json) else {
            return ["\(method): not a JSON object"]
        }
        var problems: [String] = []
        for (name, field) in fields where field.required && object[name] == nil {
            problems.append("\(method): required field \(name) missing")
        }
        check(object: object, fields: fields, path: method, problems: &problems)
        return problems.sorted()
    }

    /// Problems found in `json` (an encoded value) for the Bot API type `type`; empty when it matches.
    func problems(type: String, json: Data) throws -> [String] {
        let value = try JSONDecoder().decode(JSONValue.self, from: json)
        return matches(value, type: type) ? [] : ["\(type): \(String(decoding: json, as: UTF8.self))"]
    }

    private func check(object: [String: JSONValue], fields: [String: Field], path: String, problems: inout [String]) {
        for (key, value) in object {
            guard let field = fields[key] else {
                problems.append("\(path).\(key): not a field of Bot API 10.1")
                continue
            }
            if !field.types.contains(where: { matches(value, type: $0) }) {
                problems.append("\(path).\(key): \(value) is not \(field.types.joined(separator: " or "))")
            }
        }
    }

    private func concreteTypes(_ name: String) -> [String] {
        if let list = subtypes[name] { return list.flatMap(concreteTypes) }
        return [name]
    }

    private func matches(_ value: JSONValue, type: String) -> Bool {
        if type.hasPrefix("Array of ") {
            guard case .array(let array) = value else { return false }
            let inner = String(type.dropFirst("Array of ".count))
            return array.allSatisfy { matches($0, type: inner) }
        }
        switch (type, value) {
        case ("Integer", .integer), ("Float", .integer), ("Float", .number), ("Boolean", .bool), ("True", .bool(true)),
            ("String", .string), ("InputFile", .string):
            return true
        case (_, .object(let object)):
            // A union (e.g. reply_markup, BotCommandScope): one concrete type must take every key.
            for candidate in concreteTypes(type) {
                guard let fields = types[candidate], Set(object.keys).isSubset(of: Set(fields.keys)) else { continue }
                var nested: [String] = []
                check(object: object, fields: fields, path: candidate, problems: &nested)
                let missing = fields.filter { $0.value.required && object[$0.key] == nil }
                if nested.isEmpty && missing.isEmpty { return true }
            }
            return false
        default:
            return false
        }
    }
}
