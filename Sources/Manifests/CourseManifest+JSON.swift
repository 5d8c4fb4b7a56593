import CourseModel
import Foundation
import Yams

/// A problem of a course sent as JSON, by the rules and with the message of `gongbu check`,
/// and the JSON field it is about (`steps[2].questions[0].correct`; nil for the whole course).
public struct FieldDiagnostic: Error, Sendable, Equatable {
    public var message: String
    public var field: String?

    public init(message: String, field: String?) {
        self.message = message
        self.field = field
    }
}

extension CourseManifest {
    /// The course as JSON with course.yaml's field names (the same fields `render` writes).
    public static func value(of course: Course) -> ManifestValue {
        guard let node = try? Yams.compose(yaml: render(course: course)) else { return .object([]) }
        return value(of: node)
    }

    static func value(of node: Node) -> ManifestValue {
        switch node {
        case .mapping(let mapping):
            return .object(mapping.map { ManifestValue.Member($0.key.string ?? "", value(of: $0.value)) })
        case .sequence(let sequence):
            return .array(sequence.map { value(of: $0) })
        case .scalar(let scalar):
            // `render` writes numbers and flags plain and quotes any text that would read as one.
            guard scalar.style == .plain else { return .string(scalar.string) }
            switch scalar.string {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null", "~": return .null
            default: return Int64(scalar.string).map { .int($0) } ?? .string(scalar.string)
            }
        case .alias:
            return .null
        }
    }

    /// Reads a course given as JSON (course.yaml's fields) strictly, as `gongbu check` reads
    /// course.yaml: the course, or every error with the JSON field it is about. With
    /// `directory`, media `file:` paths must exist there (named `folderDisplayPath` in messages).
    public static func course(from value: ManifestValue, directory: String?, folderDisplayPath: String) -> (course: Course?, problems: [FieldDiagnostic]) {
        let document = YAMLDocument(value)
        let folder = directory.map { MediaFolder(absolute: Paths.absolute($0), display: folderDisplayPath) }
        let (course, diagnostics) = parse(yaml: document.text, file: fileName, media: folder)
        let errors = diagnostics.filter(\.isError)
        if let course, errors.isEmpty { return (course, []) }
        let fields = errors.map { FieldDiagnostic(message: $0.message, field: document.field(line: $0.line, message: $0.message)) }
        return (nil, fields.isEmpty ? [FieldDiagnostic(message: "the course is not valid", field: nil)] : fields)
    }
}

/// A JSON value written as block YAML with one scalar a line (strings as JSON literals, which
/// YAML reads as double-quoted scalars), remembering which JSON field each line holds.
struct YAMLDocument {
    private(set) var text = ""
    /// 1-based line → the field written there.
    private var paths: [Int: String] = [:]
    /// 1-based line → the object a mapping starting on that line is (for "missing key" errors).
    private var containers: [Int: String] = [:]
    private var line = 0

    init(_ value: ManifestValue) {
        switch value {
        case .object(let members) where !members.isEmpty:
            object(members, path: "", indent: 0)
        default:
            emit(scalar(value) ?? "{}", path: "")
        }
    }

    func field(line: Int, message: String) -> String? {
        let path = message.hasPrefix("missing key") ? containers[line] ?? paths[line] : paths[line]
        return path.flatMap { $0.isEmpty ? nil : $0 }
    }

    private mutating func emit(_ text: String, path: String) {
        self.text += text + "\n"
        line += 1
        paths[line] = path
    }

    private mutating func object(_ members: [ManifestValue.Member], path: String, indent: Int) {
        let pad = String(repeating: " ", count: indent)
        containers[line + 1] = path
        for member in members {
            var key = ""
            ManifestValue.quote(member.key, into: &key)
            let child = path.isEmpty ? member.key : "\(path).\(member.key)"
            if let scalar = scalar(member.value) {
                emit("\(pad)\(key): \(scalar)", path: child)
            } else {
                emit("\(pad)\(key):", path: child)
                nested(member.value, path: child, indent: indent + 2)
            }
        }
    }

    private mutating func nested(_ value: ManifestValue, path: String, indent: Int) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let members):
            object(members, path: path, indent: indent)
        case .array(let items):
            for (index, item) in items.enumerated() {
                let child = "\(path)[\(index)]"
                if let scalar = scalar(item) {
                    emit("\(pad)- \(scalar)", path: child)
                } else {
                    emit("\(pad)-", path: child)
                    nested(item, path: child, indent: indent + 2)
                }
            }
        default:
            break
        }
    }

    /// The one-line form of a scalar or an empty collection; nil for the rest.
    private func scalar(_ value: ManifestValue) -> String? {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return number.isFinite ? String(number) : "null"
        case .string(let text):
            var out = ""
            ManifestValue.quote(text, into: &out)
            return out
        case .array(let items): return items.isEmpty ? "[]" : nil
        case .object(let members): return members.isEmpty ? "{}" : nil
        }
    }
}
