import CourseModel
import TelegramBotAPI

/// Quizzes built question by question (choice questions with the right options toggled, or
/// free-text questions with accepted answers), and the course's price model.
extension CourseEditor {
    func quizText(_ text: String, state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        var state = state
        switch state.stage {
        case .quizTitle:
            state.draft.title = String(text.prefix(128))
            return askQuestion(state, words)
        case .quizQuestion:
            state.draft.question = text
            state.stage = .quizOptions
            let buttons: [[InlineKeyboardButton]] = [[.callback(words.text("author.free_text"), data: EditorCallback.encode("eq", "x")), words.cancelButton]]
            return EditorResult(state: state, replies: [EditorReply(html: words.escaped("author.ask_options"), buttons: buttons)])
        case .quizOptions:
            let options = Self.lines(text)
            guard options.count >= 2 else { return EditorResult(state: state, replies: [words.prompt("author.too_few_options")]) }
            state.draft.options = options
            state.draft.correct = []
            state.stage = .quizCorrect
            return EditorResult(state: state, replies: [correctChoice(state.draft, words, replacing: false)])
        case .quizAnswers:
            let answers = Self.lines(text)
            guard !answers.isEmpty else { return EditorResult(state: state, replies: [words.prompt("author.ask_answers")]) }
            if state.question != nil {
                return changeQuestion(state, context: context, words: words) { $0.kind = .freeText(answers: answers) }
            }
            state.draft.options = answers
            state.draft.correct = []
            state.stage = .quizExplanation
            return EditorResult(state: state, replies: [words.prompt("author.ask_explanation", skip: true)])
        default:  // .quizExplanation
            return addQuestion(explanation: text, state: state, context: context, words: words)
        }
    }

    func quizPress(_ verb: String, argument: String, state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        var state = state
        switch verb {
        case "ek":
            guard let option = Int(argument), state.draft.options.indices.contains(option) else { return stale(state, words) }
            if let index = state.draft.correct.firstIndex(of: option) {
                state.draft.correct.remove(at: index)
            } else {
                state.draft.correct = (state.draft.correct + [option]).sorted()
            }
            return EditorResult(state: state, replies: [correctChoice(state.draft, words, replacing: true)])
        case "eK":
            guard !state.draft.correct.isEmpty else { return EditorResult(state: state, toast: words.text("author.choose_correct"), alert: true) }
            if state.question != nil {
                let kind = Self.choiceKind(state.draft)
                return changeQuestion(state, context: context, words: words) { $0.kind = kind }
            }
            state.stage = .quizExplanation
            return EditorResult(state: state, replies: [words.prompt("author.ask_explanation", skip: true)])
        case "eq":
            state.stage = .quizAnswers
            state.draft.options = []
            return EditorResult(state: state, replies: [words.prompt("author.ask_answers")])
        case "es":
            return addQuestion(explanation: nil, state: state, context: context, words: words)
        case "eQ":
            return askQuestion(state, words)
        default:  // "eF"
            guard var authored = context.course, !state.draft.questions.isEmpty else { return stale(state, words) }
            let step = Step(id: authored.newStepId(), title: state.draft.title, content: .quiz(Quiz(questions: state.draft.questions)))
            authored.course.steps.append(step)
            return commit(authored, action: "step.add", details: step.id, state: nil, context: context, words: words,
                          done: words.stepDone("author.step_added", authored.course, step, hash: hash(authored)), refusedState: state)
        }
    }

    func askQuestion(_ state: EditorState, _ words: EditorWords) -> EditorResult {
        var state = state
        state.stage = .quizQuestion
        state.draft.question = nil
        state.draft.options = []
        state.draft.correct = []
        return EditorResult(state: state, replies: [words.prompt("author.ask_question", ["n": String(state.draft.questions.count + 1)])])
    }

