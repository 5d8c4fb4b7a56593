import CourseModel
import Foundation

extension CourseManifest {
    /// Checks a course built outside course.yaml (in the manager bot, by import) by the rules of
    /// `gongbu check`: it is rendered as course.yaml and read back strictly. With `directory`,
    /// media `file:` paths must exist there. Returns the errors (empty: valid).
    public static func validate(course: Course, directory: String? = nil) -> [Diagnostic] {
        let yaml = render(course: course)
        let folder = directory.map { MediaFolder(absolute: Paths.absolute($0), display: $0) }
        let (parsed, diagnostics) = parse(yaml: yaml, file: fileName, media: folder)
        let errors = diagnostics.filter(\.isError)
        if errors.isEmpty, parsed != course {
            return [Diagnostic(file: fileName, line: 0, column: 0, message: "the course does not read back the same from course.yaml")]
        }
        return errors
    }
}
