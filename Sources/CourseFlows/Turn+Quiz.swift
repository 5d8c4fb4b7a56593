import Foundation
import CourseModel
import SceneEngine
import TelegramBotAPI

/// Quiz passes: every question asked once per pass; choice answers edit the question message to
/// show right or wrong; free-text answers come as the next text message; the pass ends with a
/// score, and below the pass score a Retry while attempts remain.
extension Turn {
    /// Starts or resumes a pass when a quiz step is shown; nothing once it is done or out of attempts.
    func quizOnOpen(_ index: Int, _ quiz: Quiz, state: inout StudentState) -> [Effect] {
        let id = steps[index].id
        if quiz.questions.isEmpty { state.progress.done.insert(id) }
        if isDone(index, state) { return [] }
        if let pass = resumablePass(id, quiz, state) { return ask(index, quiz, pass, state) }
        if attemptsLeft(quiz, id, state) == 0 { return [] }
        return startPass(index, quiz, state: &state)
    }

    /// The pass under way on this quiz, unless the course was edited so that it no longer fits.
    func resumablePass(_ stepId: String, _ quiz: Quiz, _ state: StudentState) -> QuizPass? {
        guard let pass = state.quizPass, pass.stepId == stepId, quiz.questions.indices.contains(pass.question) else { return nil }
        return pass
    }

    /// Passes left, nil when unlimited.
    func attemptsLeft(_ quiz: Quiz, _ stepId: String, _ state: StudentState) -> Int? {
        quiz.attempts.map { max(0, $0 - (state.quizResults[stepId]?.passesUsed ?? 0)) }
    }

    func startPass(_ index: Int, _ quiz: Quiz, state: inout StudentState) -> [Effect] {
        state.passCounter += 1
        let pass = QuizPass(stepId: steps[index].id, number: state.passCounter)
        state.quizPass = pass
        return ask(index, quiz, pass, state)
    }

    /// The quiz's line on its step card: questions, pass score, attempts, result so far.
    func quizSummary(_ index: Int, _ quiz: Quiz, _ state: StudentState, _ words: Words) -> String {
        let id = steps[index].id
        let count = quiz.questions.count
        var lines = [words("student.quiz_intro", ["questions": words.plain("questions", count: count), "pass_score": String(quiz.passScore)])]
        let record = state.quizResults[id]
        if record?.passed == true, let best = record?.bestScore {
            lines.append(words("student.quiz_passed_with", ["correct": String(best), "total": String(count)]))
        } else if let left = attemptsLeft(quiz, id, state) {
            lines.append(left == 0 ? words("quiz.no_attempts_left") : words("quiz.attempts_left", count: left))
        }
        return lines.joined(separator: "\n")
    }

    // MARK: Asking

    static func letter(_ option: Int) -> String {
        option < 26 ? String(UnicodeScalar(UInt8(65 + option))) : String(option + 1)
    }

    /// The template context of a question, before or after it is answered.
    func questionContext(_ index: Int, _ question: Int, _ words: Words) -> [String: Any] {
        let prepared = scene.prepared.steps[index].questions[question]
        var context: [String: Any] = [
            "counter": words.plain("quiz.question", ["i": String(question + 1), "n": String(scene.prepared.steps[index].questions.count)]),
            "question": prepared.text,
        ]
        if prepared.lettered {
            context["options"] = prepared.options.enumerated().map { ["letter": Self.letter($0), "text": $1] as [String: Any] }
        }
        return context
    }

