import CourseFlows
import Foundation
import SceneEngine
import Storage

/// Mirrors what a course scene decided into the course database's `enrollments` and `progress`
/// tables (for export and statistics), in the same transaction as the student's state.
enum CourseProgressRecorder {
    static func handler(for scene: CourseBotScene) -> SceneChatHandler<CourseBotScene> {
        SceneChatHandler(scene: scene) { event, before, after, now in
            var progress: [ProgressRow] = []
            var enrollments: [EnrollmentRow] = []
            let newlyDone = after.progress.done.subtracting(before?.progress.done ?? [])
            for stepId in newlyDone.sorted() {
                let score = after.quizResults[stepId]?.scores.last
                progress.append(ProgressRow(userId: event.user.id, stepId: stepId, doneAt: now, score: score))
            }
            let enrolledNow = after.enrolled && !(before?.enrolled ?? false)
            let completedNow = after.completedAt != nil && before?.completedAt == nil
            let localeChanged = after.locale != before?.locale
            if enrolledNow || completedNow || (after.enrolled && localeChanged) {
                enrollments.append(EnrollmentRow(
                    userId: event.user.id, chatId: event.chatId, locale: after.locale ?? event.user.languageCode,
                    enrolledAt: after.startedAt ?? now, completedAt: after.completedAt))
            }
            return (progress, enrollments)
        }
    }
}
