import CourseModel
import SceneEngine

/// Assignments: the student's next message of an accepted kind is their work; `auto` review
/// accepts it at once, `creator` review keeps it pending in the state for the review queue
/// until a reviewer's verdict arrives as a `.reviewVerdict` event.
extension Turn {
    /// The largest file a bot may download with getFile (Telegram's limit): bigger files are refused.
    static let maxSubmissionBytes = 20 * 1_048_576

    func kindList(_ kinds: [Assignment.Kind], _ words: Words) -> String {
        kinds.map { words.plain("assignment.kind.\($0.rawValue)") }.joined(separator: ", ")
    }

    /// Takes a submission of `kind` (nil: a kind no assignment accepts) for the awaited step.
    func submit(
        _ kind: Assignment.Kind?, text: String?, attachment: Attachment?, stepIndex index: Int, state: inout StudentState
    ) -> [Effect] {
        let words = words(state)
        let step = steps[index]
        guard case .assignment(let assignment) = step.content else {
            state.awaitingAssignment = nil
            return notice(words.plain("error.unsupported_input"))
        }
        guard let kind, assignment.accept.contains(kind) else {
            return notice(words.plain("assignment.wrong_kind", ["kinds": kindList(assignment.accept, words)]))
        }
        if let size = attachment?.fileSize, size > Self.maxSubmissionBytes {
            return notice(words.plain("assignment.too_big", ["limit": String(Self.maxSubmissionBytes / 1_048_576)]))
        }
        state.awaitingAssignment = nil
        switch assignment.review {
        case .auto:
            state.progress.done.insert(step.id)
            var buttons: [[Button]] = []
            if index + 1 < steps.count { buttons.append([button(words.plain("button.next"), .next(reference(index)))]) }
            buttons.append([button(words.plain("button.contents"), .contents)])
            return send("✅ " + words("assignment.accepted"), buttons: buttons) + completion(&state)
        case .creator:
            state.pendingSubmissions[step.id] = Submission(
                kind: kind, text: text, fileId: attachment?.fileId, fileName: attachment?.fileName, submittedAt: now)
            return send("⏳ " + words("assignment.received"), buttons: [[button(words.plain("button.contents"), .contents)]])
        }
    }

    /// A reviewer's verdict: approval marks the step done (unlocking what follows); rejection
    /// tells the student why and waits for a new version. Verdicts on steps no longer in the
    /// course, or already done, only inform.
    func verdict(stepId: String, approved: Bool, comment: String?, state: inout StudentState) -> [Effect] {
        state.pendingSubmissions.removeValue(forKey: stepId)
        let words = words(state)
        guard let index = course.index(of: stepId), case .assignment = steps[index].content else { return [] }
        var lines = [words(approved ? "assignment.approved" : "assignment.rejected", ["step": stepTitle(index, words)])]
        if let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines), !comment.isEmpty {
            lines.append(words("assignment.comment", ["comment": comment]))
        }
        var buttons: [[Button]] = []
        if approved {
            state.progress.done.insert(stepId)
            if index + 1 < steps.count, isUnlocked(index + 1, state) {
                buttons.append([button(words.plain("button.next"), .next(reference(index)))])
            }
        } else if !isDone(index, state) {
            lines.append(words("assignment.resubmit"))
            // The next message is the new version, unless a quiz is under way elsewhere (then the button reopens the step).
            if state.quizPass == nil {
                state.currentStepId = stepId
                state.awaitingAssignment = stepId
            }
            buttons.append([button(words.plain("button.open_step"), .open(reference(index)))])
        }
        buttons.append([button(words.plain("button.contents"), .contents)])
        return send(lines.joined(separator: "\n\n"), buttons: buttons) + (approved ? completion(&state) : [])
    }
}
