import CourseModel
import Localization
import SceneEngine
import TelegramBotAPI

/// The handling of one event by `CourseBotScene`: the scene's prepared course plus the event,
/// with helpers shared by commands, callbacks, steps, quizzes and assignments.
struct Turn {
    let scene: CourseBotScene
    let event: ChatEvent
    let now: Double

    var course: Course { scene.course }
    var steps: [Step] { scene.course.steps }
    var source: CourseRendering { scene.rendering }

    /// Texts in the student's locale as of `state` (it changes with /language).
    func words(_ state: StudentState) -> Words {
        Words(locale: scene.locale(for: event.user, state: state), source: source)
    }

    // MARK: Sending

    /// A text message, split over Telegram's limit; the buttons go on the last part.
    func send(_ html: String, buttons: [[Button]] = []) -> [Effect] {
        let parts = source.split(html, limit: TextLimits.messageText)
        guard !parts.isEmpty else { return [.send(OutgoingMessage(text: html, buttons: buttons))] }
        return parts.enumerated().map { index, part in
            .send(OutgoingMessage(text: part, buttons: index == parts.count - 1 ? buttons : []))
        }
    }

    /// Replaces an earlier message (or sends a new one when its id is unknown, it would not fit,
    /// or it is the pressed message and that one is media, whose text cannot be edited).
    func edit(_ messageId: Int?, _ html: String, buttons: [[Button]] = []) -> [Effect] {
        guard let messageId, source.visibleLength(html) <= TextLimits.messageText, !isPressedMedia(messageId)
        else { return send(html, buttons: buttons) }
        return [.edit(messageId: messageId, OutgoingMessage(text: html, buttons: buttons))]
    }

    /// Whether `messageId` is the message the event's button was pressed on and it shows media.
    func isPressedMedia(_ messageId: Int) -> Bool {
        guard case .callback(_, _, let pressedId) = event.kind, pressedId == messageId else { return false }
        return event.pressed?.hasText == false
    }

    /// A message layout from `Templates/` (plain-text fields are escaped by the template).
    func render(_ name: String, _ context: [String: Any]) -> String {
        source.layout(name, context) ?? FallbackLayout.render(context)
    }

    /// A short notice (unknown command, unsupported input…) through the error template.
    func notice(_ message: String, hint: String = "") -> [Effect] {
        send(render("error", ["message": message, "hint": hint]))
    }

    // MARK: Steps and progress

    func reference(_ index: Int) -> StepReference {
        StepReference(index: index, stepId: steps[index].id)
    }

    func button(_ label: String, _ data: CallbackData) -> Button {
        .callback(label, data.encoded)
    }

    func isUnlocked(_ index: Int, _ state: StudentState) -> Bool {
        UnlockRules.isUnlocked(index, in: course, progress: state.progress)
    }

    func isDone(_ index: Int, _ state: StudentState) -> Bool {
        state.progress.done.contains(steps[index].id)
    }

    /// `▰▰▰▱▱▱▱▱▱▱` for 3 of 10 steps done.
    func progressBar(_ state: StudentState) -> String {
        ProgressBar.bar(done: state.progress.doneCount(in: course), total: steps.count)
    }

    /// The completion message, sent once when every step is done.
    func completion(_ state: inout StudentState) -> [Effect] {
        guard state.completedAt == nil, state.progress.isComplete(course) else { return [] }
        state.completedAt = now
        let words = words(state)
        let html = render("completion", [
            "title": words.plain("completion.title"),
            "text": words.plain("completion.text", [
                "course": course.title, "done": String(state.progress.doneCount(in: course)), "total": String(steps.count),
            ]),
            "score": averageScore(state).map { words.plain("completion.score", ["score": String($0)]) } ?? "",
            "next": words.plain("completion.next"),
        ])
        return send(html, buttons: [[button(words.plain("button.contents"), .contents)]])
    }

    /// The mean best score of the quizzes taken, in percent.
    func averageScore(_ state: StudentState) -> Int? {
        let scores = state.quizResults.values.compactMap { record in
            record.bestScore.map { record.questionCount == 0 ? 100 : $0 * 100 / record.questionCount }
        }
        return scores.isEmpty ? nil : scores.reduce(0, +) / scores.count
    }

    func enroll(_ state: inout StudentState) {
        guard !state.enrolled else { return }
        state.enrolled = true
        state.startedAt = state.startedAt ?? now
    }
}
