/// One unit of a course: a message, a media file, a quiz or an assignment.
///
/// `id` is stable across edits so students' progress survives reordering.
public struct Step: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var title: String?
    public var content: StepContent
    /// Whether later steps wait for this one (default true).
    public var required: Bool
    /// Freemium: this step is bought on its own.
    public var paid: Bool
    public var price: Int?

    public init(
        id: String, title: String? = nil, content: StepContent, required: Bool = true,
        paid: Bool = false, price: Int? = nil
    ) {
        self.id = id
        self.title = title
        self.content = content
        self.required = required
        self.paid = paid
        self.price = price
    }

    public var type: StepType { content.type }
}

/// The kinds of step course.yaml knows.
public enum StepType: String, Sendable, Equatable, Codable, CaseIterable {
    case text, photo, video, document, audio, quiz, assignment

    public var isMedia: Bool {
        switch self {
        case .photo, .video, .document, .audio: true
        default: false
        }
    }
}

/// What a step holds, by type.
public enum StepContent: Sendable, Equatable, Codable {
    /// Markdown text.
    case text(String)
    case media(MediaStep)
    case quiz(Quiz)
    case assignment(Assignment)

    public var type: StepType {
        switch self {
        case .text: .text
        case .media(let media): media.kind.stepType
        case .quiz: .quiz
        case .assignment: .assignment
        }
    }
}

/// A photo, video, document or audio step.
public struct MediaStep: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case photo, video, document, audio

        public var stepType: StepType {
            switch self {
            case .photo: .photo
            case .video: .video
            case .document: .document
            case .audio: .audio
            }
        }
    }

    public var kind: Kind
    public var source: MediaSource
    /// Markdown caption.
    public var caption: String?
    /// Optional Markdown text sent with the media (as caption when it fits).
    public var text: String?

    public init(kind: Kind, source: MediaSource, caption: String? = nil, text: String? = nil) {
        self.kind = kind
        self.source = source
        self.caption = caption
        self.text = text
    }
}

/// Where a media file comes from.
public enum MediaSource: Sendable, Equatable, Codable, Hashable {
    /// A path relative to the course folder, uploaded once, then sent by its cached file_id.
    case file(String)
    case fileId(String)
    case url(String)
}
