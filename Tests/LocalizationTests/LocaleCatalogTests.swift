import Foundation
import Testing
@testable import Localization

@Suite("LocaleCatalog")
struct LocaleCatalogTests {
    /// The real `Locales/`, loaded once; a broken file fails the tests that use it instead of crashing.
    static let loaded = Result { try LocaleCatalog(directory: RepositoryPaths.locales) }
    static func catalog() throws -> LocaleCatalog { try loaded.get() }

    @Test(arguments: [
        (0, PluralCategory.many), (1, .one), (2, .few), (4, .few), (5, .many), (11, .many), (12, .many),
        (14, .many), (21, .one), (22, .few), (25, .many), (101, .one), (111, .many), (112, .many), (1_000_002, .few),
    ])
    func russianPluralRule(count: Int, category: PluralCategory) {
        #expect(PluralRules.category(for: count, locale: "ru") == category)
        #expect(PluralRules.category(for: Double(count), locale: "ru-RU") == category)
    }

    @Test func fractionsAndEnglish() {
        #expect(PluralRules.category(for: 1.5, locale: "ru") == .other)
        #expect(PluralRules.category(for: 1, locale: "en") == .one)
        #expect(PluralRules.category(for: 0, locale: "en") == .other)
        #expect(PluralRules.category(for: 21, locale: "en") == .other)
        #expect(PluralRules.category(for: 1.0 + 0.5, locale: "en") == .other)
        #expect(PluralRules.category(for: -1, locale: "en") == .one)
    }

    @Test(arguments: [
        (0, "0 шагов"), (1, "1 шаг"), (2, "2 шага"), (4, "4 шага"), (5, "5 шагов"), (11, "11 шагов"), (12, "12 шагов"),
        (14, "14 шагов"), (21, "21 шаг"), (22, "22 шага"), (25, "25 шагов"), (101, "101 шаг"), (111, "111 шагов"),
    ])
    func russianSteps(count: Int, text: String) throws {
        #expect(try Self.catalog().plural("steps", count: count, locale: "ru") == text)
    }

    @Test func englishSteps() throws {
        #expect(try Self.catalog().plural("steps", count: 1, locale: "en") == "1 step")
        #expect(try Self.catalog().plural("steps", count: 0, locale: "en") == "0 steps")
        #expect(try Self.catalog().plural("steps", count: 10, locale: "en") == "10 steps")
        #expect(try Self.catalog().text("steps", locale: "en", ["count": "1.5"]) == "1.5 steps")
        #expect(try Self.catalog().text("steps", locale: "ru", ["count": "1.5"]) == "1.5 шага")
        #expect(try Self.catalog().plural("quiz.attempts_left", count: 21, locale: "ru") == "Осталась 21 попытка")
        #expect(try Self.catalog().plural("quiz.attempts_left", count: 3, locale: "ru") == "Осталось 3 попытки")
    }

    @Test func labels() throws {
        let catalog = try Self.catalog()
        #expect(catalog.text("button.next", locale: "en").contains("Next"))
        #expect(catalog.text("button.retry", locale: "en") == "Retry")
        #expect(catalog.text("button.retry", locale: "ru") == "Повторить")
        #expect(catalog.text("button.buy", locale: "en", ["price": "250"]) == "Buy · 250 ⭐")
        #expect(catalog.text("button.buy", locale: "ru", ["price": "250"]) == "Купить · 250 ⭐")
        #expect(catalog.text("step.header", locale: "en", ["i": "2", "n": "10", "title": "Variables"]) == "Step 2/10 · Variables")
        #expect(catalog.text("step.header", locale: "ru", ["i": "2", "n": "10", "title": "Переменные"]) == "Шаг 2/10 · Переменные")
        #expect(catalog.plural("progress.done", count: 10, locale: "en", ["done": "3"]) == "3/10 steps done")
        #expect(catalog.plural("progress.done", count: 10, locale: "ru", ["done": "3"]).contains("3/10"))
        #expect(catalog.text("error.stale_button", locale: "en") == "This button is no longer active.")
        #expect(catalog.text("error.locked_step", locale: "en") == "Finish the previous steps first.")
        #expect(catalog.text("step.default_title.quiz", locale: "ru") == "Тест")
        for type in ["text", "photo", "video", "document", "audio", "quiz", "assignment"] {
            #expect(catalog.entry("step.default_title.\(type)", locale: "en") != nil)
            #expect(catalog.entry("step.default_title.\(type)", locale: "ru") != nil)
        }
    }

    @Test func englishAndRussianHaveTheSameKeysAndPlaceholders() throws {
        let catalog = try Self.catalog()
        #expect(catalog.availableLocales.contains("en"))
        #expect(catalog.availableLocales.contains("ru"))
        #expect(catalog.keys(locale: "en") == catalog.keys(locale: "ru"))
        for key in catalog.keys(locale: "en") {
            #expect(placeholders(catalog.entry(key, locale: "en")) == placeholders(catalog.entry(key, locale: "ru")), "\(key)")
        }
        // Every Russian plural has the three forms Russian needs.
        for key in catalog.keys(locale: "ru") {
            if case .plural(let forms)? = catalog.entry(key, locale: "ru") {
                #expect(forms[.one] != nil && forms[.few] != nil && forms[.many] != nil, "\(key)")
            }
        }
    }

