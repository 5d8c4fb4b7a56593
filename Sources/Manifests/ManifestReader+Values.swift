import Foundation
import Yams

/// Typed values out of YAML nodes; a wrong type is reported at the value's position.
extension ManifestReader {
    /// A required entry: reported as missing at the mapping's position when absent.
    mutating func require(_ fields: Fields, _ key: String, in context: String) -> Node? {
        if let value = fields[key] { return value }
        error("missing key '\(key)' in \(context)", at: fields.node)
        return nil
    }

    /// The scalar's text, `${VAR}` replaced when reading with an environment.
    /// Nil (reported) when the node is not a scalar or a variable is missing.
    mutating func text(_ node: Node, _ name: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error("\(name) must be a string, got \(Self.kindName(node))", at: node)
            return nil
        }
        if ManifestReader.isNull(scalar) { return "" }
        return substitute(scalar.string, at: Position(node.mark))
    }

    mutating func string(_ fields: Fields, _ key: String) -> String? {
        fields[key].flatMap { text($0, key) }
    }

    mutating func int(_ node: Node, _ name: String) -> Int? {
        guard let raw = scalarText(node, name, expected: "an integer") else { return nil }
        guard let value = Self.parseInteger(raw).flatMap({ Int(exactly: $0) }) else {
            error("\(name) must be an integer, got '\(raw)'", at: node)
            return nil
        }
        return value
    }

    mutating func int(_ fields: Fields, _ key: String) -> Int? {
        fields[key].flatMap { int($0, key) }
    }

    mutating func int64(_ node: Node, _ name: String) -> Int64? {
        guard let raw = scalarText(node, name, expected: "an integer") else { return nil }
        guard let value = Self.parseInteger(raw) else {
            error("\(name) must be an integer, got '\(raw)'", at: node)
            return nil
        }
        return value
    }

    mutating func bool(_ fields: Fields, _ key: String) -> Bool? {
        guard let node = fields[key], let raw = scalarText(node, key, expected: "true or false") else { return nil }
        switch raw.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error("\(key) must be true or false, got '\(raw)'", at: node)
            return nil
        }
    }

    /// The items of a list; a single scalar is not accepted as a list of one.
    mutating func list(_ node: Node, _ name: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error("\(name) must be a list, got \(Self.kindName(node))", at: node)
            return nil
        }
        return Array(sequence)
    }

    mutating func list(_ fields: Fields, _ key: String) -> [Node]? {
        fields[key].flatMap { list($0, key) }
    }

    /// One of `choices`, with a did-you-mean when close.
    mutating func choice(_ node: Node, _ name: String, _ choices: [String]) -> String? {
        guard let raw = scalarText(node, name, expected: "one of " + choices.joined(separator: ", ")) else {
            return nil
        }
        if choices.contains(raw) { return raw }
        var message = "\(name) must be one of \(choices.joined(separator: ", ")), got '\(raw)'"
        if let suggestion = Suggestion.closest(to: raw, among: choices) {
            message += " (did you mean '\(suggestion)'?)"
        }
        error(message, at: node)
        return nil
    }

    private mutating func scalarText(_ node: Node, _ name: String, expected: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error("\(name) must be \(expected), got \(Self.kindName(node))", at: node)
            return nil
        }
        return substitute(scalar.string, at: Position(node.mark))?.trimmingCharacters(in: .whitespaces)
    }

    static func parseInteger(_ text: String) -> Int64? {
        var digits = Substring(text)
        if digits.hasPrefix("+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else { return nil }
        return Int64(digits)
    }

    // MARK: ${VAR}

    /// Replaces every `${NAME}` from the environment; a missing variable is an error at `mark`.
    mutating func substitute(_ text: String, at position: Position?) -> String? {
        guard let environment, text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        var missing: [String] = []
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            let afterOpen = rest[start.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                error("unterminated ${ in value", at: position)
                return nil
            }
            let name = String(afterOpen[..<close])
            guard Self.isVariableName(name) else {
                error("'${\(name)}' is not a valid environment variable reference", at: position)
                return nil
            }
            if let value = environment[name] {
                result += value
            } else {
                missing.append(name)
            }
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        result += rest
        for name in missing {
            error("environment variable \(name) is not set", at: position)
        }
        return missing.isEmpty ? result : nil
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
    }
}
