import ArgumentParser
import Foundation
import Manifests
import Storage

/// `gongbu export SLUG`: one course's students (progress, score, completion) and payments, as
/// the JSON of contract §8 or as CSV with one row per student, on stdout; or, with
/// `--format yaml`, the course itself as course.yaml (+ its media with `--output DIR`).
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print one course's students' progress, scores and payments (json or csv), or the course as course.yaml (yaml).")

    @Argument(help: "The course's slug (as in its course.yaml).")
    var slug: String

    @Option(help: "json, csv or yaml.")
    var format: ExportFormat = .json

    @Option(help: "yaml only: the folder to write course.yaml and its media to (default: course.yaml on stdout).")
    var output: String?

    @OptionGroup var config: ConfigOption
    @OptionGroup var common: CommonOptions

    enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
        case json, csv, yaml
    }

    func run() async throws {
        common.bootstrapLogging(secrets: [])
        let botsConfig = try config.loadOrExit()
        guard let (course, directory) = try await CourseSource.find(slug: slug, config: botsConfig) else {
            printError("error: no course with slug \"\(slug)\" in \(config.path) or among the courses built in the manager bot")
            throw ExitCode(1)
        }
        if format == .yaml {
            return try CourseSource.write(course, from: directory, to: output)
        }
        let stepIds = course.steps.map(\.id)
        let store = try CourseStore.open(dataDir: botsConfig.dataDir, slug: slug)
        let students = try await store.studentSummaries(stepIds: stepIds)
        let payments = try await PlatformStore.open(dataDir: botsConfig.dataDir).ledger(courseSlug: slug)
        switch format {
        case .json: print(Self.json(slug: slug, students: students, stepsTotal: stepIds.count, payments: payments))
        case .csv, .yaml: print(Self.csv(students: students, stepsTotal: stepIds.count), terminator: "")
        }
    }

    static func json(slug: String, students: [StudentSummary], stepsTotal: Int, payments: [LedgerEntry]) -> String {
        let body: [String: Any] = [
            "course": slug,
            "students": students.map { student -> [String: Any] in
                [
                    "user_id": student.userId, "steps_done": student.stepsDone, "steps_total": stepsTotal,
                    "score": student.score.map { $0 as Any } ?? NSNull(), "completed": student.completed,
                ]
            },
            "payments": payments.map { payment -> [String: Any] in
                [
                    "telegram_payment_charge_id": payment.chargeId, "user_id": payment.userId, "item": payment.item,
                    "amount": payment.amount, "currency": payment.currency, "refunded": payment.refunded,
                ]
            },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .prettyPrinted])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// `user_id,steps_done,steps_total,score,completed`, one row per student (score empty when no quiz).
    static func csv(students: [StudentSummary], stepsTotal: Int) -> String {
        var lines = ["user_id,steps_done,steps_total,score,completed"]
        for student in students {
            lines.append("\(student.userId),\(student.stepsDone),\(stepsTotal),\(student.score.map(String.init) ?? ""),\(student.completed)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
