import CourseModel
import Foundation
import Localization
import TelegramBotAPI

/// The manager bot's course authoring as a pure reducer: an input (text, media already on
/// disk, a button) and the creator's dialog state in, the new state, the replies and the
/// changed course out. Every changed course passes `validate` (the rules of `gongbu check`)
/// before it is returned; a refused change answers with the diagnostic and keeps the dialog.
public struct CourseEditor: Sendable {
    /// The message of the first error of `gongbu check` on this course, nil when valid.
    public typealias Validator = @Sendable (Course) -> String?

    let catalog: LocaleCatalog
    let validate: Validator

    public init(catalog: LocaleCatalog, validate: @escaping Validator) {
        self.catalog = catalog
        self.validate = validate
    }

    /// What the editor needs besides the input and state.
    public struct Context: Sendable {
        public var user: Int64
        public var locale: String
        /// The course the dialog or the button names (the desk checked the user may edit it).
        public var course: AuthoredCourse?
        /// Slugs already taken (a new course gets another).
        public var takenSlugs: Set<String>

        public init(user: Int64, locale: String, course: AuthoredCourse?, takenSlugs: Set<String> = []) {
            self.user = user
            self.locale = locale
            self.course = course
            self.takenSlugs = takenSlugs
        }
    }

    public func handle(_ input: EditorInput, state: EditorState?, context: Context) -> EditorResult {
        let words = EditorWords(catalog: catalog, locale: context.locale)
        switch input {
        case .newCourse:
            return EditorResult(state: EditorState(stage: .courseTitle), replies: [words.prompt("author.ask_title")])
        case .cancel:
            return EditorResult(state: nil, replies: [EditorReply(html: words.escaped(state == nil ? "author.nothing_to_cancel" : "author.cancelled"))])
        case .press(let verb, let argument) where EditorCallback.courseBound.contains(verb):
            guard let course = context.course else { return stale(state, words) }
            return coursePress(verb, detail: EditorCallback.detail(in: argument), state: state, course: course, context: context, words: words)
        case .press(let verb, let argument):
            guard let state else { return stale(nil, words) }
            return dialogPress(verb, argument: argument, state: state, context: context, words: words)
        case .text(let text):
            guard let state else { return EditorResult(state: nil) }
            return answer(text.trimmingCharacters(in: .whitespacesAndNewlines), state: state, context: context, words: words)
        case .unsupported:
            guard let state else { return EditorResult(state: nil) }
            return EditorResult(state: state, replies: [words.prompt(state.expectsMedia ? "author.media_refused" : "author.send_text")])
        case .media(let kind, let path, let caption):
            guard let state else { return EditorResult(state: nil) }
            guard state.expectsMedia, !path.isEmpty, var authored = context.course else {
                return EditorResult(state: state, replies: [words.prompt("author.send_text")])
            }
            if state.stage == .replaceMedia {
                return replaceMedia(kind, path: path, caption: caption, state: state, context: context, words: words)
            }
            let media = MediaStep(kind: kind, source: .file(path), caption: caption.flatMap { $0.isEmpty ? nil : $0 })
            let step = Step(id: authored.newStepId(), content: .media(media))
            authored.course.steps.append(step)
            return commit(authored, action: "step.add", details: step.id, state: nil, context: context, words: words,
                          done: words.stepDone("author.step_added", authored.course, step, hash: hash(authored)), refusedState: state)
        }
    }

    // MARK: Course-bound buttons

    func coursePress(
        _ verb: String, detail: String, state: EditorState?, course authored: AuthoredCourse, context: Context, words: EditorWords
    ) -> EditorResult {
        let slug = authored.course.slug
        let hash = hash(authored)
        switch verb {
        case "eS":
            return EditorResult(state: nil, replies: [stepList(authored, words)])
        case "eA":
            let types = [("text", "author.type_text"), ("media", "author.type_media"), ("quiz", "author.type_quiz"), ("assignment", "author.type_assignment")]
            let buttons = types.map { [InlineKeyboardButton.callback(words.text($0.1), data: EditorCallback.encode("et", "\(hash).\($0.0)"))] }
            return EditorResult(state: nil, replies: [EditorReply(html: words.escaped("author.choose_type"), buttons: buttons)])
        case "et":
            let stage: EditorState.Stage? = switch detail {
            case "text": .textTitle
            case "media": .media
            case "quiz": .quizTitle
            case "assignment": .assignmentTitle
            default: nil
            }
            guard let stage else { return stale(state, words) }
            let key = stage == .media ? "author.ask_media" : "author.ask_step_title"
            return EditorResult(state: EditorState(stage: stage, slug: slug), replies: [words.prompt(key)])
        case "ee", "eu", "ed", "ex", "eT", "eB":
            guard let index = authored.course.index(of: detail) else { return stale(state, words) }
            return stepPress(verb, index: index, state: state, course: authored, context: context, words: words)
        case "eR", "eV", "eM", "eG", "eH", "eL", "eN", "eC", "eJ":
            guard let index = authored.course.index(of: detail) else { return stale(state, words) }
            return settingPress(verb, index: index, state: state, course: authored, context: context, words: words)
        case Self.mediaTextVerb, Self.mediaURLVerb:
            guard let index = authored.course.index(of: detail) else { return stale(state, words) }
            return mediaSourcePress(verb, index: index, state: state, course: authored, words: words)
        case "eE", "eU", "eD", "eZ", "eI":
            return questionPress(verb, detail: detail, state: state, course: authored, context: context, words: words)
        case "eP":
            return EditorResult(state: nil, replies: [priceChoice(authored, words)])
        case "em":
            return choosePrice(detail, course: authored, context: context, words: words)
        default:
            return stale(state, words)
        }
    }

