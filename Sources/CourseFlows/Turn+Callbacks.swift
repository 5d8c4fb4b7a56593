import CourseModel
import SceneEngine

/// Button presses: decoded and checked against the student's state; anything stale, forged or
/// locked is answered politely and changes nothing.
extension Turn {
    /// The toast for the callback answer and the effects after it.
    func callback(data: String, messageId: Int?, state: inout StudentState) -> (String?, [Effect]) {
        let stale = words(state).plain("error.stale_button")
        guard let decoded = CallbackData(decoding: data) else { return (stale, []) }
        switch decoded {
        case .start:
            enroll(&state)
            if let next = UnlockRules.nextStepIndex(in: course, progress: state.progress) {
                return (nil, open(next, state: &state))
            }
            return (nil, contents(state))
        case .contents:
            return (nil, contents(state))
        case .open(let ref):
            guard let index = ref.resolve(in: scene.prepared.hashes) else { return (stale, []) }
            return openChecked(index, state: &state)
        case .next(let ref):
            guard let index = ref.resolve(in: scene.prepared.hashes) else { return (stale, []) }
            guard index + 1 < steps.count else { return (nil, contents(state)) }
            return openChecked(index + 1, state: &state)
        case .back(let ref):
            guard let index = ref.resolve(in: scene.prepared.hashes), index > 0 else { return (stale, []) }
            return openChecked(index - 1, state: &state)
        case .answer(let ref, let pass, let question, let option):
            return answerChoice(ref, pass: pass, question: question, option: option, messageId: messageId, state: &state)
        case .toggle(let ref, let pass, let question, let option):
            return toggleChoice(ref, pass: pass, question: question, option: option, messageId: messageId, state: &state)
        case .submit(let ref, let pass, let question):
            return submitChoices(ref, pass: pass, question: question, messageId: messageId, state: &state)
        case .retry(let ref):
            guard let index = ref.resolve(in: scene.prepared.hashes) else { return (stale, []) }
            return retry(index, state: &state)
        case .language(let code):
            return chooseLanguage(code, state: &state)
        case .buy(let what):
            return buy(what == "a" ? .all : what == "p" ? .plan : .course, state: &state)
        case .buyStep(let ref):
            guard let index = ref.resolve(in: scene.prepared.hashes) else { return (stale, []) }
            return buy(.step(steps[index].id), state: &state)
        }
    }

    /// Opens a step if the unlock rules and the access hook allow it; else only a toast.
    func openChecked(_ index: Int, state: inout StudentState) -> (String?, [Effect]) {
        guard isUnlocked(index, state) else { return (words(state).plain("error.locked_step"), []) }
        guard scene.access.decide(course, steps[index], state.progress) == .open else {
            if let offer = offer(index, state) { return (nil, offer) }
            return (words(state).plain("error.paid_step"), [])
        }
        return (nil, open(index, state: &state))
    }
}
