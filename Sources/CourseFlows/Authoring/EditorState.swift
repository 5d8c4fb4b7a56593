import CourseModel
import Foundation
import TelegramBotAPI

/// A course built in the manager bot, with the counter its generated step ids come from
/// (`s1`, `s2`, …): ids are never reused, so a student's progress (kept by step id) survives
/// edits, reordering and deletions.
public struct AuthoredCourse: Sendable, Equatable, Codable {
    public var course: Course
    /// The number of the next generated step id.
    public var nextStep: Int

    public init(course: Course, nextStep: Int? = nil) {
        self.course = course
        self.nextStep = max(nextStep ?? 1, Self.firstFreeNumber(after: course.steps.map(\.id)))
    }

    /// One more than the largest `s<n>` among `ids` (1 when none).
    public static func firstFreeNumber(after ids: [String]) -> Int {
        let numbers = ids.compactMap { id -> Int? in
            guard id.hasPrefix("s") else { return nil }
            return Int(id.dropFirst())
        }
        return (numbers.max() ?? 0) + 1
    }

    /// A fresh step id; the counter moves on.
    public mutating func newStepId() -> String {
        var number = max(nextStep, Self.firstFreeNumber(after: course.steps.map(\.id)))
        while course.step("s\(number)") != nil { number += 1 }
        nextStep = number + 1
        return "s\(number)"
    }
}

/// Where a creator is in an editor dialog of the manager bot. Stored per creator (as JSON in
/// the platform database) so a restart keeps the dialog.
public struct EditorState: Sendable, Equatable, Codable {
    public enum Stage: String, Sendable, Equatable, Codable {
        case courseTitle, courseDescription, courseLanguage, courseCategory, courseDifficulty
        case textTitle, textBody, textPreview
        case media
        case quizTitle, quizQuestion, quizOptions, quizCorrect, quizAnswers, quizExplanation, quizNext
        case assignmentTitle, assignmentText, assignmentAccept, assignmentReview
        case editTitle, editText
        case deleteConfirm
        case priceAmount
        /// Editing a step that exists: its file, its own price, a quiz's questions and settings.
        case replaceMedia, stepPrice
        case questionText, questionExplanation, questionDelete, quizPassScore, quizAttempts
        /// A media step's extra Markdown text (then `textPreview`), or its file given as a link.
        case mediaText, mediaURL
    }

    public var stage: Stage
    /// The course the dialog changes (nil while a new course is described).
    public var slug: String?
    /// The step being edited or deleted.
    public var stepId: String?
    /// The question (0-based) of the quiz `stepId` being edited; nil while a question is added.
    public var question: Int?
    public var draft: Draft

    public init(stage: Stage, slug: String? = nil, stepId: String? = nil, question: Int? = nil, draft: Draft = Draft()) {
        self.stage = stage
        self.slug = slug
        self.stepId = stepId
        self.question = question
        self.draft = draft
    }

    /// Whether a photo, video, document or audio message is the answer this stage waits for.
    public var expectsMedia: Bool { stage == .media || stage == .replaceMedia }

    /// What the dialog has gathered so far.
    public struct Draft: Sendable, Equatable, Codable {
        public var title: String?
        public var description: String?
        public var language: String?
        public var category: String?
        public var text: String?
        public var questions: [Question] = []
        public var question: String?
        public var options: [String] = []
        public var correct: [Int] = []
        public var accept: [Assignment.Kind] = []
        public var priceModel: String?

        public init() {}
    }
}

/// What a creator did, as the editor understands it (the desk has already downloaded media
/// and checked that a course-bound button names a course the creator may edit).
public enum EditorInput: Sendable, Equatable {
    case newCourse
    case cancel
    case text(String)
    /// Media stored under the course folder at `path` (relative, e.g. `media/s3.jpg`).
    case media(MediaStep.Kind, path: String, caption: String?)
    /// A message a step cannot be made of (a voice message, a sticker): its kind, for the answer.
    case unsupported(kind: String)
    /// An editor button: its verb and argument (see `EditorCallback`).
    case press(verb: String, argument: String)
}

/// A message the editor answers with.
public struct EditorReply: Sendable, Equatable {
    public var html: String
    public var buttons: [[InlineKeyboardButton]]
    /// Edit the message the pressed button sat on instead of sending a new one.
    public var replacesPressedMessage: Bool

    public init(html: String, buttons: [[InlineKeyboardButton]] = [], replacesPressedMessage: Bool = false) {
        self.html = html
        self.buttons = buttons
        self.replacesPressedMessage = replacesPressedMessage
    }
}

/// What one input leads to: the new dialog state (nil: no dialog), the replies, a short toast
/// for a pressed button, and the course as changed (already validated).
public struct EditorResult: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        case created(AuthoredCourse)
        /// `action` names it for the audit log (`step.add`, `step.move`, …), `details` says which.
        case updated(AuthoredCourse, action: String, details: String)
    }

    public var state: EditorState?
    public var replies: [EditorReply] = []
    public var toast: String?
    public var alert = false
    public var change: Change?

    public init(state: EditorState?, replies: [EditorReply] = [], toast: String? = nil, alert: Bool = false, change: Change? = nil) {
        self.state = state
        self.replies = replies
        self.toast = toast
        self.alert = alert
        self.change = change
    }
}

/// The editor's callback data, in the manager desk's format `mc:<verb>:<argument>` (≤ 64
/// bytes). Every verb starts with `e`. Course-bound verbs carry `<course hash>[.<more>]` and the
/// desk checks the creator may edit that course; the others act on the presser's own dialog.
public enum EditorCallback {
    public static let prefix = "mc:"
    /// Verbs whose argument starts with the course hash.
    public static let courseBound: Set<String> = [
        "eS", "eA", "eP", "et", "ee", "eu", "ed", "ex", "eT", "eB", "em",
        // A step's settings (`<hash>.<step>`): required, own price, file, accepted kinds, review, questions, add question, pass score, attempts.
        "eR", "eV", "eM", "eG", "eH", "eL", "eN", "eC", "eJ",
        // A quiz question (`<hash>.<step>.<n>[.<field>]`): edit menu, up, down, delete, a field.
        "eE", "eU", "eD", "eZ", "eI",
        // A media step (`<hash>.<step>`): text under the media, file from a URL.
        "eO", "eY",
    ]

    public static func encode(_ verb: String, _ argument: String) -> String { "\(prefix)\(verb):\(argument)" }

    public static func isEditorVerb(_ verb: String) -> Bool { verb.hasPrefix("e") && verb.count == 2 }

    /// The course hash a course-bound argument starts with.
    public static func courseHash(in argument: String) -> String {
        String(argument.prefix { $0 != "." })
    }

    /// The part of the argument after the course hash (a step id, a type, a model).
    static func detail(in argument: String) -> String {
        guard let dot = argument.firstIndex(of: ".") else { return "" }
        return String(argument[argument.index(after: dot)...])
    }

    /// 8 hex digits of FNV-1a: the same short course reference as the manager desk's.
    public static func hash(of slug: String) -> String {
        var value: UInt32 = 2_166_136_261
        for byte in slug.utf8 {
            value ^= UInt32(byte)
            value = value &* 16_777_619
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
