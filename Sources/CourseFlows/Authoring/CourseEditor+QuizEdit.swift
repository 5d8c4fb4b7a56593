import CourseModel
import TelegramBotAPI

/// Editing a quiz that exists: its questions listed with ✏️ / ⬆️ / ⬇️ / 🗑, one question's
/// text, options or accepted answers, right answers, explanation and Telegram quiz poll flag
/// (`native: true`, single choice only), and questions added or deleted.
extension CourseEditor {
    /// The questions of the quiz at `stepIndex`, with its pass score and attempts.
    func questionList(_ authored: AuthoredCourse, stepIndex: Int, _ words: EditorWords, note: String? = nil) -> EditorReply {
        let step = authored.course.steps[stepIndex]
        guard case .quiz(let quiz) = step.content else { return EditorReply(html: words.escaped("author.stale")) }
        let argument = "\(hash(authored)).\(step.id)"
        var lines = note.map { [TelegramHTML.escape($0)] } ?? []
        lines.append("<b>\(words.escaped("author.questions_title", ["title": words.title(of: step)]))</b>")
        lines.append(TelegramHTML.escape(quizSettings(quiz, words)))
        var buttons: [[InlineKeyboardButton]] = []
        for (index, question) in quiz.questions.enumerated() {
            let number = String(index + 1)
            let kind = words.text(Self.kindKey(question)) + (question.native ? " · 📊" : "")
            lines.append("\(number). \(TelegramHTML.escape(String(question.text.prefix(80)))) <i>(\(TelegramHTML.escape(kind)))</i>")
            var row: [InlineKeyboardButton] = [.callback("✏️ \(number)", data: EditorCallback.encode("eE", "\(argument).\(index)"))]
            if index > 0 { row.append(.callback("⬆️ \(number)", data: EditorCallback.encode("eU", "\(argument).\(index)"))) }
            if index < quiz.questions.count - 1 { row.append(.callback("⬇️ \(number)", data: EditorCallback.encode("eD", "\(argument).\(index)"))) }
            row.append(.callback("🗑 \(number)", data: EditorCallback.encode("eZ", "\(argument).\(index)")))
            buttons.append(row)
        }
        buttons.append([.callback(words.text("author.add_question"), data: EditorCallback.encode("eN", argument))])
        buttons.append([
            .callback(words.text("author.pass_score"), data: EditorCallback.encode("eC", argument)),
            .callback(words.text("author.attempts"), data: EditorCallback.encode("eJ", argument)),
        ])
        buttons.append([.callback(words.text("author.back_to_steps"), data: EditorCallback.encode("eS", hash(authored)))])
        return EditorReply(html: lines.joined(separator: "\n"), buttons: buttons)
    }

    static func kindKey(_ question: Question) -> String {
        switch question.kind {
        case .singleChoice: "author.kind_single"
        case .multipleChoice: "author.kind_multiple"
        case .freeText: "author.kind_free"
        }
    }

