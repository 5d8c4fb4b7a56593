import Foundation

/// Checking requests and objects against the schema.
///
/// JSON values must have the documented JSON type (Integer is a JSON integer, Float any number,
/// Boolean a JSON boolean, objects checked field by field against their type or one member of a
/// union). Values that arrived as text (query string, url-encoded form, multipart field) are read
/// the way Telegram reads them: `5` may be an Integer, `true` a Boolean, and object or array
/// fields must be JSON text of the right shape. `null` counts as an absent field.
extension BotAPISchema {
    /// Problems in `json` (an encoded method's JSON body) for `method`; empty when it matches.
    public func problems(method: String, json: Data) throws -> [String] {
        let value = try JSONValue.parse(json)
        guard case .object(let parameters) = value else { return ["\(method): not a JSON object"] }
        return problems(method: method, parameters: parameters)
    }

    /// Problems in the parameters of a call to `method`; empty when they match.
    /// - Parameters:
    ///   - textFields: names whose values arrived as text (query string, form, multipart field).
    ///   - uploads: names of multipart file parts.
    public func problems(
        method: String, parameters: [String: JSONValue], textFields: Set<String> = [], uploads: Set<String> = []
    ) -> [String] {
        guard let spec = methods[method.lowercased()] else { return ["unknown method \(method)"] }
        var problems: [String] = []
        for (key, value) in parameters {
            guard let field = spec.fields[key] else {
                problems.append("\(method).\(key): not a field of \(version)")
                continue
            }
            if case .string(let text) = value, textFields.contains(key) {
                if !textMatches(text, field.kinds) {
                    explainText(text, field: field, path: "\(method).\(key)", into: &problems)
                }
            } else if !value.isNull, !matches(value, field.kinds) {
                explain(value, kinds: field.kinds, label: field.label, path: "\(method).\(key)", into: &problems)
            }
        }
        for name in spec.required where (parameters[name] ?? .null).isNull && !uploads.contains(name) {
            problems.append("\(method): required field \(name) missing")
        }
        for name in uploads {
            if let field = spec.fields[name] {
                if !field.acceptsUpload { problems.append("\(method).\(name): a file upload is not \(field.label)") }
            } else if !parameters.values.contains(where: { Self.refers($0, to: name) }) {
                problems.append("\(method).\(name): not a field of \(version), and no attach://\(name) refers to it")
            }
        }
        return problems.sorted()
    }

    /// Problems in `json` (an encoded value) for the type `type`; empty when it matches.
    public func problems(type: String, json: Data) throws -> [String] {
        problems(type: type, value: try JSONValue.parse(json))
    }

    /// Problems in `value` for the type `type` (e.g. `Update`, `Array of BotCommand`); empty when it matches.
    public func problems(type: String, value: JSONValue) -> [String] {
        let kind = Self.kind(spelling: type, unions: unions)
        if matches(value, kind) { return [] }
        var problems: [String] = []
        explain(value, kinds: [kind], label: type, path: type, into: &problems)
        return problems.sorted()
    }

    // MARK: Matching (no allocation on success)

    func matches(_ value: JSONValue, _ kinds: [Kind]) -> Bool {
        kinds.contains { matches(value, $0) }
    }

    func matches(_ value: JSONValue, _ kind: Kind) -> Bool {
        switch (kind, value) {
        case (.integer, .int), (.float, .int), (.float, .double), (.boolean, .bool), (.trueValue, .bool(true)),
            (.string, .string), (.inputFile, .string):
            return true
        case (.array(let inner), .array(let elements)):
            return elements.allSatisfy { matches($0, inner) }
        case (.object(let names), .object(let members)):
            return names.contains { matches(members, type: $0) }
        default:
            return false
        }
    }

    func matches(_ members: [String: JSONValue], type name: String) -> Bool {
        guard let type = types[name] else { return false }
        if let tag = type.discriminator, members[tag.field] != .string(tag.value) { return false }
        for required in type.required where (members[required] ?? .null).isNull { return false }
        for (key, value) in members {
            guard let field = type.fields[key] else { return false }
            if !value.isNull, !matches(value, field.kinds) { return false }
        }
        return true
    }

    /// A text value read as Telegram reads form fields.
    func textMatches(_ text: String, _ kinds: [Kind]) -> Bool {
        var structured = false
        for kind in kinds {
            switch kind {
            case .string, .inputFile: return true
            case .integer: if Int64(text.trimmingCharacters(in: .whitespaces)) != nil { return true }
            case .float: if Double(text.trimmingCharacters(in: .whitespaces)) != nil { return true }
            case .boolean: if JSONValue.string(text).boolValue != nil { return true }
            case .trueValue: if JSONValue.string(text).boolValue == true { return true }
            case .array, .object: structured = true
            }
        }
        guard structured, let parsed = try? JSONValue.parse(Data(text.utf8)) else { return false }
        return matches(parsed, kinds)
    }

