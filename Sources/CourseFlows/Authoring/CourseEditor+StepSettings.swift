import CourseModel
import TelegramBotAPI

/// A step's menu (✏️ n) and the settings every step type has in course.yaml: `required`, a
/// freemium step's own `paid`/`price`, a media step's file, an assignment's accepted kinds and
/// review mode. Each change is validated like any other before it is kept.
extension CourseEditor {
    /// "Step n: title. What do you want to change?" with the buttons for this step's type.
    func stepMenu(_ authored: AuthoredCourse, index: Int, _ words: EditorWords, note: String? = nil, replacing: Bool = false) -> EditorReply {
        let step = authored.course.steps[index]
        let argument = "\(hash(authored)).\(step.id)"
        func button(_ key: String, _ verb: String, _ arguments: [String: String] = [:]) -> InlineKeyboardButton {
            .callback(words.text(key, arguments), data: EditorCallback.encode(verb, argument))
        }
        var first = [button("author.edit_title", "eT")]
        var rows: [[InlineKeyboardButton]] = []
        var details: [String] = []
        switch step.content {
        case .text:
            first.append(button("author.edit_text", "eB"))
        case .media(let media):
            first.append(button("author.edit_caption", "eB"))
            rows.append([button("author.replace_file", "eM")])
            if let caption = media.caption { details.append(words.text("author.caption_now", ["caption": caption])) }
            let sources = mediaMenu(media, argument: argument, words)
            rows += sources.rows
            details += sources.details
        case .quiz(let quiz):
            first.append(button("author.questions", "eL"))
            details.append(quizSettings(quiz, words))
        case .assignment(let assignment):
            first.append(button("author.edit_instructions", "eB"))
            let review = words.text(assignment.review == .auto ? "author.review_auto" : "author.review_creator")
            rows.append([button("author.accepted_kinds", "eG"), button("author.review_is", "eH", ["review": review])])
            details.append(words.text("author.accepts_now", ["kinds": assignment.accept.map(\.rawValue).joined(separator: ", ")]))
        }
        rows.insert(first, at: 0)
        rows.append([button(step.required ? "author.required_yes" : "author.required_no", "eR")])
        if case .freemium = authored.course.price {
            rows.append([step.paid ? button("author.paid_step", "eV", ["price": String(step.price ?? 0)]) : button("author.make_paid", "eV")])
        }
        rows.append([.callback(words.text("author.back_to_steps"), data: EditorCallback.encode("eS", hash(authored)))])
        let head = words.escaped("author.edit_step", ["n": String(index + 1), "title": words.title(of: step)])
        let lines = (note.map { [TelegramHTML.escape($0)] } ?? []) + [head] + details.map { TelegramHTML.escape($0) }
        return EditorReply(html: lines.joined(separator: "\n"), buttons: rows, replacesPressedMessage: replacing)
    }

    /// "Pass score 70% · attempts: unlimited".
    func quizSettings(_ quiz: Quiz, _ words: EditorWords) -> String {
        words.text("author.quiz_settings", [
            "score": String(quiz.passScore), "attempts": quiz.attempts.map(String.init) ?? words.text("author.unlimited"),
        ])
    }

    func settingPress(
        _ verb: String, index: Int, state: EditorState?, course authored: AuthoredCourse, context: Context, words: EditorWords
    ) -> EditorResult {
        let step = authored.course.steps[index]
        let slug = authored.course.slug
        let dialog = EditorState(stage: .stepPrice, slug: slug, stepId: step.id)
        switch (verb, step.content) {
        case ("eR", _):
            var changed = authored
            changed.course.steps[index].required.toggle()
            return saveSetting(changed, index: index, details: "\(step.id) required", state: state, context: context, words: words)
        case ("eV", _):
            let buttons: [[InlineKeyboardButton]] = step.paid
                ? [[.callback(words.text("author.make_free"), data: EditorCallback.encode("eW", "x")), words.cancelButton]] : [[words.cancelButton]]
            let reply = EditorReply(html: words.escaped("author.ask_step_price", ["n": String(index + 1)]), buttons: buttons)
            return EditorResult(state: dialog, replies: [reply])
        case ("eM", .media):
            return EditorResult(state: with(dialog, .replaceMedia), replies: [words.prompt("author.ask_new_media")])
        case ("eG", .assignment(let assignment)):
            var editing = with(dialog, .assignmentAccept)
            editing.draft.accept = assignment.accept
            return EditorResult(state: editing, replies: [acceptKinds(assignment.accept, words, replacing: false)])
        case ("eH", .assignment(var assignment)):
            assignment.review = assignment.review == .auto ? .creator : .auto
            var changed = authored
            changed.course.steps[index].content = .assignment(assignment)
            return saveSetting(changed, index: index, details: "\(step.id) review", state: state, context: context, words: words)
        case ("eL", .quiz):
            return EditorResult(state: nil, replies: [questionList(authored, stepIndex: index, words)])
        case ("eN", .quiz(let quiz)):
            let adding = with(dialog, .quizQuestion)
            return EditorResult(state: adding, replies: [words.prompt("author.ask_question", ["n": String(quiz.questions.count + 1)])])
        case ("eC", .quiz(let quiz)):
            return EditorResult(state: with(dialog, .quizPassScore), replies: [words.prompt("author.ask_pass_score", ["score": String(quiz.passScore)])])
        case ("eJ", .quiz(let quiz)):
            let now = quiz.attempts.map(String.init) ?? words.text("author.unlimited")
            let reply = EditorReply(html: words.escaped("author.ask_attempts", ["attempts": now]), buttons: [[
                .callback(words.text("author.unlimited_button"), data: EditorCallback.encode("es", "x")), words.cancelButton,
            ]])
            return EditorResult(state: with(dialog, .quizAttempts), replies: [reply])
        default:
            return stale(state, words)
        }
    }

