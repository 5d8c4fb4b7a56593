import CourseModel
import Foundation
import Storage
import TelegramBotAPI

/// A course's statistics as one message (contract §5): students, active in the last 7 days,
/// the completion funnel per step, quiz results per question, assignments pending, revenue.
extension ManagerDesk {
    static let activeWindow: Double = 7 * 24 * 3600

    func statistics(_ entry: ManagedCourse, locale: String) async throws -> String {
        let course = entry.course
        let activity = try await entry.store.activity(since: now() - Self.activeWindow)
        let quizzes = try await entry.store.quizStatistics()
        let pending = try await entry.store.pendingSubmissions().count
        let ledger = try await platform.ledger(courseSlug: course.slug).filter { !$0.refunded }
        func line(_ key: String, _ arguments: [String: String] = [:]) -> String { escaped(key, locale, arguments) }

        var lines = ["<b>\(line("desk.stats_title", ["course": course.title]))</b>"]
        lines.append(line("desk.stats_students", ["count": String(activity.students)]))
        lines.append(line("desk.stats_active", ["count": String(activity.activeSince)]))
        lines.append(line("desk.stats_completed", ["count": String(activity.completed)]))
        lines.append(line("desk.stats_pending", ["count": String(pending)]))
        if ledger.isEmpty {
            lines.append(line("desk.stats_no_revenue"))
        } else {
            let byCurrency = Dictionary(grouping: ledger, by: \.currency)
            let sums = byCurrency.keys.sorted().map { currency in
                "\(byCurrency[currency, default: []].reduce(0) { $0 + $1.amount }) \(currency)"
            }
            lines.append(line("desk.stats_revenue", ["amount": sums.joined(separator: ", "), "count": String(ledger.count)]))
        }
        lines.append("")
        lines.append("<b>\(line("desk.stats_funnel"))</b>")
        for (index, step) in course.steps.enumerated() {
            lines.append(line("desk.stats_step", [
                "n": String(index + 1), "step": step.title ?? step.id, "count": String(activity.doneByStep[step.id] ?? 0),
            ]))
        }
        let quizSteps = course.steps.compactMap { step -> (Step, Quiz)? in
            if case .quiz(let quiz) = step.content { return (step, quiz) }
            return nil
        }
        if !quizSteps.isEmpty {
            lines.append("")
            lines.append("<b>\(line("desk.stats_quizzes"))</b>")
            for (step, quiz) in quizSteps {
                let stats = quizzes.step(step.id)
                lines.append("<i>\(TelegramHTML.escape(step.title ?? step.id))</i>")
                for (index, question) in quiz.questions.enumerated() {
                    let numbers = stats?.questions.first { $0.question == index }
                    let attempts = numbers?.attempts ?? 0
                    let correct = numbers?.correct ?? 0
                    lines.append(line("desk.stats_question", [
                        "n": String(index + 1), "question": String(question.text.prefix(60)), "correct": String(correct),
                        "attempts": String(attempts), "percent": String(Int((numbers?.shareCorrect ?? 0) * 100 + 0.5)),
                    ]))
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
