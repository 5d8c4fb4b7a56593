import CourseModel
import Foundation

/// `gongbu check`: bots.yaml and every course it names, validated without talking to Telegram.
///
/// The CLI prints the diagnostics (`FILE:LINE:COL: message`) and, when there is no error, the summary.
public enum ConfigCheck {
    /// Validates the config at `configPath`; `displayPath` names it in diagnostics (as given on
    /// the command line). The summary is nil when any diagnostic is an error.
    public static func run(
        configPath: String, displayPath: String, environment: [String: String]
    ) -> (diagnostics: [Diagnostic], summary: String?) {
        var diagnostics: [Diagnostic] = []
        let configText: String
        switch ManifestText.read(configPath) {
        case .success(let read): configText = read
        case .failure(let failure):
            let reason = FileManager.default.fileExists(atPath: configPath) ? "cannot read file" : "no such file"
            return ([ManifestText.diagnostic(failure, file: displayPath, unreadable: reason)], nil)
        }
        let (loaded, configDiagnostics) = BotsConfig.parse(
            yaml: configText, displayPath: displayPath, absolutePath: Paths.absolute(configPath), environment: environment)
        diagnostics += configDiagnostics
        guard let config = loaded else { return (diagnostics, nil) }

        if config.manager == nil, config.bots.isEmpty, !diagnostics.containsError {
            diagnostics.append(Diagnostic(
                file: displayPath, line: 1, column: 1, message: "nothing to run: add a manager bot or a course bot under bots"))
        }
        var courses: [Course] = []
        var slugs: [String: String] = [:]
        for bot in config.bots {
            func report(_ message: String, _ severity: Diagnostic.Severity = .error) {
                diagnostics.append(Diagnostic(
                    file: displayPath, line: bot.line, column: bot.column, message: message, severity: severity))
            }
            let manifest = Paths.join(bot.course, CourseManifest.fileName)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: bot.course, isDirectory: &isFolder), isFolder.boolValue else {
                report("course folder '\(bot.coursePath)' not found")
                continue
            }
            guard FileManager.default.fileExists(atPath: manifest) else {
                report("no \(CourseManifest.fileName) in course folder '\(bot.coursePath)'")
                continue
            }
            let (course, courseDiagnostics) = CourseManifest.read(directory: bot.course, displayPath: bot.coursePath)
            diagnostics += courseDiagnostics
            guard let course else { continue }
            if let other = slugs[course.slug] {
                report("course '\(bot.coursePath)' has slug '\(course.slug)', already used by '\(other)'; slugs name data folders and must differ")
                continue
            }
            slugs[course.slug] = bot.coursePath
            courses.append(course)
            let needsReviewer = course.steps.contains {
                if case .assignment(let assignment) = $0.content { assignment.review == .creator } else { false }
            }
            if needsReviewer, course.creator == nil, config.manager?.admins.isEmpty ?? true {
                report("course '\(course.slug)' has assignments reviewed by a creator, but names no creator and manager.admins is empty: nobody can review them", .warning)
            }
            let sells = course.price != .free || course.steps.contains(where: \.paid)
            if sells, config.payments.termsURL == nil {
                report("course '\(course.slug)' takes payments, but payments.terms_url is not set (/terms is required by Telegram)", .warning)
            }
        }
        guard !diagnostics.containsError else { return (diagnostics, nil) }
        return (diagnostics, summary(config: config, courses: courses))
    }

    /// `OK: 1 manager bot, 1 course bot, 1 course (8 steps)`.
    static func summary(config: BotsConfig, courses: [Course]) -> String {
        let steps = courses.reduce(0) { $0 + $1.steps.count }
        return "OK: " + [
            counted(config.manager == nil ? 0 : 1, "manager bot"),
            counted(config.bots.count, "course bot"),
            counted(courses.count, "course") + " (" + counted(steps, "step") + ")",
        ].joined(separator: ", ")
    }

    private static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
