import Foundation

/// Chooses the locale a student is spoken to in, by the contract's rule: the student's explicit
/// choice (`/language`), else Telegram's `language_code` (its primary subtag: `ru-RU` → `ru`) when a
/// catalog exists for it, else the course's `language`, else `en`.
public struct LanguageChain: Sendable, Equatable {
    /// Locales that have a catalog.
    public let available: Set<String>
    /// The last resort (`en`).
    public let fallback: String

    public init(available: some Sequence<String>, fallback: String = LocaleCatalog.fallbackLocale) {
        self.available = Set(available.map { $0.lowercased() })
        self.fallback = fallback.lowercased()
    }

    /// The locales of `catalog`, falling back to `en`.
    public init(catalog: LocaleCatalog) {
        self.init(available: catalog.availableLocales)
    }

    /// The locale to use for a student.
    public func resolve(explicit: String? = nil, telegramLanguageCode: String? = nil, courseLanguage: String? = nil) -> String {
        for candidate in [explicit, telegramLanguageCode, courseLanguage] {
            if let candidate, let match = match(candidate) { return match }
        }
        if available.contains(fallback) || available.isEmpty { return fallback }
        return available.sorted()[0]
    }

    /// The available locale for `code`: the whole code if a catalog has it (`pt-br`), else its primary
    /// subtag (`pt`), else nil.
    public func match(_ code: String) -> String? {
        let lower = code.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        guard !lower.isEmpty else { return nil }
        if available.contains(lower) { return lower }
        let primary = Self.primarySubtag(lower)
        return available.contains(primary) ? primary : nil
    }

    /// The primary language subtag of a BCP 47 code, lowercased: `ru-RU` → `ru`, `pt_BR` → `pt`.
    public static func primarySubtag(_ code: String) -> String {
        let lower = code.lowercased()
        guard let separator = lower.firstIndex(where: { $0 == "-" || $0 == "_" }) else { return lower }
        return String(lower[..<separator])
    }
}