    // MARK: Dialog buttons and answers

    func dialogPress(_ verb: String, argument: String, state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        var state = state
        switch (verb, state.stage) {
        case ("ec", _):
            return EditorResult(state: nil, replies: [EditorReply(html: words.escaped("author.cancelled"))])
        case ("es", .courseDescription), ("es", .courseCategory):
            return answer("", state: state, context: context, words: words, skipped: true)
        case ("el", .courseLanguage) where ["en", "ru"].contains(argument):
            state.draft.language = argument
            state.stage = .courseCategory
            return EditorResult(state: state, replies: [words.prompt("author.ask_category", skip: true)])
        case ("ef", .courseDifficulty):
            guard let level = Int(argument), (1...5).contains(level) else { return stale(state, words) }
            return createCourse(state.draft, difficulty: level, context: context, words: words)
        case ("ey", .textPreview):
            return saveText(state, context: context, words: words)
        case ("ek", .quizCorrect), ("eK", .quizCorrect), ("eq", .quizOptions), ("es", .quizExplanation), ("eQ", .quizNext), ("eF", .quizNext):
            return quizPress(verb, argument: argument, state: state, context: context, words: words)
        case ("ea", .assignmentAccept), ("eo", .assignmentAccept), ("er", .assignmentReview):
            return assignmentPress(verb, argument: argument, state: state, context: context, words: words)
        case ("es", .mediaText):
            return saveMediaText(nil, state: state, context: context, words: words)
        case ("eX", .deleteConfirm):
            return deleteStep(state, context: context, words: words)
        case ("eX", .questionDelete):
            return deleteQuestion(state, context: context, words: words)
        case ("eW", .stepPrice), ("es", .quizAttempts), ("es", .questionExplanation):
            return settingText("", state: state, context: context, words: words, skipped: true)
        case ("es", .priceAmount):
            return setPrice(state.draft.priceModel ?? "", amount: nil, context: context, words: words)
        default:
            return stale(state, words)
        }
    }

    func answer(_ text: String, state: EditorState, context: Context, words: EditorWords, skipped: Bool = false) -> EditorResult {
        var state = state
        guard skipped || !text.isEmpty else { return EditorResult(state: state, replies: [words.prompt("author.send_text")]) }
        switch state.stage {
        case .courseTitle:
            state.draft.title = String(text.prefix(64))
            state.stage = .courseDescription
            return EditorResult(state: state, replies: [words.prompt("author.ask_description", skip: true)])
        case .courseDescription:
            state.draft.description = skipped ? nil : text
            state.stage = .courseLanguage
            let buttons = [[
                InlineKeyboardButton.callback("English", data: EditorCallback.encode("el", "en")),
                InlineKeyboardButton.callback("Русский", data: EditorCallback.encode("el", "ru")),
            ]]
            return EditorResult(state: state, replies: [EditorReply(html: words.escaped("author.ask_language"), buttons: buttons + [[words.cancelButton]])])
        case .courseCategory:
            state.draft.category = skipped ? nil : text.lowercased()
            state.stage = .courseDifficulty
            let buttons = [(1...5).map { InlineKeyboardButton.callback(String($0), data: EditorCallback.encode("ef", String($0))) }]
            return EditorResult(state: state, replies: [EditorReply(html: words.escaped("author.ask_difficulty"), buttons: buttons + [[words.cancelButton]])])
        case .courseLanguage, .courseDifficulty, .quizCorrect, .quizNext, .assignmentAccept, .assignmentReview, .deleteConfirm, .questionDelete:
            return EditorResult(state: state, replies: [words.prompt("author.use_buttons")])
        case .media, .replaceMedia:
            return EditorResult(state: state, replies: [words.prompt(state.stage == .media ? "author.ask_media" : "author.ask_new_media")])
        case .stepPrice, .questionText, .questionExplanation, .quizPassScore, .quizAttempts:
            return settingText(text, state: state, context: context, words: words)
        case .textTitle, .textBody, .textPreview, .editTitle, .editText:
            return stepText(text, state: state, context: context, words: words)
        case .quizTitle, .quizQuestion, .quizOptions, .quizAnswers, .quizExplanation:
            return quizText(text, state: state, context: context, words: words)
        case .assignmentTitle, .assignmentText:
            return assignmentText(text, state: state, words: words)
        case .mediaText, .mediaURL:
            return mediaSourceText(text, state: state, context: context, words: words)
        case .priceAmount:
            guard let amount = Int(text), amount > 0 else { return EditorResult(state: state, replies: [words.prompt("author.amount_invalid")]) }
            return setPrice(state.draft.priceModel ?? "", amount: amount, context: context, words: words)
        }
    }

