import ArgumentParser
import CourseFlows
import CourseModel
import Foundation
import Manifests
import Storage

/// `gongbu import DIR --creator USER_ID`: a course.yaml folder (checked like `gongbu check`)
/// becomes a course built in the manager bot, owned by that creator: its media are copied into
/// the data directory and its definition into its course database; it shows in /courses and
/// can be edited in chat from the next start.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import a course.yaml folder as a course edited in the manager bot.")

    @Argument(help: "The course folder holding course.yaml (and its media).")
    var directory: String

    @Option(help: "The Telegram user id of the creator who will own the course.")
    var creator: Int64

    @OptionGroup var config: ConfigOption
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging(secrets: [])
        let botsConfig = try config.loadOrExit()
        guard creator > 0 else {
            printError("error: --creator must be a positive Telegram user id")
            throw ExitCode(1)
        }
        var course: Course
        do {
            course = try CourseManifest.load(directory: directory, displayPath: directory)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitCode(1)
        }
        course.creator = creator
        if try await CourseSource.find(slug: course.slug, config: botsConfig) != nil {
            printError("error: a course with slug \"\(course.slug)\" already exists; change slug: in \(CourseManifest.manifestDisplayPath(forFolder: directory))")
            throw ExitCode(1)
        }
        let files = DataPaths(dataDir: botsConfig.dataDir).courseFiles(slug: course.slug)
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
        try CourseSource.copyMedia(of: course, from: directory, to: files)
        let problems = CourseManifest.validate(course: course, directory: files)
        guard problems.isEmpty else {
            for problem in problems { printError(problem.description) }
            throw ExitCode(1)
        }
        let now = Date().timeIntervalSince1970
        let store = try CourseStore.open(dataDir: botsConfig.dataDir, slug: course.slug)
        let authored = AuthoredCourse(course: course)
        try await store.saveAuthoredSource(AuthoredSource(yaml: CourseManifest.render(course: course), nextStep: authored.nextStep), now: now)
        try await store.saveDefinition(try JSONEncoder().encode(course), now: now)
        let platform = try PlatformStore.open(dataDir: botsConfig.dataDir)
        guard try await platform.addAuthoredCourse(AuthoredCourseRecord(slug: course.slug, creatorId: creator, createdAt: now)) else {
            printError("error: a course with slug \"\(course.slug)\" already exists")
            throw ExitCode(1)
        }
        try await platform.audit(actorId: creator, action: "course.import", subject: course.slug, details: directory, now: now)
        print("Imported \(course.slug) (\(course.steps.count) steps) for creator \(creator).")
    }
}
