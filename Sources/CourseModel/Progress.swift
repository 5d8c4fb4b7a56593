/// What one student has done in one course, by step id, so it survives course edits.
public struct Progress: Sendable, Equatable, Codable {
    public var done: Set<String>
    /// Steps bought on their own (freemium), or all when `ownsCourse`.
    public var ownsCourse: Bool
    public var boughtSteps: Set<String>

    public init(done: Set<String> = [], ownsCourse: Bool = false, boughtSteps: Set<String> = []) {
        self.done = done
        self.ownsCourse = ownsCourse
        self.boughtSteps = boughtSteps
    }

    /// Done steps that still exist in the course.
    public func doneCount(in course: Course) -> Int {
        course.steps.reduce(0) { $0 + (done.contains($1.id) ? 1 : 0) }
    }

    public func isComplete(_ course: Course) -> Bool {
        !course.steps.isEmpty && doneCount(in: course) == course.steps.count
    }
}

/// The unlock rule: a step opens when every required step before it is done.
public enum UnlockRules {
    /// Whether the step at `index` is open for a student with `progress`.
    public static func isUnlocked(_ index: Int, in course: Course, progress: Progress) -> Bool {
        guard index >= 0, index < course.steps.count else { return false }
        for earlier in course.steps[..<index] where earlier.required && !progress.done.contains(earlier.id) {
            return false
        }
        return true
    }

    /// The first step not done yet that is unlocked, or nil when the course is complete.
    public static func nextStepIndex(in course: Course, progress: Progress) -> Int? {
        course.steps.indices.first { !progress.done.contains(course.steps[$0].id) && isUnlocked($0, in: course, progress: progress) }
    }
}
