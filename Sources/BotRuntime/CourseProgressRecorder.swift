import CourseFlows
import CourseModel
import Foundation
import SceneEngine
import Storage

/// Mirrors what a course scene decided into the course database (for export, statistics and
/// reviews), in the same transaction as the student's state: enrollments, progress, every quiz
/// answer and finished pass, and every assignment submission.
///
/// Everything is derived from the state before and after each event, so the scene stays pure
/// and a rejected (stale or repeated) press, which changes no state, records nothing.
enum CourseProgressRecorder {
    static func handler(for scene: CourseBotScene) -> SceneChatHandler<CourseBotScene> {
        SceneChatHandler(scene: scene) { event, before, after, now in
            records(course: scene.course, event: event, before: before, after: after, now: now)
        }
    }

    static func records(course: Course, event: ChatEvent, before: StudentState?, after: StudentState, now: Double) -> ChatRecords {
        var records = ChatRecords()
        let user = event.user.id
        let newlyDone = after.progress.done.subtracting(before?.progress.done ?? [])
        for stepId in newlyDone.sorted() {
            let score = after.quizResults[stepId]?.scores.last
            records.progress.append(ProgressRow(userId: user, stepId: stepId, doneAt: now, score: score))
        }
        let enrolledNow = after.enrolled && !(before?.enrolled ?? false)
        let completedNow = after.completedAt != nil && before?.completedAt == nil
        let localeChanged = after.locale != before?.locale
        if enrolledNow || completedNow || (after.enrolled && localeChanged) {
            records.enrollments.append(EnrollmentRow(
                userId: user, chatId: event.chatId, locale: after.locale ?? event.user.languageCode,
                enrolledAt: after.startedAt ?? now, completedAt: after.completedAt))
        }
        quiz(course: course, user: user, before: before, after: after, now: now, into: &records)
        submissions(course: course, event: event, before: before, after: after, newlyDone: newlyDone, now: now, into: &records)
        payments(event: event, before: before, after: after, into: &records)
        return records
    }

    /// Payments credited by this event (a charge id new to the state) and refunds applied.
    static func payments(event: ChatEvent, before: StudentState?, after: StudentState, into records: inout ChatRecords) {
        for (chargeId, purchase) in after.purchases.sorted(by: { $0.key < $1.key }) {
            let previous = before?.purchases[chargeId]
            if previous == nil {
                records.payments.append(CoursePaymentRow(
                    chargeId: chargeId, userId: event.user.id, chatId: event.chatId, item: purchase.item, amount: purchase.amount,
                    currency: purchase.currency, providerChargeId: purchase.providerChargeId, expiresAt: purchase.expiresAt,
                    paidAt: purchase.paidAt))
            }
            if purchase.refunded, previous?.refunded != true {
                records.paymentRefunds.append(chargeId)
            }
        }
    }

    /// Answers given and passes finished by this event. A pass is numbered by the student's
    /// finished passes of the quiz (1, 2, …); the last answer of a pass is read off its score.
    static func quiz(course: Course, user: Int64, before: StudentState?, after: StudentState, now: Double, into records: inout ChatRecords) {
        let previousPass = before?.quizPass
        for (stepId, record) in after.quizResults {
            let finishedBefore = before?.quizResults[stepId]?.scores.count ?? 0
            guard record.scores.count == finishedBefore + 1, let score = record.scores.last else { continue }
            let pass = record.scores.count
            let earlier = previousPass?.stepId == stepId ? previousPass?.answers ?? [] : []
            // The earlier answers of this pass were recorded as they came; this event gave the last one.
            if earlier.count < record.questionCount {
                let lastRight = score - earlier.count { $0 } == 1
                records.quizAnswers.append(QuizAnswerRow(userId: user, stepId: stepId, pass: pass, question: earlier.count, correct: lastRight, answeredAt: now))
            }
            let quiz: Quiz? = if case .quiz(let quiz) = course.step(stepId)?.content { quiz } else { nil }
            let passed = quiz?.passes(correctCount: score) ?? (record.passed && finishedBefore == 0)
            records.quizPasses.append(QuizPassRow(
                userId: user, stepId: stepId, pass: pass, score: score, questions: record.questionCount, passed: passed, finishedAt: now))
        }
        guard let current = after.quizPass else { return }
        let pass = (after.quizResults[current.stepId]?.scores.count ?? 0) + 1
        let known = previousPass?.stepId == current.stepId && previousPass?.number == current.number ? previousPass?.answers.count ?? 0 : 0
        for question in known..<max(known, current.answers.count) {
            records.quizAnswers.append(QuizAnswerRow(
                userId: user, stepId: current.stepId, pass: pass, question: question, correct: current.answers[question], answeredAt: now))
        }
    }

    /// A submission taken by this event: kept pending for a creator (`review: creator`), or
    /// stored as approved when the step was accepted at once (`review: auto`).
    static func submissions(
        course: Course, event: ChatEvent, before: StudentState?, after: StudentState, newlyDone: Set<String>, now: Double,
        into records: inout ChatRecords
    ) {
        let name = [event.user.firstName, event.user.username.map { "@\($0)" }].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        let attachment: Attachment? = if case .attachment(let attachment) = event.kind { attachment } else { nil }
        for (stepId, submission) in after.pendingSubmissions where before?.pendingSubmissions[stepId] != submission {
            records.submissions.append(NewSubmissionRow(
                userId: event.user.id, chatId: event.chatId, userName: name, stepId: stepId, kind: submission.kind.rawValue,
                text: submission.text, fileId: submission.fileId, fileName: submission.fileName, fileSize: attachment?.fileSize,
                autoApproved: false, createdAt: now))
        }
        for stepId in newlyDone.sorted() {
            guard case .assignment(let assignment) = course.step(stepId)?.content, assignment.review == .auto,
                before?.awaitingAssignment == stepId
            else { continue }
            switch event.kind {
            case .text(let text):
                records.submissions.append(NewSubmissionRow(
                    userId: event.user.id, chatId: event.chatId, userName: name, stepId: stepId, kind: "text", text: text,
                    fileId: nil, fileName: nil, fileSize: nil, autoApproved: true, createdAt: now))
            case .attachment(let attachment):
                records.submissions.append(NewSubmissionRow(
                    userId: event.user.id, chatId: event.chatId, userName: name, stepId: stepId, kind: attachment.kind.rawValue,
                    text: attachment.caption, fileId: attachment.fileId, fileName: attachment.fileName, fileSize: attachment.fileSize,
                    autoApproved: true, createdAt: now))
            default:
                continue
            }
        }
    }
}