    /// One question in full, with a button per thing to change.
    func questionDetail(_ authored: AuthoredCourse, stepIndex: Int, question number: Int, _ words: EditorWords, note: String? = nil) -> EditorReply {
        let step = authored.course.steps[stepIndex]
        guard case .quiz(let quiz) = step.content, quiz.questions.indices.contains(number) else { return EditorReply(html: words.escaped("author.stale")) }
        let question = quiz.questions[number]
        let argument = "\(hash(authored)).\(step.id).\(number)"
        func button(_ key: String, _ field: String, _ arguments: [String: String] = [:]) -> InlineKeyboardButton {
            .callback(words.text(key, arguments), data: EditorCallback.encode("eI", "\(argument).\(field)"))
        }
        var lines = note.map { [TelegramHTML.escape($0)] } ?? []
        lines.append(words.escaped("author.question_head", ["n": String(number + 1), "title": words.title(of: step)]))
        lines.append("<b>\(TelegramHTML.escape(question.text))</b>")
        var buttons: [[InlineKeyboardButton]] = [[button("author.edit_question", "t")]]
        switch question.kind {
        case .singleChoice(let options, _), .multipleChoice(let options, _):
            let correct: [Int] = if case .singleChoice(_, let one) = question.kind { [one] } else if case .multipleChoice(_, let many) = question.kind { many } else { [] }
            for (index, option) in options.enumerated() {
                lines.append((correct.contains(index) ? "✅ " : "▫️ ") + TelegramHTML.escape(option))
            }
            buttons[0].append(button("author.edit_options", "o"))
            buttons.append([button("author.edit_correct", "c")])
        case .freeText(let answers):
            lines.append(words.escaped("author.accepted_answers", ["answers": answers.joined(separator: ", ")]))
            buttons[0].append(button("author.edit_answers", "o"))
        }
        lines.append(words.escaped("author.explanation_now", ["explanation": question.explanation ?? words.text("author.none")]))
        buttons.append([button("author.edit_explanation", "x")])
        if case .singleChoice = question.kind {
            lines.append(words.escaped(question.native ? "author.native_on" : "author.native_off"))
            buttons.append([button(question.native ? "author.native_disable" : "author.native_enable", "n")])
        }
        buttons.append([.callback(words.text("author.back_to_questions"), data: EditorCallback.encode("eL", "\(hash(authored)).\(step.id)"))])
        return EditorReply(html: lines.joined(separator: "\n"), buttons: buttons)
    }

    /// `<step>.<n>[.<field>]` of a question button: the quiz step's index, its quiz, the question.
    func questionTarget(_ detail: String, in authored: AuthoredCourse) -> (step: Int, quiz: Quiz, question: Int, field: String)? {
        let parts = detail.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, let index = authored.course.index(of: parts[0]), let number = Int(parts[1]),
              case .quiz(let quiz) = authored.course.steps[index].content, quiz.questions.indices.contains(number)
        else { return nil }
        return (index, quiz, number, parts.count > 2 ? parts[2] : "")
    }

    func questionPress(
        _ verb: String, detail: String, state: EditorState?, course authored: AuthoredCourse, context: Context, words: EditorWords
    ) -> EditorResult {
        guard let target = questionTarget(detail, in: authored) else { return stale(state, words) }
        let step = authored.course.steps[target.step]
        let question = target.quiz.questions[target.question]
        var dialog = EditorState(stage: .questionText, slug: authored.course.slug, stepId: step.id, question: target.question)
        switch (verb, target.field) {
        case ("eE", _):
            return EditorResult(state: nil, replies: [questionDetail(authored, stepIndex: target.step, question: target.question, words)])
        case ("eU", _), ("eD", _):
            let other = verb == "eU" ? target.question - 1 : target.question + 1
            guard target.quiz.questions.indices.contains(other) else { return EditorResult(state: state, toast: words.text("author.cannot_move")) }
            var quiz = target.quiz
            quiz.questions.swapAt(target.question, other)
            var moved = authored
            moved.course.steps[target.step].content = .quiz(quiz)
            var result = commit(moved, action: "quiz.edit", details: "\(step.id) question \(target.question + 1)→\(other + 1)", state: nil,
                                context: context, words: words, done: questionList(moved, stepIndex: target.step, words), refusedState: state)
            if result.change != nil { result.toast = words.text("author.moved") }
            return result
        case ("eZ", _):
            dialog.stage = .questionDelete
            let reply = EditorReply(
                html: words.escaped("author.confirm_delete_question", ["n": String(target.question + 1), "question": String(question.text.prefix(80))]),
                buttons: [[.callback(words.text("author.yes_delete"), data: EditorCallback.encode("eX", "x")), words.cancelButton]])
            return EditorResult(state: dialog, replies: [reply])
        case ("eI", "t"):
            return EditorResult(state: dialog, replies: [words.prompt("author.ask_new_question")])
        case ("eI", "x"):
            dialog.stage = .questionExplanation
            return EditorResult(state: dialog, replies: [EditorReply(html: words.escaped("author.ask_new_explanation"), buttons: [[
                .callback(words.text("author.no_explanation"), data: EditorCallback.encode("es", "x")), words.cancelButton,
            ]])])
        case ("eI", "o"):
            if case .freeText = question.kind {
                dialog.stage = .quizAnswers
                return EditorResult(state: dialog, replies: [words.prompt("author.ask_answers")])
            }
            dialog.stage = .quizOptions
            dialog.draft.question = question.text
            let buttons: [[InlineKeyboardButton]] = [[.callback(words.text("author.free_text"), data: EditorCallback.encode("eq", "x")), words.cancelButton]]
            return EditorResult(state: dialog, replies: [EditorReply(html: words.escaped("author.ask_new_options"), buttons: buttons)])
        case ("eI", "c"):
            let (options, correct): ([String], [Int]) = switch question.kind {
            case .singleChoice(let options, let one): (options, [one])
            case .multipleChoice(let options, let many): (options, many.sorted())
            case .freeText: ([], [])
            }
            guard !options.isEmpty else { return stale(state, words) }
            dialog.stage = .quizCorrect
            dialog.draft.options = options
            dialog.draft.correct = correct
            return EditorResult(state: dialog, replies: [correctChoice(dialog.draft, words, replacing: false)])
        case ("eI", "n"):
            var changed = question
            changed.native.toggle()
            return saveQuestion(changed, target: (target.step, target.question), authored: authored, details: "native", state: state,
                                refusedState: state, context: context, words: words)
        default:
            return stale(state, words)
        }
    }

