import CourseFlows
import CourseModel
import Foundation
import Localization

/// `Locales/` and `Templates/` loaded once from the resources directory (`--resources`,
/// `$GONGBU_RESOURCES`, the folder of bots.yaml, or the package root), shared by every course.
public struct Resources: Sendable {
    public let directory: String
    public let catalog: LocaleCatalog

    public init(directory: String) throws {
        self.directory = directory
        let url = URL(fileURLWithPath: directory)
        catalog = try LocaleCatalog(directory: url.appendingPathComponent("Locales"))
    }

    /// The course's scene: the shared catalog with the templates of `Templates/`, overridden by
    /// the course's own `templates/` folder.
    public func courseScene(course: Course, directory courseDirectory: String, published: Bool = true) throws -> CourseBotScene {
        let rendering = CourseRendering(catalog: catalog)
        return CourseBotScene(course: course, courseDirectory: courseDirectory, rendering: rendering, published: published)
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
