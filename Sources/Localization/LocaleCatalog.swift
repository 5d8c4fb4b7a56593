import Foundation

/// Every text and button label a student sees, per locale, read from `Locales/<lang>.yaml`.
///
/// It exists so flows never hold a user-facing string: they ask for a dotted key (`step.header`,
/// `button.next`) in the student's locale. A missing key falls back to `en`, then to the key itself,
/// so a gap in a translation shows something instead of crashing. Values are plain text (not HTML):
/// escape them before putting them into a message (Mustache's `{{ }}` does).
public struct LocaleCatalog: Sendable {
    /// One catalog value: a text, or the forms of a counted phrase by plural category.
    public enum Entry: Sendable, Equatable {
        case text(String)
        case plural([PluralCategory: String])
    }

    /// The locale every lookup falls back to.
    public static let fallbackLocale = "en"

    private let entries: [String: [String: Entry]]

    /// A catalog from already-parsed entries, by locale then dotted key.
    public init(entries: [String: [String: Entry]]) {
        var normalized: [String: [String: Entry]] = [:]
        for (locale, values) in entries { normalized[locale.lowercased(), default: [:]].merge(values) { _, new in new } }
        self.entries = normalized
    }

    /// Loads every `*.yaml` / `*.yml` file of `directory`; the file name is the locale (`ru.yaml` → `ru`).
    public init(directory: URL) throws {
        let path = directory.path
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw LocalizationError(code: .unreadable, file: path, message: "cannot list the locales directory")
        }
        var entries: [String: [String: Entry]] = [:]
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let file = directory.appendingPathComponent(name)
            let text: String
            do {
                text = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw LocalizationError(code: .unreadable, file: file.path, message: "cannot read the file as UTF-8")
            }
            let locale = (name as NSString).deletingPathExtension.lowercased()
            entries[locale] = try CatalogParser.parse(yaml: text, file: file.path)
        }
        self.init(entries: entries)
    }

    /// A catalog from YAML texts by locale, for tests and embedded catalogs.
    public init(yamlByLocale: [String: String]) throws {
        var entries: [String: [String: Entry]] = [:]
        for (locale, yaml) in yamlByLocale {
            entries[locale] = try CatalogParser.parse(yaml: yaml, file: "\(locale).yaml")
        }
        self.init(entries: entries)
    }

    /// The locales this catalog holds, sorted.
    public var availableLocales: [String] { entries.keys.sorted() }

    /// Whether the catalog has a file for `locale` (exactly, lowercased).
    public func hasLocale(_ locale: String) -> Bool { entries[locale.lowercased()] != nil }

    /// The dotted keys of `locale`, sorted.
    public func keys(locale: String) -> [String] { entries[locale.lowercased()]?.keys.sorted() ?? [] }

    /// The raw entry of `key` in exactly `locale`, without fallback.
    public func entry(_ key: String, locale: String) -> Entry? { entries[locale.lowercased()]?[key] }

    /// The text of `key` in `locale` with `{name}` placeholders filled from `arguments`. A plural entry
    /// picks its form by the `count` argument (the `other` form when there is none). Falls back to the
    /// primary language (`pt-BR` → `pt`), then to `en`, then returns `key` itself.
    public func text(_ key: String, locale: String, _ arguments: [String: String] = [:]) -> String {
        for candidate in Self.fallbacks(for: locale) {
            guard let entry = entries[candidate]?[key] else { continue }
            switch entry {
            case .text(let value):
                return Self.interpolate(value, arguments)
            case .plural(let forms):
                let category = arguments["count"].flatMap(Double.init).map { PluralRules.category(for: $0, locale: candidate) } ?? .other
                guard let form = forms[category] ?? forms[.other] else { continue }
                return Self.interpolate(form, arguments)
            }
        }
        return key
    }

    /// The counted phrase `key` for `count` in `locale`: `plural("steps", count: 5, locale: "ru")` →
    /// "5 шагов". `{count}` and any other placeholder are filled in.
    public func plural(_ key: String, count: Int, locale: String, _ arguments: [String: String] = [:]) -> String {
        var arguments = arguments
        arguments["count"] = String(count)
        return text(key, locale: locale, arguments)
    }

    // MARK: - Helpers

    private static func fallbacks(for locale: String) -> [String] {
        let lower = locale.lowercased()
        var chain = [lower]
        let primary = LanguageChain.primarySubtag(lower)
        if primary != lower { chain.append(primary) }
        if !chain.contains(fallbackLocale) { chain.append(fallbackLocale) }
        return chain
    }

    /// Replaces each `{name}` whose name is in `arguments`; other braces stay as written.
    static func interpolate(_ template: String, _ arguments: [String: String]) -> String {
        guard !arguments.isEmpty, template.contains("{") else { return template }
        var result = ""
        result.reserveCapacity(template.utf8.count + 16)
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(where: { !Self.isNameCharacter($0) }),
                  rest[close] == "}", close > afterOpen,
                  let value = arguments[String(rest[afterOpen..<close])]
            else {
                result += "{"
                rest = rest[afterOpen...]
                continue
            }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ".")
    }
}
