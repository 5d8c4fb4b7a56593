import Foundation
import Mustache

/// Renders the message layouts of `Templates/<name>.mustache` into Telegram HTML.
///
/// It exists so a message's shape lives in a file a creator can override: a course's own
/// `templates/` folder holding a file of the same name wins over the shared one. Templates are parsed
/// once, when the renderer is made; rendering is a cheap walk of parsed tokens. Make one renderer per
/// course at load time and keep it.
///
/// Mustache's `{{name}}` HTML-escapes (`&`, `<`, `>`, `"`, `'`), which is what Telegram HTML needs for
/// plain text; use `{{{name}}}` for fields the caller already rendered to HTML (course Markdown
/// through `MarkdownRenderer`). Empty strings in the context count as absent, so `{{#field}}…{{/field}}`
/// hides a line whose value is empty. The output is trimmed and runs of blank lines are collapsed
/// to one.
public struct TemplateRenderer: Sendable {
    private let library: MustacheLibrary
    private let origins: [String: String]

    /// Loads every `*.mustache` file of `directory` (the shared `Templates/`) and then of
    /// `overrides` (a course's `templates/` folder, ignored when it does not exist).
    public init(directory: URL, overrides: URL? = nil) throws {
        var templates: [String: MustacheTemplate] = [:]
        var origins: [String: String] = [:]
        try Self.load(directory, required: true, into: &templates, origins: &origins)
        if let overrides {
            try Self.load(overrides, required: false, into: &templates, origins: &origins)
        }
        self.library = MustacheLibrary(templates: templates)
        self.origins = origins
    }

    /// Templates given as source text by name, for tests and previews.
    public init(sources: [String: String]) throws {
        var templates: [String: MustacheTemplate] = [:]
        for (name, source) in sources {
            templates[name] = try Self.parse(source, file: "\(name).mustache")
        }
        self.library = MustacheLibrary(templates: templates)
        self.origins = Dictionary(uniqueKeysWithValues: sources.keys.map { ($0, "\($0).mustache") })
    }

    /// A renderer whose templates are these, except the ones `directory` (a course's `templates/`
    /// folder) overrides. A missing folder overrides nothing.
    public func overriding(with directory: URL) throws -> TemplateRenderer {
        var templates: [String: MustacheTemplate] = [:]
        var origins = self.origins
        for name in origins.keys {
            if let template = library.getTemplate(named: name) { templates[name] = template }
        }
        try Self.load(directory, required: false, into: &templates, origins: &origins)
        return TemplateRenderer(library: MustacheLibrary(templates: templates), origins: origins)
    }

    private init(library: MustacheLibrary, origins: [String: String]) {
        self.library = library
        self.origins = origins
    }

    /// The names of the templates this renderer knows, sorted.
    public var templateNames: [String] { origins.keys.sorted() }

    /// The file a template was read from (to show which one won).
    public func origin(of name: String) -> String? { origins[name] }

    /// Renders template `name` with `context` (a dictionary of strings, numbers, booleans, arrays of
    /// dictionaries and nested dictionaries). Throws `missingTemplate` for an unknown name.
    public func render(_ name: String, _ context: [String: Any]) throws -> String {
        guard let template = library.getTemplate(named: name) else {
            throw LocalizationError(code: .missingTemplate, file: "\(name).mustache", message: "no template named '\(name)'")
        }
        let output = template.render(Self.normalize(context), library: library)
        return Self.tidy(output)
    }

    // MARK: - Loading

    private static func load(_ directory: URL, required: Bool, into templates: inout [String: MustacheTemplate],
                             origins: inout [String: String]) throws {
        let path = directory.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            if required {
                throw LocalizationError(code: .unreadable, file: path, message: "templates directory not found")
            }
            return
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw LocalizationError(code: .unreadable, file: path, message: "cannot list the templates directory")
        }
        for fileName in names.sorted() where fileName.hasSuffix(".mustache") {
            let file = directory.appendingPathComponent(fileName)
            let source: String
            do {
                source = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw LocalizationError(code: .unreadable, file: file.path, message: "cannot read the file as UTF-8")
            }
            let name = String(fileName.dropLast(".mustache".count))
            templates[name] = try parse(source, file: file.path)
            origins[name] = file.path
        }
    }

    private static func parse(_ source: String, file: String) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: source)
        } catch let error as MustacheTemplate.ParserError {
            throw LocalizationError(code: .invalidTemplate, file: file, line: error.context.lineNumber,
                                    column: error.context.columnNumber, message: "template does not parse: \(error.error)")
        } catch {
            throw LocalizationError(code: .invalidTemplate, file: file, message: "template does not parse: \(error)")
        }
    }

    // MARK: - Rendering helpers

    /// Drops empty strings so sections on them render as absent.
    private static func normalize(_ value: [String: Any]) -> [String: Any] {
        var result: [String: Any] = [:]
        result.reserveCapacity(value.count)
        for (key, item) in value {
            switch item {
            case let string as String where string.isEmpty:
                continue
            case let dictionary as [String: Any]:
                result[key] = normalize(dictionary)
            case let array as [[String: Any]]:
                result[key] = array.map(normalize)
            default:
                result[key] = item
            }
        }
        return result
    }

    /// Trims the output and collapses three or more newlines (a hidden line between blank lines) to
    /// two, except inside `<pre>` where the text is code and every line counts.
    private static func tidy(_ output: String) -> String {
        var result = ""
        result.reserveCapacity(output.utf8.count)
        var newlines = 0
        var insidePre = false
        var index = output.startIndex
        while index < output.endIndex {
            let character = output[index]
            if character == "<" {
                let rest = output[index...]
                if rest.hasPrefix("<pre>") || rest.hasPrefix("<pre ") {
                    insidePre = true
                } else if rest.hasPrefix("</pre>") {
                    insidePre = false
                }
            }
            if character == "\n" && !insidePre {
                newlines += 1
                if newlines <= 2 { result.append(character) }
            } else {
                newlines = 0
                result.append(character)
            }
            index = output.index(after: index)
        }
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
