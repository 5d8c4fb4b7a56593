import CourseModel
import TelegramBotAPI

/// Text and assignment steps, the step list with Edit / ⬆️ / ⬇️ / 🗑, and deleting with confirmation.
extension CourseEditor {
    func stepList(_ authored: AuthoredCourse, _ words: EditorWords) -> EditorReply {
        let course = authored.course
        let hash = hash(authored)
        var lines = ["<b>\(words.escaped("author.steps_title", ["course": course.title]))</b>"]
        var buttons: [[InlineKeyboardButton]] = []
        for (index, step) in course.steps.enumerated() {
            let number = String(index + 1)
            lines.append("\(number). \(EditorWords.icon(step.type)) \(TelegramHTML.escape(words.title(of: step))) <code>\(TelegramHTML.escape(step.id))</code>")
            var row: [InlineKeyboardButton] = [.callback("✏️ \(number)", data: EditorCallback.encode("ee", "\(hash).\(step.id)"))]
            if index > 0 { row.append(.callback("⬆️ \(number)", data: EditorCallback.encode("eu", "\(hash).\(step.id)"))) }
            if index < course.steps.count - 1 { row.append(.callback("⬇️ \(number)", data: EditorCallback.encode("ed", "\(hash).\(step.id)"))) }
            row.append(.callback("🗑 \(number)", data: EditorCallback.encode("ex", "\(hash).\(step.id)")))
            buttons.append(row)
        }
        buttons.append([.callback(words.text("author.add_step"), data: EditorCallback.encode("eA", hash))])
        return EditorReply(html: lines.joined(separator: "\n"), buttons: buttons)
    }

    func stepPress(
        _ verb: String, index: Int, state: EditorState?, course authored: AuthoredCourse, context: Context, words: EditorWords
    ) -> EditorResult {
        let step = authored.course.steps[index]
        let slug = authored.course.slug
        switch verb {
        case "ee":
            return EditorResult(state: nil, replies: [stepMenu(authored, index: index, words)])
        case "eT":
            return EditorResult(state: EditorState(stage: .editTitle, slug: slug, stepId: step.id), replies: [words.prompt("author.ask_new_title")])
        case "eB":
            let key = switch step.content {
            case .text: "author.ask_new_text"
            case .media: "author.ask_new_caption"
            case .assignment: "author.ask_new_instructions"
            case .quiz: ""
            }
            guard !key.isEmpty else { return stale(state, words) }
            return EditorResult(state: EditorState(stage: .editText, slug: slug, stepId: step.id), replies: [words.prompt(key)])
        case "ex":
            let buttons: [[InlineKeyboardButton]] = [[
                .callback(words.text("author.yes_delete"), data: EditorCallback.encode("eX", "x")), words.cancelButton,
            ]]
            let reply = EditorReply(html: words.escaped("author.confirm_delete", ["n": String(index + 1), "title": words.title(of: step)]), buttons: buttons)
            return EditorResult(state: EditorState(stage: .deleteConfirm, slug: slug, stepId: step.id), replies: [reply])
        default:
            let target = verb == "eu" ? index - 1 : index + 1
            guard authored.course.steps.indices.contains(target) else { return EditorResult(state: state, toast: words.text("author.cannot_move")) }
            var moved = authored
            moved.course.steps.swapAt(index, target)
            var result = commit(moved, action: "step.move", details: "\(step.id) \(index + 1)→\(target + 1)", state: nil, context: context,
                                words: words, done: stepList(moved, words), refusedState: state)
            if result.change != nil { result.toast = words.text("author.moved") }
            return result
        }
    }

    func deleteStep(_ state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        guard var authored = context.course, let stepId = state.stepId, let index = authored.course.index(of: stepId) else {
            return stale(nil, words)
        }
        let step = authored.course.steps.remove(at: index)
        let done = EditorReply(html: words.escaped("author.deleted", ["title": words.title(of: step)]), buttons: words.courseButtons(hash: hash(authored)))
        return commit(authored, action: "step.delete", details: stepId, state: nil, context: context, words: words, done: done)
    }

    /// Answers of text steps (title, Markdown body, preview) and of Edit (title, text).
    func stepText(_ text: String, state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        var state = state
        switch state.stage {
        case .textTitle:
            state.draft.title = String(text.prefix(128))
            state.stage = .textBody
            return EditorResult(state: state, replies: [words.prompt("author.ask_text")])
        case .textBody, .textPreview:
            state.draft.text = text
            state.stage = .textPreview
            return EditorResult(state: state, replies: [preview(text, words)])
        case .editTitle:
            guard var authored = context.course, let stepId = state.stepId, let index = authored.course.index(of: stepId) else { return stale(nil, words) }
            authored.course.steps[index].title = String(text.prefix(128))
            let step = authored.course.steps[index]
            return commit(authored, action: "step.edit", details: "\(stepId) title", state: nil, context: context, words: words,
                          done: words.stepDone("author.step_saved", authored.course, step, hash: hash(authored)), refusedState: state)
        case .editText:
            guard var authored = context.course, let stepId = state.stepId, let index = authored.course.index(of: stepId) else { return stale(nil, words) }
            switch authored.course.steps[index].content {
            case .text:
                state.draft.text = text
                state.stage = .textPreview
                return EditorResult(state: state, replies: [preview(text, words)])
            case .media(var media):
                media.caption = text
                authored.course.steps[index].content = .media(media)
            case .assignment(var assignment):
                assignment.text = text
                authored.course.steps[index].content = .assignment(assignment)
            case .quiz:
                return stale(nil, words)
            }
            let step = authored.course.steps[index]
            return commit(authored, action: "step.edit", details: "\(stepId) text", state: nil, context: context, words: words,
                          done: words.stepDone("author.step_saved", authored.course, step, hash: hash(authored)), refusedState: state)
        default:
            return stale(state, words)
        }
    }