    func with(_ state: EditorState, _ stage: EditorState.Stage) -> EditorState {
        var state = state
        state.stage = stage
        return state
    }

    /// A step setting changed by a button: the step's menu again, in place of the pressed one.
    func saveSetting(
        _ changed: AuthoredCourse, index: Int, details: String, state: EditorState?, context: Context, words: EditorWords
    ) -> EditorResult {
        var result = commit(changed, action: "step.edit", details: details, state: nil, context: context, words: words,
                            done: stepMenu(changed, index: index, words, replacing: true), refusedState: state)
        if result.change != nil { result.toast = words.text("author.saved") }
        return result
    }

    /// Answers of the settings dialogs (a step's price, a question's text or explanation, the
    /// pass score, the attempts); `skipped` is the dialog's "none" button.
    func settingText(_ text: String, state: EditorState, context: Context, words: EditorWords, skipped: Bool = false) -> EditorResult {
        guard var authored = context.course, let stepId = state.stepId, let index = authored.course.index(of: stepId) else { return stale(nil, words) }
        var step = authored.course.steps[index]
        let number = Int(text)
        switch state.stage {
        case .stepPrice:
            if skipped {
                (step.paid, step.price) = (false, nil)
            } else {
                guard let number, number > 0 else { return EditorResult(state: state, replies: [words.prompt("author.amount_invalid")]) }
                (step.paid, step.price) = (true, number)
            }
            authored.course.steps[index] = step
            let done = stepMenu(authored, index: index, words, note: words.text("author.saved"))
            return commit(authored, action: "step.price", details: "\(stepId) \(step.price.map(String.init) ?? "free")", state: nil,
                          context: context, words: words, done: done, refusedState: state)
        case .questionText, .questionExplanation:
            return changeQuestion(state, context: context, words: words) { question in
                if state.stage == .questionText {
                    question.text = text
                } else {
                    question.explanation = skipped ? nil : text
                }
            }
        case .quizPassScore, .quizAttempts:
            guard case .quiz(var quiz) = step.content else { return stale(nil, words) }
            if state.stage == .quizPassScore {
                guard let number, (0...100).contains(number) else { return EditorResult(state: state, replies: [words.prompt("author.score_invalid")]) }
                quiz.passScore = number
            } else if skipped {
                quiz.attempts = nil
            } else {
                guard let number, number >= 1 else { return EditorResult(state: state, replies: [words.prompt("author.attempts_invalid")]) }
                quiz.attempts = number
            }
            authored.course.steps[index].content = .quiz(quiz)
            let done = questionList(authored, stepIndex: index, words, note: words.text("author.saved"))
            return commit(authored, action: "quiz.edit", details: "\(stepId) \(state.stage == .quizPassScore ? "pass_score" : "attempts")",
                          state: nil, context: context, words: words, done: done, refusedState: state)
        default:
            return stale(state, words)
        }
    }

    /// A new file for a media step (its kind may change); a new caption replaces the old one.
    func replaceMedia(_ kind: MediaStep.Kind, path: String, caption: String?, state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        guard var authored = context.course, let stepId = state.stepId, let index = authored.course.index(of: stepId),
              case .media(var media) = authored.course.steps[index].content
        else { return stale(nil, words) }
        media.kind = kind
        media.source = .file(path)
        if let caption, !caption.isEmpty { media.caption = caption }
        authored.course.steps[index].content = .media(media)
        return commit(authored, action: "step.edit", details: "\(stepId) file", state: nil, context: context, words: words,
                      done: words.stepDone("author.step_saved", authored.course, authored.course.steps[index], hash: hash(authored)),
                      refusedState: state)
    }
}
