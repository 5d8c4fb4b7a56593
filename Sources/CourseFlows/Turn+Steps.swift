import CourseModel
import SceneEngine
import TelegramBotAPI

/// Showing a step: `Step i/N · title`, its body, a progress line and Back / Next / Contents.
extension Turn {
    /// Shows the step at `index` (already checked to be unlocked) and does what showing it does:
    /// text and media steps become done, a quiz asks its question, an assignment waits for work.
    func open(_ index: Int, state: inout StudentState) -> [Effect] {
        enroll(&state)
        let step = steps[index]
        guard scene.access.decide(course, step, state.progress) == .open else {
            return offer(index, state) ?? notice(words(state).plain("error.paid_step"))
        }
        state.currentStepId = step.id
        state.awaitingAssignment = nil
        var after: [Effect] = []
        switch step.content {
        case .text, .media:
            state.progress.done.insert(step.id)
        case .quiz(let quiz):
            after = quizOnOpen(index, quiz, state: &state)
        case .assignment:
            if !isDone(index, state), state.pendingSubmissions[step.id] == nil { state.awaitingAssignment = step.id }
        }
        return stepMessage(index, state) + after + completion(&state)
    }

    /// Back (not on step 1), Next (once done, not on the last step), Contents (always).
    func navigation(_ index: Int, _ state: StudentState, _ words: Words) -> [[Button]] {
        var row: [Button] = []
        if index > 0 { row.append(button(words.plain("button.back"), .back(reference(index)))) }
        if isDone(index, state), index + 1 < steps.count {
            row.append(button(words.plain("button.next"), .next(reference(index))))
        }
        let contents = [button(words.plain("button.contents"), .contents)]
        return row.isEmpty ? [contents] : [row, contents]
    }

    /// `Step i/N · title` as plain text.
    func stepHeader(_ index: Int, _ words: Words) -> String {
        words.plain("step.header", ["i": String(index + 1), "n": String(steps.count), "title": stepTitle(index, words)])
    }

    /// `▰▰▱▱▱▱▱▱▱▱ 2/10 steps done` as plain text.
    func progressLine(_ state: StudentState, _ words: Words) -> String {
        "\(progressBar(state)) \(words.plain("progress.done", count: steps.count, progressArgs(state)))"
    }

    func stepMessage(_ index: Int, _ state: StudentState) -> [Effect] {
        let words = words(state)
        let prepared = scene.prepared.steps[index]
        let header = stepHeader(index, words)
        let progress = progressLine(state, words)
        let buttons = navigation(index, state, words)
        switch steps[index].content {
        case .text:
            return send(render("step", ["header": header, "body": prepared.body, "progress": progress]), buttons: buttons)
        case .media:
            return mediaMessage(prepared, header: header, progress: progress, buttons: buttons)
        case .quiz(let quiz):
            let body = quizSummary(index, quiz, state, words)
            return send(render("step", ["header": header, "body": body, "progress": progress]), buttons: buttons)
        case .assignment(let assignment):
            var context: [String: Any] = ["header": header, "body": prepared.body, "progress": progress]
            if isDone(index, state) {
                context["status"] = words.plain("assignment.accepted")
            } else if state.pendingSubmissions[steps[index].id] != nil {
                context["status"] = words.plain("assignment.awaiting")
            } else {
                context["prompt"] = words.plain("assignment.prompt")
                context["accepts"] = words.plain("assignment.accepts", ["kinds": kindList(assignment.accept, words)])
            }
            return send(render("assignment_prompt", context), buttons: buttons)
        }
    }

    /// The media with header + caption + text as its caption; when that is over Telegram's caption
    /// limit, the media goes with what fits and the text follows as its own message with the buttons.
    func mediaMessage(_ prepared: PreparedCourse.PreparedStep, header: String, progress: String, buttons: [[Button]]) -> [Effect] {
        guard let media = prepared.media else { return [] }
        let body = [prepared.caption, prepared.body].filter { !$0.isEmpty }.joined(separator: "\n\n")
        let full = render("step", ["header": header, "body": body, "progress": progress])
        if source.visibleLength(full) <= TextLimits.caption {
            return [.send(OutgoingMessage(text: full, buttons: buttons, media: media))]
        }
        let withCaption = render("step", ["header": header, "body": prepared.caption])
        let captionFits = source.visibleLength(withCaption) <= TextLimits.caption
        let caption = captionFits ? withCaption : render("step", ["header": header])
        let rest = [captionFits ? prepared.body : body, "<i>\(TelegramHTML.escape(progress))</i>"]
            .filter { !$0.isEmpty }.joined(separator: "\n\n")
        return [.send(OutgoingMessage(text: caption, media: media))] + send(rest, buttons: buttons)
    }
}