    /// The Markdown rendered as students will see it, with Save and Cancel.
    func preview(_ markdown: String, _ words: EditorWords) -> EditorReply {
        let html = "<i>\(words.escaped("author.preview"))</i>\n\n" + MarkdownRenderer().render(markdown)
        return EditorReply(html: html, buttons: [[
            .callback(words.text("author.save"), data: EditorCallback.encode("ey", "x")), words.cancelButton,
        ]])
    }

    /// Save on a preview: a new text step, or the edited text of an existing one.
    func saveText(_ state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        guard var authored = context.course, let text = state.draft.text else { return stale(nil, words) }
        if let stepId = state.stepId {
            guard let index = authored.course.index(of: stepId) else { return stale(nil, words) }
            if case .media = authored.course.steps[index].content { return saveMediaText(text, state: state, context: context, words: words) }
            authored.course.steps[index].content = .text(text)
            let step = authored.course.steps[index]
            return commit(authored, action: "step.edit", details: "\(stepId) text", state: nil, context: context, words: words,
                          done: words.stepDone("author.step_saved", authored.course, step, hash: hash(authored)), refusedState: state)
        }
        let step = Step(id: authored.newStepId(), title: state.draft.title, content: .text(text))
        authored.course.steps.append(step)
        return commit(authored, action: "step.add", details: step.id, state: nil, context: context, words: words,
                      done: words.stepDone("author.step_added", authored.course, step, hash: hash(authored)), refusedState: state)
    }

    // MARK: Assignments

    func assignmentText(_ text: String, state: EditorState, words: EditorWords) -> EditorResult {
        var state = state
        if state.stage == .assignmentTitle {
            state.draft.title = String(text.prefix(128))
            state.stage = .assignmentText
            return EditorResult(state: state, replies: [words.prompt("author.ask_assignment_text")])
        }
        state.draft.text = text
        state.draft.accept = [.text]
        state.stage = .assignmentAccept
        return EditorResult(state: state, replies: [acceptKinds(state.draft.accept, words, replacing: false)])
    }

    func acceptKinds(_ chosen: [Assignment.Kind], _ words: EditorWords, replacing: Bool) -> EditorReply {
        let toggles = Assignment.Kind.allCases.map { kind in
            InlineKeyboardButton.callback((chosen.contains(kind) ? "✅ " : "▫️ ") + kind.rawValue, data: EditorCallback.encode("ea", kind.rawValue))
        }
        return EditorReply(
            html: words.escaped("author.ask_accept"),
            buttons: [Array(toggles.prefix(3)), Array(toggles.dropFirst(3)), [.callback(words.text("author.done"), data: EditorCallback.encode("eo", "x")), words.cancelButton]],
            replacesPressedMessage: replacing)
    }

    func assignmentPress(_ verb: String, argument: String, state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        var state = state
        switch verb {
        case "ea":
            guard let kind = Assignment.Kind(rawValue: argument) else { return stale(state, words) }
            if let index = state.draft.accept.firstIndex(of: kind) {
                state.draft.accept.remove(at: index)
            } else {
                state.draft.accept = Assignment.Kind.allCases.filter { state.draft.accept.contains($0) || $0 == kind }
            }
            return EditorResult(state: state, replies: [acceptKinds(state.draft.accept, words, replacing: true)])
        case "eo":
            guard !state.draft.accept.isEmpty else { return EditorResult(state: state, toast: words.text("author.accept_one"), alert: true) }
            if let stepId = state.stepId {
                guard var authored = context.course, let index = authored.course.index(of: stepId),
                      case .assignment(var assignment) = authored.course.steps[index].content
                else { return stale(nil, words) }
                assignment.accept = state.draft.accept
                authored.course.steps[index].content = .assignment(assignment)
                return commit(authored, action: "step.edit", details: "\(stepId) accept", state: nil, context: context, words: words,
                              done: stepMenu(authored, index: index, words, note: words.text("author.saved")), refusedState: state)
            }
            state.stage = .assignmentReview
            let buttons: [[InlineKeyboardButton]] = [
                [.callback(words.text("author.review_auto"), data: EditorCallback.encode("er", "auto"))],
                [.callback(words.text("author.review_creator"), data: EditorCallback.encode("er", "creator"))],
            ]
            return EditorResult(state: state, replies: [EditorReply(html: words.escaped("author.ask_review"), buttons: buttons)])
        default:
            guard let review = Assignment.Review(rawValue: argument), var authored = context.course else { return stale(state, words) }
            let assignment = Assignment(text: state.draft.text ?? "", accept: state.draft.accept, review: review)
            let step = Step(id: authored.newStepId(), title: state.draft.title, content: .assignment(assignment))
            authored.course.steps.append(step)
            return commit(authored, action: "step.add", details: step.id, state: nil, context: context, words: words,
                          done: words.stepDone("author.step_added", authored.course, step, hash: hash(authored)), refusedState: state)
        }
    }
}
