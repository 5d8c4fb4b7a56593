import CourseModel
import SceneEngine

/// Commands, free text and files outside a quiz or an assignment; the welcome card, contents,
/// progress, help and language screens.
extension Turn {
    func command(_ name: String, state: inout StudentState) -> [Effect] {
        switch name {
        case "start": return welcome(state)
        case "contents": return contents(state)
        case "progress": return progress(state)
        case "language": return languages(state)
        case "help": return help(state)
        case "paysupport": return paySupport(state)
        case "terms": return terms(state)
        default: return notice(words(state).plain("error.unknown_command"))
        }
    }

    func text(_ text: String, state: inout StudentState) -> [Effect] {
        if let stepId = state.awaitingAssignment, stepId == state.currentStepId, let index = course.index(of: stepId) {
            return submit(.text, text: text, attachment: nil, stepIndex: index, state: &state)
        }
        if let pass = state.quizPass, pass.stepId == state.currentStepId, let index = course.index(of: pass.stepId) {
            return answerText(text, stepIndex: index, state: &state)
        }
        return notice(words(state).plain("error.unsupported_input"))
    }

    func attachment(_ attachment: Attachment, state: inout StudentState) -> [Effect] {
        if let stepId = state.awaitingAssignment, stepId == state.currentStepId, let index = course.index(of: stepId) {
            let kind: Assignment.Kind? = switch attachment.kind {
            case .photo: .photo
            case .document: .document
            case .voice: .voice
            case .video: .video
            case .audio, .sticker, .other: nil
            }
            return submit(kind, text: attachment.caption, attachment: attachment, stepIndex: index, state: &state)
        }
        return notice(words(state).plain("error.unsupported_input"))
    }

    func comingSoon(_ state: StudentState) -> [Effect] {
        let words = words(state)
        return send(render("coming_soon", [
            "title": course.title, "heading": words.plain("course.coming_soon_title"),
            "message": words.plain("course.coming_soon"),
        ]))
    }

    // MARK: Screens

    func welcome(_ state: StudentState) -> [Effect] {
        let words = words(state)
        let html = render("welcome", [
            "title": course.title,
            "description": scene.prepared.description,
            "steps": words.plain("welcome.steps", ["steps": words.plain("steps", count: steps.count)]),
            "duration": course.durationMinutes.map { words.plain("welcome.duration", ["duration": duration($0, words)]) } ?? "",
            "price": priceLabel(state, words),
            "note": words.plain(state.enrolled ? "welcome.returning" : "welcome.start_hint"),
        ])
        let label = words.plain(state.enrolled ? "button.continue" : "button.start")
        let start = button(label, .start)
        return send(html, buttons: welcomeOffer(state, words, start: start) ?? [[start]])
    }

    /// `250 ⭐` on the welcome card of a paid or subscription course not owned yet.
    func priceLabel(_ state: StudentState, _ words: Words) -> String {
        guard payments != nil, !state.progress.ownsCourse else { return "" }
        switch course.price {
        case .paid(let amount): return words.plain("welcome.price", ["price": String(amount)])
        case .free, .freemium, .subscription: return ""
        }
    }

    func contents(_ state: StudentState) -> [Effect] {
        let words = words(state)
        var entries: [[String: Any]] = []
        var buttons: [[Button]] = []
        for (index, step) in steps.enumerated() {
            let unlocked = isUnlocked(index, state)
            let current = step.id == state.currentStepId
            let mark = words.plain(
                isDone(index, state) ? "contents.done"
                    : current ? "contents.current"
                    : unlocked ? "contents.open" : "contents.locked")
            let title = stepTitle(index, words)
            entries.append(["mark": mark, "number": index + 1, "title": title, "current": current])
            // Telegram allows 100 buttons per keyboard.
            if unlocked, buttons.count < 99 {
                buttons.append([button("\(mark) \(index + 1). \(Self.shorten(title, to: 40))", .open(reference(index)))])
            }
        }
        return send(render("contents", ["title": words.plain("contents.title"), "steps": entries]), buttons: buttons)
    }

    func progress(_ state: StudentState) -> [Effect] {
        let words = words(state)
        let current = state.currentStepId.flatMap(course.index(of:)).map { words.plain("progress.current", ["title": stepTitle($0, words)]) }
        let html = render("progress", [
            "title": words.plain("progress.title"),
            "course": course.title,
            "bar": progressBar(state),
            "done": words.plain("progress.done", count: steps.count, progressArgs(state)),
            "current": current ?? "",
            "score": averageScore(state).map { words.plain("progress.score", ["score": String($0)]) } ?? "",
            "completed": state.progress.isComplete(course) ? words.plain("progress.completed") : "",
        ])
        return send(html, buttons: [[button(words.plain("button.contents"), .contents)]])
    }

    func progressArgs(_ state: StudentState) -> [String: String] {
        ["done": String(state.progress.doneCount(in: course))]
    }

    func help(_ state: StudentState) -> [Effect] {
        let words = words(state)
        return send("<b>\(words("help.title"))</b>\n\n\(words("help.text"))")
    }

    func languages(_ state: StudentState) -> [Effect] {
        let words = words(state)
        let buttons = source.availableLocales.map { code in
            let name = source.text("language.name", locale: code)
            return [button((code == words.locale ? "✓ " : "") + name, .language(code))]
        }
        return send(words("language.prompt"), buttons: buttons)
    }

    func chooseLanguage(_ code: String, state: inout StudentState) -> (String?, [Effect]) {
        guard source.hasLocale(code) else { return (words(state).plain("error.stale_button"), []) }
        state.locale = code
        let words = words(state)
        return (nil, send(words("language.changed")))
    }

    /// The step's title, or its type's localized name.
    func stepTitle(_ index: Int, _ words: Words) -> String {
        let step = steps[index]
        if let title = step.title, !title.isEmpty { return title }
        return words.plain("step.default_title.\(step.type.rawValue)")
    }

    /// `45 min`, `2 h`, `1 h 30 min`.
    func duration(_ minutes: Int, _ words: Words) -> String {
        guard minutes >= 60 else { return words.plain("minutes", count: minutes) }
        let hours = words.plain("hours", count: minutes / 60)
        return minutes % 60 == 0 ? hours : hours + " " + words.plain("minutes", count: minutes % 60)
    }

    static func shorten(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
