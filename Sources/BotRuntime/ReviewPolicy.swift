import CourseFlows
import Foundation
import Synchronization

/// Who reviews which course's assignments (contract §8): the course's `creator:` from
/// course.yaml, else every `manager.admins` id. Admins may review every course; a creator only
/// their own. Checked on every press in the manager bot, never trusted from callback data.
public struct ReviewPolicy: Sendable, Equatable {
    public struct CourseInfo: Sendable, Equatable {
        public var slug: String
        public var title: String
        public var creator: Int64?
        /// Step titles by id (for the reviewer's messages).
        public var stepTitles: [String: String]

        public init(slug: String, title: String, creator: Int64?, stepTitles: [String: String] = [:]) {
            self.slug = slug
            self.title = title
            self.creator = creator
            self.stepTitles = stepTitles
        }
    }

    public var admins: Set<Int64>
    public var courses: [String: CourseInfo]

    public init(admins: Set<Int64>, courses: [CourseInfo]) {
        self.admins = admins
        self.courses = Dictionary(courses.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The users sent a course's new submissions.
    public func reviewers(of slug: String) -> Set<Int64> {
        if let creator = courses[slug]?.creator { return [creator] }
        return admins
    }

    /// Whether `userId` may see and decide `slug`'s submissions.
    public func mayReview(_ userId: Int64, slug: String) -> Bool {
        guard let course = courses[slug] else { return false }
        return admins.contains(userId) || course.creator == userId
    }

    /// An admin or the creator of some course.
    public func isStaff(_ userId: Int64) -> Bool {
        admins.contains(userId) || courses.values.contains { $0.creator == userId }
    }

    /// The course whose slug hashes to `hash` (see `ReviewCallback`).
    public func slug(forHash hash: String) -> String? {
        courses.keys.sorted().first { ReviewCallback.hash(of: $0) == hash }
    }
}

/// A pending submission as the manager bot lists it (a read-only snapshot of the course databases).
public struct PendingReview: Sendable, Equatable {
    public var slug: String
    public var submissionId: Int64
    public var stepId: String
    public var studentName: String

    public init(slug: String, submissionId: Int64, stepId: String, studentName: String) {
        self.slug = slug
        self.submissionId = submissionId
        self.stepId = stepId
        self.studentName = studentName
    }
}

/// The review queue as last read from the course databases by the review relay; the manager
/// scene gets a copy with each event (so it stays pure) to list and to check submissions.
public final class ReviewQueueSnapshot: Sendable {
    private let items = Mutex<[PendingReview]>([])

    public init() {}

    public var current: [PendingReview] { items.withLock { $0 } }

    func replace(_ pending: [PendingReview]) {
        items.withLock { $0 = pending }
    }
}

/// A manager-bot button, in ≤ 64 bytes: `r1|a|<course hash>|<id>` (a approve, r reject, s skip
/// the comment: the id is a submission's; f refund: the id is a ledger payment's). Anything else
/// decodes to nil.
enum ReviewCallback: Equatable {
    case approve(courseHash: String, submissionId: Int64)
    case reject(courseHash: String, submissionId: Int64)
    case skip(courseHash: String, submissionId: Int64)
    case refund(courseHash: String, paymentId: Int64)

    static let version = "r1"

    var encoded: String {
        switch self {
        case .approve(let hash, let id): "\(Self.version)|a|\(hash)|\(id)"
        case .reject(let hash, let id): "\(Self.version)|r|\(hash)|\(id)"
        case .skip(let hash, let id): "\(Self.version)|s|\(hash)|\(id)"
        case .refund(let hash, let id): "\(Self.version)|f|\(hash)|\(id)"
        }
    }

    init?(decoding data: String) {
        guard data.utf8.count <= 64 else { return nil }
        let parts = data.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == Self.version, parts[2].utf8.count == 8,
            parts[2].utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
            (1...12).contains(parts[3].utf8.count), parts[3].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            parts[3].utf8.first != 0x30, let id = Int64(parts[3])
        else { return nil }
        switch parts[1] {
        case "a": self = .approve(courseHash: parts[2], submissionId: id)
        case "r": self = .reject(courseHash: parts[2], submissionId: id)
        case "s": self = .skip(courseHash: parts[2], submissionId: id)
        case "f": self = .refund(courseHash: parts[2], paymentId: id)
        default: return nil
        }
    }

    /// FNV-1a (32 bits) of a course slug in 8 lowercase hex digits: the one course reference of
    /// every manager button (the editor's too).
    static func hash(of slug: String) -> String {
        EditorCallback.hash(of: slug)
    }
}