    /// The options as toggles (✅ right, ▫️ not), then Done.
    func correctChoice(_ draft: EditorState.Draft, _ words: EditorWords, replacing: Bool) -> EditorReply {
        var buttons = draft.options.enumerated().map { index, option in
            [InlineKeyboardButton.callback((draft.correct.contains(index) ? "✅ " : "▫️ ") + String(option.prefix(48)), data: EditorCallback.encode("ek", String(index)))]
        }
        buttons.append([.callback(words.text("author.done"), data: EditorCallback.encode("eK", "x")), words.cancelButton])
        return EditorReply(html: words.escaped("author.ask_correct"), buttons: buttons, replacesPressedMessage: replacing)
    }

    /// The question the draft describes: free text without right options, else single or multiple choice.
    static func choiceKind(_ draft: EditorState.Draft) -> Question.Kind {
        if draft.correct.isEmpty {
            .freeText(answers: draft.options)
        } else if draft.correct.count == 1 {
            .singleChoice(options: draft.options, correct: draft.correct[0])
        } else {
            .multipleChoice(options: draft.options, correct: draft.correct)
        }
    }

    func addQuestion(explanation: String?, state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        var state = state
        let draft = state.draft
        let question = Question(text: draft.question ?? "", kind: Self.choiceKind(draft), explanation: explanation.flatMap { $0.isEmpty ? nil : $0 })
        if state.stepId != nil {
            return appendQuestion(question, state: state, context: context, words: words)
        }
        state.draft.questions.append(question)
        state.stage = .quizNext
        let buttons: [[InlineKeyboardButton]] = [[
            .callback(words.text("author.another_question"), data: EditorCallback.encode("eQ", "x")),
            .callback(words.text("author.finish_quiz"), data: EditorCallback.encode("eF", "x")),
        ], [words.cancelButton]]
        let reply = EditorReply(html: words.escaped("author.question_added", ["n": String(state.draft.questions.count)]), buttons: buttons)
        return EditorResult(state: state, replies: [reply])
    }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    // MARK: Price

    func priceChoice(_ authored: AuthoredCourse, _ words: EditorWords) -> EditorReply {
        let hash = hash(authored)
        let models = ["free", "paid", "freemium", "subscription"]
        let buttons = models.map { [InlineKeyboardButton.callback(words.text("author.model_\($0)"), data: EditorCallback.encode("em", "\(hash).\($0)"))] }
        return EditorReply(
            html: words.escaped("author.choose_price", ["course": authored.course.title, "current": words.priceText(authored.course.price)]),
            buttons: buttons)
    }

    func choosePrice(_ model: String, course authored: AuthoredCourse, context: Context, words: EditorWords) -> EditorResult {
        switch model {
        case "free":
            return setPrice("free", amount: nil, context: context, words: words)
        case "paid", "subscription", "freemium":
            var state = EditorState(stage: .priceAmount, slug: authored.course.slug)
            state.draft.priceModel = model
            let reply = model == "freemium" ? words.prompt("author.ask_unlock_all", skip: true) : words.prompt("author.ask_amount")
            return EditorResult(state: state, replies: [reply])
        default:
            return stale(nil, words)
        }
    }

    func setPrice(_ model: String, amount: Int?, context: Context, words: EditorWords) -> EditorResult {
        guard var authored = context.course else { return stale(nil, words) }
        let price: Price
        switch (model, amount) {
        case ("free", _): price = .free
        case ("paid", let amount?): price = .paid(amount: amount)
        case ("freemium", let amount): price = .freemium(unlockAll: amount)
        case ("subscription", let amount?): price = .subscription(amount: amount, periodDays: 30)
        default: return stale(nil, words)
        }
        authored.course.price = price
        let done = EditorReply(
            html: words.escaped("author.price_set", ["course": authored.course.title, "price": words.priceText(price)])
                + (model == "freemium" ? "\n" + words.escaped("author.freemium_hint") : ""),
            buttons: words.courseButtons(hash: hash(authored)))
        var state = EditorState(stage: .priceAmount, slug: authored.course.slug)
        state.draft.priceModel = model
        return commit(authored, action: "course.price", details: words.priceText(price), state: nil, context: context, words: words,
                      done: done, refusedState: model == "free" ? nil : state)
    }
}