    @Test func fallbackChain() throws {
        let catalog = try LocaleCatalog(yamlByLocale: [
            "en": "greeting: Hello {name}\nonly_en: English only\nitems: {one: '{count} item', other: '{count} items'}",
            "ru": "greeting: Привет, {name}",
        ])
        #expect(catalog.text("greeting", locale: "ru", ["name": "Аня"]) == "Привет, Аня")
        #expect(catalog.text("greeting", locale: "ru-RU", ["name": "Аня"]) == "Привет, Аня")
        #expect(catalog.text("only_en", locale: "ru") == "English only")
        #expect(catalog.text("only_en", locale: "de") == "English only")
        #expect(catalog.text("missing.key", locale: "ru") == "missing.key")
        #expect(catalog.text("greeting", locale: "en") == "Hello {name}")
        #expect(catalog.text("greeting", locale: "en", ["other": "x"]) == "Hello {name}")
        // A Russian request falling back to an English plural uses the English rule.
        #expect(catalog.plural("items", count: 1, locale: "ru") == "1 item")
        #expect(catalog.plural("items", count: 21, locale: "ru") == "21 items")
        #expect(catalog.text("items", locale: "en") == "{count} items")
    }

    @Test func interpolationLeavesOtherBracesAlone() {
        #expect(LocaleCatalog.interpolate("{a} {b} {} {a", ["a": "1"]) == "1 {b} {} {a")
        #expect(LocaleCatalog.interpolate("x {a}{a}", ["a": "{a}"]) == "x {a}{a}")
    }

    @Test func yamlErrorsCarryFileLineAndColumn() throws {
        let directory = try RepositoryPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "ok: fine\nbad: [unclosed\n".write(to: directory.appendingPathComponent("xx.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try LocaleCatalog(directory: directory)
            Issue.record("a broken YAML file loaded")
        } catch let error as LocalizationError {
            #expect(error.code == .invalidYAML)
            #expect(error.file.hasSuffix("xx.yaml"))
            #expect(error.line != nil && error.column != nil)
            #expect(error.description.hasPrefix("\(error.file):\(error.line!):\(error.column!): "))
        }

        #expect(throws: LocalizationError.self) { try LocaleCatalog(yamlByLocale: ["en": "a:\n  b: [1, 2]"]) }
        do {
            _ = try LocaleCatalog(yamlByLocale: ["en": "a: x\nempty:\n"])
            Issue.record("an empty value loaded")
        } catch let error as LocalizationError {
            #expect(error.code == .invalidCatalog)
            #expect(error.line == 2)
            #expect(error.message.contains("empty"))
        }
        do {
            _ = try LocaleCatalog(yamlByLocale: ["en": "steps:\n  one: x\n  few: y\n"])
            Issue.record("a plural without 'other' loaded")
        } catch let error as LocalizationError {
            #expect(error.message.contains("other"))
        }
    }

    @Test func nestedGroupsThatLookLikePluralsStayGroups() throws {
        let catalog = try LocaleCatalog(yamlByLocale: ["en": "button:\n  next: Next\n  other: Other\n"])
        #expect(catalog.text("button.next", locale: "en") == "Next")
        #expect(catalog.text("button.other", locale: "en") == "Other")
    }

    private func placeholders(_ entry: LocaleCatalog.Entry?) -> Set<String> {
        let texts: [String]
        switch entry {
        case .text(let text)?: texts = [text]
        case .plural(let forms)?: texts = Array(forms.values)
        case nil: texts = []
        }
        var names: Set<String> = []
        for text in texts {
            var rest = text[...]
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                names.insert(String(rest[rest.index(after: open)..<close]))
                rest = rest[rest.index(after: close)...]
            }
        }
        return names
    }
}

@Suite("LanguageChain")
struct LanguageChainTests {
    let chain = LanguageChain(available: ["en", "ru"])

    @Test func explicitChoiceWins() {
        #expect(chain.resolve(explicit: "ru", telegramLanguageCode: "en", courseLanguage: "en") == "ru")
        #expect(chain.resolve(explicit: "de", telegramLanguageCode: "ru", courseLanguage: "en") == "ru")
    }

    @Test func telegramLanguageByPrimarySubtag() {
        #expect(chain.resolve(telegramLanguageCode: "ru-RU", courseLanguage: "en") == "ru")
        #expect(chain.resolve(telegramLanguageCode: "RU", courseLanguage: "en") == "ru")
        #expect(chain.resolve(telegramLanguageCode: "en-GB", courseLanguage: "ru") == "en")
    }

    @Test func courseLanguageThenEnglish() {
        #expect(chain.resolve(telegramLanguageCode: "de", courseLanguage: "ru") == "ru")
        #expect(chain.resolve(telegramLanguageCode: "de", courseLanguage: "fr") == "en")
        #expect(chain.resolve() == "en")
        #expect(LanguageChain(available: ["ru"]).resolve(telegramLanguageCode: "de") == "ru")
    }

    @Test func fullTagWhenACatalogHasIt() {
        let chain = LanguageChain(available: ["en", "pt", "pt-br"])
        #expect(chain.resolve(telegramLanguageCode: "pt-BR") == "pt-br")
        #expect(chain.resolve(telegramLanguageCode: "pt_PT") == "pt")
        #expect(LanguageChain.primarySubtag("zh-Hant-TW") == "zh")
    }

    @Test func realCatalogLocales() throws {
        let chain = LanguageChain(catalog: try LocaleCatalogTests.catalog())
        #expect(chain.resolve(telegramLanguageCode: "ru-RU") == "ru")
        #expect(chain.resolve(telegramLanguageCode: "ja") == "en")
    }
}
