import Localization
import TelegramBotAPI

/// Everything a course bot needs to turn its logic into Telegram HTML: the locale catalog, the
/// message templates (with the course's overrides) and the Markdown renderer. Built once per
/// course by the runtime and shared by every update.
public struct CourseRendering: Sendable {
    let catalog: LocaleCatalog
    let templates: TemplateRenderer?
    let markdownRenderer: MarkdownRenderer
    /// Locale codes the catalog holds, in display order.
    let availableLocales: [String]

    /// - Parameters:
    ///   - catalog: `Locales/*.yaml`.
    ///   - templates: `Templates/*.mustache` with the course's `templates/` overrides applied
    ///     (`TemplateRenderer.overriding(with:)`); nil lays messages out in a plain built-in way.
    public init(catalog: LocaleCatalog, templates: TemplateRenderer? = nil, markdown: MarkdownRenderer = MarkdownRenderer()) {
        self.catalog = catalog
        self.templates = templates
        self.markdownRenderer = markdown
        self.availableLocales = catalog.availableLocales
    }

    func hasLocale(_ locale: String) -> Bool { catalog.hasLocale(locale) }

    /// The plain text (not HTML) of a catalog key, `{name}` arguments substituted; `count` picks
    /// the plural form.
    func text(_ key: String, locale: String, count: Int? = nil, args: [String: String] = [:]) -> String {
        var args = args
        if let count { args["count"] = String(count) }
        return catalog.text(key, locale: locale, args)
    }

    /// A message layout (Telegram HTML) from a template, or nil when there is no such template.
    /// String values are plain text (the template escapes them) except where it inserts HTML.
    func layout(_ name: String, _ context: [String: Any]) -> String? {
        try? templates?.render(name, context)
    }

    /// Course Markdown as Telegram HTML.
    func markdown(_ source: String) -> String { markdownRenderer.render(source) }

    /// Telegram HTML cut into messages of at most `limit` visible characters, tags balanced.
    func split(_ html: String, limit: Int) -> [String] {
        // Tags and entities only shorten the visible text: short UTF-16 means it fits.
        if html.utf16.count <= limit { return [html] }
        return MessageSplitter.split(html: html, limit: limit)
    }

    /// The visible length Telegram counts for `html`.
    func visibleLength(_ html: String) -> Int {
        let units = html.utf16.count
        return units <= TelegramHTML.captionLimit ? units : TelegramHTML.visibleLength(of: html)
    }
}
