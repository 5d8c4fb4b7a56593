import CourseModel

/// Decides whether a student may open a step beyond the unlock rules: the hook where payments
/// plug in (a paid course, a freemium step). `priced` is the default.
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

    /// Every step open.
    public static let free = StepAccess { _, _, _ in .open }

    /// The course's price decides: a paid or subscription course is open once owned, a
    /// freemium course's `paid: true` steps once bought (or everything unlocked).
    public static let priced = StepAccess { course, step, progress in
        switch course.price {
        case .free: .open
        case .paid, .subscription: progress.ownsCourse ? .open : .closed
        case .freemium: !step.paid || progress.ownsCourse || progress.boughtSteps.contains(step.id) ? .open : .closed
        }
    }
}
