import Foundation
import Yams

/// Reads one locale YAML file into dotted keys, turning YAML errors into `LocalizationError`s that
/// carry the file, line and column.
enum CatalogParser {
    static func parse(yaml: String, file: String) throws -> [String: LocaleCatalog.Entry] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.error(from: error, file: file)
        } catch {
            throw LocalizationError(code: .invalidYAML, file: file, message: "\(error)")
        }
        guard let root else { return [:] }
        guard case .mapping(let mapping) = root else {
            throw invalid("the top level must be a mapping of keys to texts", node: root, file: file)
        }
        var entries: [String: LocaleCatalog.Entry] = [:]
        try flatten(mapping, prefix: "", into: &entries, file: file)
        return entries
    }

    private static func flatten(_ mapping: Node.Mapping, prefix: String, into entries: inout [String: LocaleCatalog.Entry], file: String) throws {
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode, !keyScalar.string.isEmpty else {
                throw invalid("a key must be a plain text", node: keyNode, file: file)
            }
            let key = prefix.isEmpty ? keyScalar.string : "\(prefix).\(keyScalar.string)"
            switch value {
            case .scalar(let scalar):
                if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                    throw invalid("'\(key)' has no value (write \"\" for an empty text)", node: value, file: file)
                }
                entries[key] = .text(scalar.string)
            case .mapping(let child):
                if let forms = try pluralForms(child, key: key, file: file) {
                    entries[key] = .plural(forms)
                } else {
                    try flatten(child, prefix: key, into: &entries, file: file)
                }
            case .sequence, .alias:
                throw invalid("'\(key)' must be a text, a group of keys or plural forms, not a list", node: value, file: file)
            }
        }
    }

    /// The plural forms of `mapping` when all its keys are CLDR categories and `other` is among them.
    private static func pluralForms(_ mapping: Node.Mapping, key: String, file: String) throws -> [PluralCategory: String]? {
        var forms: [PluralCategory: String] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode, let category = PluralCategory(rawValue: keyScalar.string) else {
                return nil
            }
            guard case .scalar(let scalar) = value else { return nil }
            forms[category] = scalar.string
        }
        guard !forms.isEmpty else { return nil }
        guard forms[.other] != nil else {
            throw invalid("plural '\(key)' needs an 'other' form", node: .mapping(mapping), file: file)
        }
        return forms
    }

    private static func invalid(_ message: String, node: Node, file: String) -> LocalizationError {
        LocalizationError(code: .invalidCatalog, file: file, line: node.mark?.line, column: node.mark?.column, message: message)
    }

    private static func error(from error: YamlError, file: String) -> LocalizationError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return LocalizationError(code: .invalidYAML, file: file, line: mark.line, column: mark.column, message: detail)
        case let .duplicatedKeysInMapping(duplicates, context):
            return LocalizationError(code: .invalidYAML, file: file, line: context.mark.line, column: context.mark.column,
                                     message: "duplicated keys: \(duplicates.joined(separator: ", "))")
        default:
            return LocalizationError(code: .invalidYAML, file: file, message: "\(error)")
        }
    }
}