    func ask(_ index: Int, _ quiz: Quiz, _ pass: QuizPass, _ state: StudentState) -> [Effect] {
        let words = words(state)
        let prepared = scene.prepared.steps[index].questions[pass.question]
        if let poll = nativePoll(index, quiz.questions[pass.question], prepared) { return [.sendQuizPoll(poll)] }
        var context = questionContext(index, pass.question, words)
        var buttons: [[Button]] = []
        switch quiz.questions[pass.question].kind {
        case .singleChoice:
            context["hint"] = words.plain("quiz.choose")
            let ref = reference(index)
            let labelled = prepared.options.indices.map { option in
                button(prepared.lettered ? Self.letter(option) : prepared.options[option],
                       .answer(ref, pass: pass.number, question: pass.question, option: option))
            }
            buttons = prepared.lettered ? Self.rows(labelled, width: 4) : labelled.map { [$0] }
        case .multipleChoice:
            context["hint"] = words.plain("quiz.choose_many")
            buttons = multipleChoiceButtons(index, pass, words)
        case .freeText:
            context["hint"] = words.plain("quiz.free_text")
        }
        return send(render("quiz_question", context), buttons: buttons)
    }

    /// A `native: true` single-choice question as a Telegram quiz poll, when it fits the poll's limits.
    func nativePoll(_ index: Int, _ question: Question, _ prepared: PreparedCourse.PreparedQuestion) -> QuizPoll? {
        guard question.native, case .singleChoice(let options, let correct) = question.kind, (2...10).contains(options.count)
        else { return nil }
        let text = TelegramHTML.plainText(of: prepared.text).trimmingCharacters(in: .whitespacesAndNewlines)
        let explanation = prepared.explanation.map { TelegramHTML.plainText(of: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard text.utf16.count <= TextLimits.pollQuestion, options.allSatisfy({ $0.utf16.count <= TextLimits.pollOption })
        else { return nil }
        return QuizPoll(
            question: text, options: options, correctOptionId: correct,
            explanation: explanation.flatMap { $0.utf16.count <= TextLimits.pollExplanation ? $0 : nil })
    }

    /// An answer to a native quiz poll: Telegram already showed right or wrong.
    func answerPoll(_ optionIds: [Int], state: inout StudentState) -> [Effect] {
        guard let pass = state.quizPass, let index = course.index(of: pass.stepId), case .quiz(let quiz) = steps[index].content,
            quiz.questions.indices.contains(pass.question),
            nativePoll(index, quiz.questions[pass.question], scene.prepared.steps[index].questions[pass.question]) != nil,
            case .singleChoice(_, let correct) = quiz.questions[pass.question].kind
        else { return [] }
        return answered(index, quiz, right: optionIds == [correct], chosen: optionIds, showVerdict: false, messageId: nil, state: &state).1
    }

    func multipleChoiceButtons(_ index: Int, _ pass: QuizPass, _ words: Words) -> [[Button]] {
        let prepared = scene.prepared.steps[index].questions[pass.question]
        let ref = reference(index)
        let toggles = prepared.options.indices.map { option in
            let mark = pass.selected.contains(option) ? "☑" : "☐"
            let label = prepared.lettered ? Self.letter(option) : prepared.options[option]
            return button("\(mark) \(label)", .toggle(ref, pass: pass.number, question: pass.question, option: option))
        }
        let submit = button(words.plain("button.submit"), .submit(ref, pass: pass.number, question: pass.question))
        return (prepared.lettered ? Self.rows(toggles, width: 4) : toggles.map { [$0] }) + [[submit]]
    }

    static func rows(_ buttons: [Button], width: Int) -> [[Button]] {
        stride(from: 0, to: buttons.count, by: width).map { Array(buttons[$0..<min($0 + width, buttons.count)]) }
    }

    // MARK: Answering

    /// The quiz, its index and the pass when a button names the question being asked now and
    /// was pressed on the question's own message.
    func activeQuestion(_ ref: StepReference, pass number: Int, question: Int, _ state: StudentState) -> (Int, Quiz, QuizPass)? {
        guard pressedOnQuestion, let index = ref.resolve(in: scene.prepared.hashes), case .quiz(let quiz) = steps[index].content,
            let pass = state.quizPass, pass.stepId == steps[index].id, pass.number == number,
            pass.question == question, quiz.questions.indices.contains(question)
        else { return nil }
        return (index, quiz, pass)
    }

    /// Whether the press came from a message that shows the pressed button as a question does
    /// (a text message): a press carrying quiz data on any other message, such as a photo step,
    /// is stale or forged and must neither count nor have its message's text edited. Unknown
    /// when Telegram did not send the message (too old): the pass checks alone decide then.
    var pressedOnQuestion: Bool {
        guard let pressed = event.pressed, case .callback(_, let data, _) = event.kind else { return true }
        return pressed.hasText && pressed.callbackData.contains(data)
    }

    func answerChoice(
        _ ref: StepReference, pass number: Int, question: Int, option: Int, messageId: Int?, state: inout StudentState
    ) -> (String?, [Effect]) {
        guard let (index, quiz, _) = activeQuestion(ref, pass: number, question: question, state),
            case .singleChoice(let options, let correct) = quiz.questions[question].kind, options.indices.contains(option)
        else { return (words(state).plain("quiz.already_answered"), []) }
        return answered(index, quiz, right: option == correct, chosen: [option], messageId: messageId, state: &state)
    }

    func toggleChoice(
        _ ref: StepReference, pass number: Int, question: Int, option: Int, messageId: Int?, state: inout StudentState
    ) -> (String?, [Effect]) {
        guard let (index, quiz, active) = activeQuestion(ref, pass: number, question: question, state),
            case .multipleChoice(let options, _) = quiz.questions[question].kind, options.indices.contains(option)
        else { return (words(state).plain("quiz.already_answered"), []) }
        var pass = active
        if let at = pass.selected.firstIndex(of: option) { pass.selected.remove(at: at) } else { pass.selected.append(option) }
        pass.selected.sort()
        state.quizPass = pass
        let buttons = multipleChoiceButtons(index, pass, words(state))
        guard let messageId else { return (nil, ask(index, quiz, pass, state)) }
        return (nil, [.editButtons(messageId: messageId, buttons: buttons)])
    }

    func submitChoices(
        _ ref: StepReference, pass number: Int, question: Int, messageId: Int?, state: inout StudentState
    ) -> (String?, [Effect]) {
        guard let (index, quiz, pass) = activeQuestion(ref, pass: number, question: question, state),
            case .multipleChoice = quiz.questions[question].kind
        else { return (words(state).plain("quiz.already_answered"), []) }
        guard !pass.selected.isEmpty else { return (words(state).plain("student.choose_first"), []) }
        let right = quiz.questions[question].accepts(choices: Set(pass.selected))
        return answered(index, quiz, right: right, chosen: pass.selected, messageId: messageId, state: &state)
    }

    func answerText(_ text: String, stepIndex index: Int, state: inout StudentState) -> [Effect] {
        guard case .quiz(let quiz) = steps[index].content, let pass = state.quizPass,
            quiz.questions.indices.contains(pass.question)
        else { return send(words(state)("error.unsupported_input")) }
        let question = quiz.questions[pass.question]
        guard case .freeText = question.kind else { return send(words(state)("student.use_buttons")) }
        return answered(index, quiz, right: question.accepts(text: text), chosen: [], typed: text, messageId: nil, state: &state).1
    }

    /// Records an answer, shows the verdict (editing the question when it was a button press)
    /// and asks the next question or ends the pass.
    func answered(
        _ index: Int, _ quiz: Quiz, right: Bool, chosen: [Int], typed: String? = nil, showVerdict: Bool = true, messageId: Int?,
        state: inout StudentState
    ) -> (String?, [Effect]) {
        guard var pass = state.quizPass else { return (nil, []) }
        let words = words(state)
        let question = pass.question
        let prepared = scene.prepared.steps[index].questions[question]
        var context = questionContext(index, question, words)
        let answer = typed.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            ?? chosen.filter(prepared.options.indices.contains).map { prepared.lettered ? "\(Self.letter($0)). \(prepared.options[$0])" : prepared.options[$0] }
                .joined(separator: ", ")
        context["hint"] = words.plain("student.your_answer", ["answer": answer])
        context["verdict"] = words.plain(right ? "quiz.correct" : "quiz.wrong")
        context["explanation"] = prepared.explanation ?? ""
        let verdict = render("quiz_question", context)
        // A typed answer has no question message to edit (its id is unknown): the verdict follows it.
        var effects = !showVerdict ? [] : typed == nil ? edit(messageId, verdict) : send(verdict)

        pass.answers.append(right)
        pass.question += 1
        pass.selected = []
        state.currentStepId = steps[index].id
        if pass.question < quiz.questions.count {
            state.quizPass = pass
            effects += ask(index, quiz, pass, state)
        } else {
            effects += finishPass(index, quiz, pass, state: &state)
        }
        return (words.plain(right ? "quiz.correct" : "quiz.wrong"), effects)
    }

    /// Scores a finished pass: passing marks the step done; below the pass score a Retry while
    /// attempts remain; out of attempts an optional quiz is done anyway.
    func finishPass(_ index: Int, _ quiz: Quiz, _ pass: QuizPass, state: inout StudentState) -> [Effect] {
        let step = steps[index]
        let total = quiz.questions.count
        let correct = pass.correctCount
        state.quizPass = nil
        var record = state.quizResults[step.id] ?? QuizRecord()
        record.scores.append(correct)
        record.questionCount = total
        if quiz.passes(correctCount: correct) { record.passed = true }
        state.quizResults[step.id] = record

        let words = words(state)
        let percent = total == 0 ? 100 : correct * 100 / total
        var context: [String: Any] = [
            "header": stepHeader(index, words),
            "score": words.plain("quiz.score", ["correct": String(correct), "total": String(total), "score": String(percent)]),
            "passed": record.passed,
        ]
        var buttons: [[Button]] = []
        if record.passed {
            context["title"] = words.plain("quiz.passed")
            state.progress.done.insert(step.id)
        } else {
            context["title"] = words.plain("quiz.failed", ["pass_score": String(quiz.passScore)])
            let left = attemptsLeft(quiz, step.id, state)
            if left != 0 {
                context["attempts"] = left.map { words.plain("quiz.attempts_left", count: $0) } ?? ""
                buttons.append([button(words.plain("button.retry"), .retry(reference(index)))])
            } else if step.required {
                context["attempts"] = words.plain("quiz.no_attempts_left")
            } else {
                state.progress.done.insert(step.id)
                context["attempts"] = words.plain("quiz.no_attempts_left") + " " + words.plain("student.quiz_may_continue")
            }
        }
        if isDone(index, state), index + 1 < steps.count {
            buttons.append([button(words.plain("button.next"), .next(reference(index)))])
        }
        buttons.append([button(words.plain("button.contents"), .contents)])
        return send(render("quiz_result", context), buttons: buttons) + completion(&state)
    }

    /// Retry: a new pass while attempts remain (or the pass under way again).
    func retry(_ index: Int, state: inout StudentState) -> (String?, [Effect]) {
        let step = steps[index]
        guard case .quiz(let quiz) = step.content else { return (words(state).plain("error.stale_button"), []) }
        guard isUnlocked(index, state) else { return (words(state).plain("error.locked_step"), []) }
        if state.quizResults[step.id]?.passed == true { return (words(state).plain("student.quiz_already_passed"), []) }
        state.currentStepId = step.id
        state.awaitingAssignment = nil
        if let pass = resumablePass(step.id, quiz, state) { return (nil, ask(index, quiz, pass, state)) }
        guard attemptsLeft(quiz, step.id, state) != 0 else { return (words(state).plain("quiz.no_attempts_left"), []) }
        return (nil, startPass(index, quiz, state: &state))
    }
}