    // MARK: A new course

    func createCourse(_ draft: EditorState.Draft, difficulty: Int, context: Context, words: EditorWords) -> EditorResult {
        let title = draft.title ?? "Course"
        let authored = newCourse(
            title: title, description: draft.description, language: draft.language, category: draft.category, difficulty: difficulty,
            creator: context.user, taken: context.takenSlugs, locale: context.locale)
        let course = authored.course
        let slug = course.slug
        if let problem = validate(course) {
            return EditorResult(state: nil, replies: [EditorReply(html: words.escaped("author.invalid", ["message": problem]))])
        }
        let hash = EditorCallback.hash(of: slug)
        let reply = EditorReply(
            html: words.escaped("author.created", ["title": title, "slug": slug]),
            buttons: words.courseButtons(hash: hash) + [[.callback(words.text("desk.connect"), data: EditorCallback.encode("cn", hash))]])
        return EditorResult(state: nil, replies: [reply], change: .created(authored))
    }

    /// A new course as `/newcourse` (and `POST /courses`) makes it: a slug from the title, one
    /// welcome step holding the description (or the title). Not validated yet.
    public func newCourse(
        title: String, description: String?, language: String?, category: String?, difficulty: Int?, creator: Int64,
        taken: Set<String>, locale: String
    ) -> AuthoredCourse {
        let words = EditorWords(catalog: catalog, locale: locale)
        let description = description ?? ""
        let welcome = Step(id: "s1", title: words.text("author.welcome_title"), content: .text(description.isEmpty ? title : description))
        let course = Course(
            slug: Self.slug(for: title, taken: taken), title: title, description: description, language: language ?? "en",
            category: category, difficulty: difficulty, creator: creator, steps: [welcome])
        return AuthoredCourse(course: course, nextStep: 2)
    }

    /// A slug from the title: Latin letters (Cyrillic transliterated), digits and `-`, unique among `taken`.
    public static func slug(for title: String, taken: Set<String>) -> String {
        var base = ""
        for character in title.lowercased() {
            if let latin = cyrillic[character] {
                base += latin
            } else if character.isASCII, character.isLetter || character.isNumber {
                base.append(character)
            } else if !base.hasSuffix("-") {
                base += "-"
            }
        }
        base = String(base.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(40)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        if base.isEmpty { base = "course" }
        var candidate = base
        var number = 2
        while taken.contains(candidate) {
            candidate = "\(base)-\(number)"
            number += 1
        }
        return candidate
    }

    static let cyrillic: [Character: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k",
        "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    ]

    // MARK: Shared

    /// ✏️ Steps / ➕ Add step / 💰 Price for an authored course's card in /courses.
    public func cardButtons(slug: String, locale: String) -> [[InlineKeyboardButton]] {
        EditorWords(catalog: catalog, locale: locale).courseButtons(hash: EditorCallback.hash(of: slug))
    }

    func hash(_ authored: AuthoredCourse) -> String { EditorCallback.hash(of: authored.course.slug) }

    func stale(_ state: EditorState?, _ words: EditorWords) -> EditorResult {
        EditorResult(state: state, toast: words.text("author.stale"))
    }

    /// Validates the changed course; on success returns it with `done`, otherwise the diagnostic (the dialog stays).
    func commit(
        _ authored: AuthoredCourse, action: String, details: String, state: EditorState?, context: Context, words: EditorWords,
        done: EditorReply, refusedState: EditorState? = nil
    ) -> EditorResult {
        if let problem = validate(authored.course) {
            return EditorResult(
                state: refusedState ?? state, replies: [EditorReply(html: words.escaped("author.invalid", ["message": problem]))],
                toast: words.text("author.not_saved"), alert: false)
        }
        return EditorResult(state: state, replies: [done], change: .updated(authored, action: action, details: details))
    }
}
