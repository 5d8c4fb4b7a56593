import Localization
import TelegramBotAPI

/// Everything a course bot needs to turn its logic into Telegram HTML: the locale catalog, the
/// message templates (with the course's overrides) and the Markdown renderer. Built once per
/// course by the runtime and shared by every update.
public struct CourseRendering: Sendable {
    let source: any FlowTextSource

    /// - Parameters:
    ///   - catalog: `Locales/*.yaml`.
    ///   - templates: `Templates/*.mustache` with the course's `templates/` overrides applied
    ///     (`TemplateRenderer.overriding(with:)`); nil lays messages out in a plain built-in way.
    public init(catalog: LocaleCatalog, templates: TemplateRenderer? = nil, markdown: MarkdownRenderer = MarkdownRenderer()) {
        self.source = CatalogTextSource(catalog: catalog, templates: templates, markdown: markdown)
    }
}

/// `FlowTextSource` over the real catalog, templates, Markdown renderer and splitter.
struct CatalogTextSource: FlowTextSource {
    let catalog: LocaleCatalog
    let templates: TemplateRenderer?
    let markdown: MarkdownRenderer
    let availableLocales: [String]

    init(catalog: LocaleCatalog, templates: TemplateRenderer?, markdown: MarkdownRenderer) {
        self.catalog = catalog
        self.templates = templates
        self.markdown = markdown
        self.availableLocales = catalog.availableLocales
    }

    func hasLocale(_ locale: String) -> Bool { catalog.hasLocale(locale) }

    func text(_ key: String, locale: String, count: Int?, args: [String: String]) -> String {
        var args = args
        if let count { args["count"] = String(count) }
        return catalog.text(key, locale: locale, args)
    }

    func layout(_ name: String, _ context: [String: Any]) -> String? {
        try? templates?.render(name, context)
    }

    func markdown(_ source: String) -> String { markdown.render(source) }

    func split(_ html: String, limit: Int) -> [String] {
        // Tags and entities only shorten the visible text: short UTF-16 means it fits.
        if html.utf16.count <= limit { return [html] }
        return MessageSplitter.split(html: html, limit: limit)
    }

    func visibleLength(_ html: String) -> Int {
        let units = html.utf16.count
        return units <= TelegramHTML.captionLimit ? units : TelegramHTML.visibleLength(of: html)
    }
}
