import CourseModel
import Foundation
import Manifests
import Storage

/// Where a course's definition lives for the command line: a bots.yaml course folder, or the
/// course database of a course built in the manager bot (its media under `files/`).
enum CourseSource {
    /// The course with `slug` and the folder its media paths resolve in; nil when none has it.
    static func find(slug: String, config: BotsConfig) async throws -> (Course, String)? {
        for bot in config.bots {
            guard let course = try? CourseManifest.load(directory: bot.course, displayPath: bot.courseFileDisplayPath), course.slug == slug else { continue }
            return (course, bot.course)
        }
        let platform = try PlatformStore.open(dataDir: config.dataDir)
        guard try await platform.authoredCourses().contains(where: { $0.slug == slug }) else { return nil }
        let store = try CourseStore.open(dataDir: config.dataDir, slug: slug)
        guard let source = try await store.authoredSource() else { return nil }
        let directory = DataPaths(dataDir: config.dataDir).courseFiles(slug: slug)
        return (try CourseManifest.parse(yaml: source.yaml, file: "\(slug)/\(CourseManifest.fileName)", directory: directory), directory)
    }

    /// course.yaml on stdout, or course.yaml and the media files into `output`.
    static func write(_ course: Course, from directory: String, to output: String?) throws {
        let yaml = CourseManifest.render(course: course)
        guard let output else { return print(yaml, terminator: "") }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        try yaml.write(toFile: (output as NSString).appendingPathComponent(CourseManifest.fileName), atomically: true, encoding: .utf8)
        try copyMedia(of: course, from: directory, to: output)
    }

    /// Copies every `file:` of the course from one course folder to another (same relative paths).
    static func copyMedia(of course: Course, from source: String, to target: String) throws {
        for step in course.steps {
            guard case .media(let media) = step.content, case .file(let path) = media.source else { continue }
            let from = CourseManifest.mediaPath(path, inCourse: source)
            let to = CourseManifest.mediaPath(path, inCourse: target)
            guard from != to else { continue }
            try FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: to) { try FileManager.default.removeItem(atPath: to) }
            try FileManager.default.copyItem(atPath: from, toPath: to)
        }
    }
}
