import CourseModel
import SceneEngine
import TelegramBotAPI

/// The locale-independent parts of a course rendered once at init (Markdown to HTML, step
/// id hashes, media sources), so handling an update only assembles prepared pieces.
struct PreparedCourse: Sendable {
    struct PreparedStep: Sendable {
        var hash: String
        /// The step's Markdown body as HTML (text, media text, assignment prompt); "" for quizzes.
        var body: String
        /// The media caption as HTML, for media steps.
        var caption: String
        var media: Media?
        var questions: [PreparedQuestion]
    }

    struct PreparedQuestion: Sendable {
        var text: String
        var explanation: String?
        /// Options as escaped HTML (for the message) and as plain labels (for buttons).
        var optionsHTML: [String]
        var options: [String]
        /// Options too long for a button: buttons show letters and the message lists them.
        var lettered: Bool
    }

    /// Longest option that still goes on a button as is.
    static let longOption = 30

    var steps: [PreparedStep]
    var hashes: [String]
    /// The course description as HTML.
    var description: String

    init(course: Course, directory: String, source: CourseRendering) {
        description = source.markdown(course.description)
        steps = course.steps.map { step in
            var prepared = PreparedStep(hash: StepReference.hash(of: step.id), body: "", caption: "", media: nil, questions: [])
            switch step.content {
            case .text(let markdown):
                prepared.body = source.markdown(markdown)
            case .media(let media):
                prepared.body = media.text.map(source.markdown) ?? ""
                prepared.caption = media.caption.map(source.markdown) ?? ""
                prepared.media = Media(kind: Self.kind(media.kind), source: Self.source(media.source, directory: directory))
            case .assignment(let assignment):
                prepared.body = source.markdown(assignment.text)
            case .quiz(let quiz):
                prepared.questions = quiz.questions.map { Self.prepare($0, source: source) }
            }
            return prepared
        }
        hashes = steps.map(\.hash)
    }

    static func prepare(_ question: Question, source: CourseRendering) -> PreparedQuestion {
        let options: [String]
        switch question.kind {
        case .singleChoice(let list, _), .multipleChoice(let list, _): options = list
        case .freeText: options = []
        }
        return PreparedQuestion(
            text: source.markdown(question.text),
            explanation: question.explanation.map(source.markdown),
            optionsHTML: options.map(TelegramHTML.escape),
            options: options,
            lettered: options.contains { $0.count > longOption } || options.count > 26
        )
    }

    static func kind(_ kind: MediaStep.Kind) -> Media.Kind {
        switch kind {
        case .photo: .photo
        case .video: .video
        case .document: .document
        case .audio: .audio
        }
    }

    /// `file:` paths are relative to the course folder; the runtime wants absolute paths.
    static func source(_ source: MediaSource, directory: String) -> Media.Source {
        switch source {
        case .fileId(let id): return .fileId(id)
        case .url(let url): return .url(url)
        case .file(let path):
            if path.hasPrefix("/") { return .localFile(path) }
            var relative = Substring(path)
            while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
            var base = Substring(directory)
            while base.count > 1, base.hasSuffix("/") { base = base.dropLast() }
            return .localFile(base.isEmpty ? String(relative) : base + "/" + relative)
        }
    }
}
