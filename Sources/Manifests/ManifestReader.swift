import Foundation
import Yams

/// Strict, position-keeping reading of a YAML document: every problem becomes a
/// `Diagnostic` at the line and column of the node it is about, and reading goes on
/// so one run reports every error of the file.
struct ManifestReader {
    let file: String
    /// When set (bots.yaml), `${VAR}` in every scalar value is replaced from it.
    let environment: [String: String]?
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, environment: [String: String]? = nil) {
        self.file = file
        self.environment = environment
    }

    var hasErrors: Bool { diagnostics.containsError }

    // MARK: Reporting

    mutating func error(_ message: String, at position: Position?) {
        report(message, at: position, severity: .error)
    }

    mutating func error(_ message: String, at node: Node?) {
        report(message, at: Position(node?.mark), severity: .error)
    }

    mutating func warning(_ message: String, at node: Node?) {
        report(message, at: Position(node?.mark), severity: .warning)
    }

    private mutating func report(_ message: String, at position: Position?, severity: Diagnostic.Severity) {
        diagnostics.append(Diagnostic(
            file: file, line: position?.line ?? 0, column: position?.column ?? 0, message: message, severity: severity))
    }

    // MARK: Document

    /// Parses `text` into its root node; syntax errors become diagnostics at their position.
    mutating func compose(_ text: String, what: String) -> Node? {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                error("\(what) is empty", at: Position.start)
                return nil
            }
            return root
        } catch let yamlError as YamlError {
            let (message, mark) = Self.describe(yamlError)
            error(message, at: mark)
            return nil
        } catch {
            self.error("cannot parse YAML: \(error)", at: Position.start)
            return nil
        }
    }

    private static func describe(_ error: YamlError) -> (String, Position?) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at \(context.mark.line):\(context.mark.column))" }
            return (message, Position(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return ("duplicate key \(keys)", Position(context.mark))
        case .reader(let problem, let offset, _, let yaml):
            return ("cannot read YAML: \(problem)", offset.map { mark(ofCharacterOffset: $0, in: yaml) })
        default:
            return ("cannot parse YAML: \(error)", Position.start)
        }
    }

    private static func mark(ofCharacterOffset offset: Int, in text: String) -> Position {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return Position(line: line, column: column)
    }

    // MARK: Mappings

    /// The entries of a mapping node whose keys are all in `allowed`; unknown keys are reported
    /// (with a did-you-mean) and skipped. `context` names the mapping in messages.
    mutating func fields(_ node: Node, in context: String, allowed: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error("\(context) must be a mapping, got \(Self.kindName(node))", at: node)
            return nil
        }
        var fields = Fields(node: node)
        for (key, value) in mapping {
            guard case .scalar(let keyScalar) = key else {
                error("keys in \(context) must be plain names, got \(Self.kindName(key))", at: key)
                continue
            }
            let name = keyScalar.string
            guard allowed.contains(name) else {
                error(Self.unknownKeyMessage(name, in: context, allowed: allowed), at: key)
                continue
            }
            fields.entries[name] = Fields.Entry(key: key, value: value)
        }
        return fields
    }

    static func unknownKeyMessage(_ name: String, in context: String, allowed: [String]) -> String {
        var message = "unknown key '\(name)' in \(context)"
        if let suggestion = Suggestion.closest(to: name, among: allowed) {
            message += " (did you mean '\(suggestion)'?)"
        }
        return message + "; expected one of: " + allowed.joined(separator: ", ")
    }

    static func kindName(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar):
            isNull(scalar) ? "nothing" : "'\(scalar.string)'"
        }
    }

    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}

/// A 1-based line and column in a YAML file (Yams' `Mark` cannot be built outside Yams).
struct Position: Sendable, Equatable {
    var line: Int
    var column: Int

    static let start = Position(line: 1, column: 1)

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init?(_ mark: Mark?) {
        guard let mark else { return nil }
        self.init(line: mark.line, column: mark.column)
    }
}

/// The known entries of one YAML mapping, by key.
struct Fields {
    struct Entry {
        let key: Node
        let value: Node
    }

    let node: Node
    var entries: [String: Entry] = [:]

    /// The value under `key`, nil when absent or written as null (`key:` alone).
    subscript(key: String) -> Node? {
        guard let value = entries[key]?.value else { return nil }
        if case .scalar(let scalar) = value, ManifestReader.isNull(scalar) { return nil }
        return value
    }

    func has(_ key: String) -> Bool { self[key] != nil }
}

/// "Did you mean" for misspelt keys and values.
enum Suggestion {
    static func closest(to word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let limit = max(1, min(3, best.0.count / 3))
        return best.1 <= limit ? best.0 : nil
    }

    /// Edit distance where swapping two neighbours counts as one edit (optimal string alignment).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
