import CourseModel

/// Decides whether a student may open a step beyond the unlock rules: the hook where payments
/// plug in (a paid course, a freemium step). Today every course is treated as free.
public struct StepAccess: Sendable {
    public enum Decision: Sendable, Equatable {
        case open
        /// Closed until bought; the scene tells the student so.
        case closed
    }

    let decide: @Sendable (_ course: Course, _ step: Step, _ progress: Progress) -> Decision

    public init(_ decide: @escaping @Sendable (_ course: Course, _ step: Step, _ progress: Progress) -> Decision) {
        self.decide = decide
    }

    /// Every step open (payments are not wired in yet).
    public static let free = StepAccess { _, _, _ in .open }
}
