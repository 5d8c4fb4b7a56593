import CourseFlows
import CourseModel
import Foundation
import Localization
import TelegramBotAPI

/// `Locales/` and `Templates/` loaded once from the resources directory (`--resources`,
/// `$GONGBU_RESOURCES`, the folder of bots.yaml, or the package root), shared by every course.
public struct Resources: Sendable {
    public let directory: String
    public let catalog: LocaleCatalog
    /// The shared templates; each course gets them overridden by its own `templates/`.
    public let templates: TemplateRenderer

    public init(directory: String) throws {
        self.directory = directory
        let url = URL(fileURLWithPath: directory)
        catalog = try LocaleCatalog(directory: url.appendingPathComponent("Locales"))
        templates = try TemplateRenderer(directory: url.appendingPathComponent("Templates"))
    }

    /// The course's scene: the shared catalog with the templates of `Templates/`, overridden by
    /// the course's own `templates/` folder.
    public func courseScene(
        course: Course, directory courseDirectory: String, published: Bool = true, payments: CoursePayments? = nil
    ) throws -> CourseBotScene {
        let courseTemplates = try templates.overriding(with: URL(fileURLWithPath: courseDirectory).appendingPathComponent("templates"))
        let rendering = CourseRendering(catalog: catalog, templates: courseTemplates)
        return CourseBotScene(course: course, courseDirectory: courseDirectory, rendering: rendering, published: published, payments: payments)
    }

    /// The command menu of a bot in every locale, from the catalog's `commands.*` texts
    /// (English is also the default menu for languages without a catalog).
    public func commandMenus(_ names: [String]) -> [String: [BotCommand]] {
        var menus: [String: [BotCommand]] = [:]
        for locale in catalog.availableLocales {
            let menu = names.map { BotCommand(command: $0, description: catalog.text("commands.\($0)", locale: locale)) }
            menus[locale] = menu
            if locale == "en" { menus[""] = menu }
        }
        return menus
    }

    /// Finds the resources directory: the first of the candidates that holds `Locales/`.
    public static func locate(candidates: [String?]) -> String? {
        for candidate in candidates.compactMap({ $0 }) {
            var isFolder: ObjCBool = false
            let locales = (candidate as NSString).appendingPathComponent("Locales")
            if FileManager.default.fileExists(atPath: locales, isDirectory: &isFolder), isFolder.boolValue {
                return (candidate as NSString).standardizingPath
            }
        }
        return nil
    }
}
