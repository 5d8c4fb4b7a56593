/// A course as Gongbu teaches it: what course.yaml, the manager bot and the REST API all describe.
///
/// Pure value type: no disk, no network. `Manifests` reads it from YAML, `Storage` keeps it,
/// `CourseFlows` teaches it.
public struct Course: Sendable, Equatable, Codable {
    public var slug: String
    public var title: String
    public var description: String
    /// Default locale for students whose Telegram language has no catalog.
    public var language: String
    public var category: String?
    /// 1...5.
    public var difficulty: Int?
    public var price: Price
    /// Telegram user id of the course's creator, who reviews its assignments.
    public var creator: Int64?
    /// Estimated duration shown on the welcome card, in minutes.
    public var durationMinutes: Int?
    public var steps: [Step]

    public init(
        slug: String, title: String, description: String = "", language: String = "en",
        category: String? = nil, difficulty: Int? = nil, price: Price = .free, creator: Int64? = nil,
        durationMinutes: Int? = nil, steps: [Step]
    ) {
        self.slug = slug
        self.title = title
        self.description = description
        self.language = language
        self.category = category
        self.difficulty = difficulty
        self.price = price
        self.creator = creator
        self.durationMinutes = durationMinutes
        self.steps = steps
    }

    /// The position (0-based) of the step with this id.
    public func index(of stepId: String) -> Int? {
        steps.firstIndex { $0.id == stepId }
    }

    public func step(_ stepId: String) -> Step? {
        steps.first { $0.id == stepId }
    }
}

/// How a course is sold. Prices are in Telegram Stars (XTR) unless a payment provider is configured.
public enum Price: Sendable, Equatable, Codable {
    case free
    case paid(amount: Int)
    /// Free steps plus steps with `paid: true`; `unlockAll` is the optional "unlock everything" offer.
    case freemium(unlockAll: Int?)
    case subscription(amount: Int, periodDays: Int)

    public var model: String {
        switch self {
        case .free: "free"
        case .paid: "paid"
        case .freemium: "freemium"
        case .subscription: "subscription"
        }
    }
}
