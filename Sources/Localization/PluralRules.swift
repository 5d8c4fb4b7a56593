/// A CLDR plural category: which form of a counted phrase a language uses for a number.
public enum PluralCategory: String, Sendable, CaseIterable {
    case zero, one, two, few, many, other
}

/// CLDR cardinal plural rules for the languages Gongbu ships or is likely to get, so "5 шагов" and
/// "1 step" come out right. Languages not listed use the English rule (one/other).
public enum PluralRules {
    /// The category of `count` in `locale` (a language code such as `ru` or `ru-RU`).
    public static func category(for count: Double, locale: String) -> PluralCategory {
        let magnitude = abs(count)
        let isInteger = magnitude == magnitude.rounded(.down) && magnitude < 1e15
        guard isInteger else {
            return fractionCategory(for: LanguageChain.primarySubtag(locale))
        }
        return integerCategory(for: Int(magnitude), language: LanguageChain.primarySubtag(locale))
    }

    /// The category of the whole number `count` in `locale`.
    public static func category(for count: Int, locale: String) -> PluralCategory {
        integerCategory(for: count == Int.min ? Int.max : abs(count), language: LanguageChain.primarySubtag(locale))
    }

    private static func integerCategory(for i: Int, language: String) -> PluralCategory {
        let mod10 = i % 10
        let mod100 = i % 100
        switch language {
        case "ru", "uk", "be":
            if mod10 == 1 && mod100 != 11 { return .one }
            if (2...4).contains(mod10) && !(12...14).contains(mod100) { return .few }
            return .many
        case "pl":
            if i == 1 { return .one }
            if (2...4).contains(mod10) && !(12...14).contains(mod100) { return .few }
            return .many
        case "cs", "sk":
            if i == 1 { return .one }
            if (2...4).contains(i) { return .few }
            return .other
        case "fr":
            return i == 0 || i == 1 ? .one : (i != 0 && i % 1_000_000 == 0 ? .many : .other)
        case "ja", "zh", "ko", "vi", "th", "id", "ms":
            return .other
        default:
            return i == 1 ? .one : .other
        }
    }

    private static func fractionCategory(for language: String) -> PluralCategory {
        switch language {
        case "cs", "sk": return .many
        default: return .other
        }
    }
}