    /// Changes the question a dialog edits (`state.stepId`, `state.question`) and saves the quiz.
    func changeQuestion(_ state: EditorState, context: Context, words: EditorWords, _ change: (inout Question) -> Void) -> EditorResult {
        guard let authored = context.course, let stepId = state.stepId, let number = state.question,
              let target = questionTarget("\(stepId).\(number)", in: authored)
        else { return stale(nil, words) }
        var question = target.quiz.questions[number]
        change(&question)
        if case .singleChoice = question.kind {} else { question.native = false }
        return saveQuestion(question, target: (target.step, number), authored: authored, details: "\(state.stage.rawValue)", state: nil,
                            refusedState: state, context: context, words: words)
    }

    func saveQuestion(
        _ question: Question, target: (step: Int, question: Int), authored: AuthoredCourse, details: String, state: EditorState?,
        refusedState: EditorState?, context: Context, words: EditorWords
    ) -> EditorResult {
        var changed = authored
        guard case .quiz(var quiz) = changed.course.steps[target.step].content else { return stale(nil, words) }
        quiz.questions[target.question] = question
        changed.course.steps[target.step].content = .quiz(quiz)
        let stepId = changed.course.steps[target.step].id
        let done = questionDetail(changed, stepIndex: target.step, question: target.question, words, note: words.text("author.saved"))
        return commit(changed, action: "quiz.edit", details: "\(stepId) question \(target.question + 1) \(details)", state: nil,
                      context: context, words: words, done: done, refusedState: refusedState ?? state)
    }

    /// A question built in the dialog joins the quiz being edited (`state.stepId`).
    func appendQuestion(_ question: Question, state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        guard var authored = context.course, let stepId = state.stepId, let index = authored.course.index(of: stepId),
              case .quiz(var quiz) = authored.course.steps[index].content
        else { return stale(nil, words) }
        quiz.questions.append(question)
        authored.course.steps[index].content = .quiz(quiz)
        let note = words.text("author.question_added", ["n": String(quiz.questions.count)])
        return commit(authored, action: "quiz.edit", details: "\(stepId) question \(quiz.questions.count) added", state: nil, context: context,
                      words: words, done: questionList(authored, stepIndex: index, words, note: note), refusedState: state)
    }

    func deleteQuestion(_ state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        guard var authored = context.course, let stepId = state.stepId, let number = state.question,
              let target = questionTarget("\(stepId).\(number)", in: authored)
        else { return stale(nil, words) }
        var quiz = target.quiz
        quiz.questions.remove(at: number)
        authored.course.steps[target.step].content = .quiz(quiz)
        let done = questionList(authored, stepIndex: target.step, words, note: words.text("author.question_deleted", ["n": String(number + 1)]))
        return commit(authored, action: "quiz.edit", details: "\(stepId) question \(number + 1) deleted", state: nil, context: context,
                      words: words, done: done)
    }
}