    // MARK: Explaining a mismatch

    private func explainText(_ text: String, field: Field, path: String, into problems: inout [String]) {
        let structured = field.kinds.contains { if case .array = $0 { true } else if case .object = $0 { true } else { false } }
        if structured, let parsed = try? JSONValue.parse(Data(text.utf8)), parsed.objectValue != nil || parsed.arrayValue != nil {
            explain(parsed, kinds: field.kinds, label: field.label, path: path, into: &problems)
        } else {
            problems.append("\(path): \(Self.describe(.string(text))) is not \(field.label)")
        }
    }

    private func explain(_ value: JSONValue, kinds: [Kind], label: String, path: String, into problems: inout [String]) {
        switch value {
        case .array(let elements):
            // Explain the elements against every array kind's element type together.
            let inner = kinds.compactMap { kind -> Kind? in if case .array(let element) = kind { element } else { nil } }
            guard !inner.isEmpty else { break }
            let before = problems.count
            let innerLabel = Self.joinedLabel(inner)
            for (index, element) in elements.enumerated() where !matches(element, inner) {
                explain(element, kinds: inner, label: innerLabel, path: "\(path)[\(index)]", into: &problems)
            }
            if problems.count > before { return }
        case .object(let members):
            // One of the object kinds (e.g. reply_markup's four): explain against the closest.
            let names = kinds.flatMap { kind -> [String] in if case .object(let names) = kind { names } else { [] } }
            if let type = closestType(members, among: names) {
                explain(members, type: type, path: path, into: &problems)
                return
            }
        default:
            break
        }
        problems.append("\(path): \(Self.describe(value)) is not \(label)")
    }

    private func explain(_ members: [String: JSONValue], type: ObjectType, path: String, into problems: inout [String]) {
        let before = problems.count
        if let tag = type.discriminator, members[tag.field] != .string(tag.value) {
            let found = members[tag.field].map(Self.describe) ?? "nothing"
            problems.append("\(path).\(tag.field): \(found) is not \"\(tag.value)\" (\(type.name))")
        }
        for key in members.keys.sorted() {
            let value = members[key]!
            guard let field = type.fields[key] else {
                problems.append("\(path).\(key): not a field of \(type.name)")
                continue
            }
            if !value.isNull, !matches(value, field.kinds) {
                explain(value, kinds: field.kinds, label: field.label, path: "\(path).\(key)", into: &problems)
            }
        }
        for required in type.required where (members[required] ?? .null).isNull {
            problems.append("\(path): required field \(required) of \(type.name) missing")
        }
        if problems.count == before { problems.append("\(path): not a \(type.name)") }
    }

    /// The member of a union an object most likely meant: its tag matches, or fewest unknown and missing fields.
    private func closestType(_ members: [String: JSONValue], among names: [String]) -> ObjectType? {
        let candidates = names.compactMap { types[$0] }
        let tagged = candidates.filter { type in
            type.discriminator.map { members[$0.field] == .string($0.value) } ?? false
        }
        if tagged.count == 1 { return tagged[0] }
        return candidates.min { distance(members, $0) < distance(members, $1) }
    }

    private func distance(_ members: [String: JSONValue], _ type: ObjectType) -> Int {
        members.keys.filter { type.fields[$0] == nil }.count
            + type.required.filter { (members[$0] ?? .null).isNull }.count
    }

    private static func joinedLabel(_ kinds: [Kind]) -> String {
        var seen: Set<String> = []
        return kinds.map(label).filter { seen.insert($0).inserted }.joined(separator: " or ")
    }

    static func label(_ kind: Kind) -> String {
        switch kind {
        case .integer: "Integer"
        case .float: "Float"
        case .boolean: "Boolean"
        case .trueValue: "True"
        case .string: "String"
        case .inputFile: "InputFile"
        case .array(let inner): "Array of " + label(inner)
        case .object(let names): names.joined(separator: " or ")
        }
    }

    /// A value as it appears in a problem: compact JSON, at most 60 characters.
    static func describe(_ value: JSONValue) -> String {
        let text = value.serialized
        return text.count <= 60 ? text : String(text.prefix(57)) + "…"
    }

    /// Whether `value` holds `attach://name` (a multipart part referred to from a field or a nested object).
    static func refers(_ value: JSONValue, to name: String) -> Bool {
        let reference = "attach://" + name
        switch value {
        case .string(let text): return text == reference || text.contains("\"\(reference)\"")
        case .array, .object: return value.serialized.contains("\"\(reference)\"")
        default: return false
        }
    }
}
