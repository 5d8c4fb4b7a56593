import CourseModel
import SceneEngine

/// Assignments: the student's next message of an accepted kind is their work; `auto` review
/// accepts it at once, `creator` review keeps it pending in the state for the review queue.
extension Turn {
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
}
