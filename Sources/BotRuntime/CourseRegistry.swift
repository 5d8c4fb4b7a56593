import Synchronization

/// The courses the manager desk manages, by slug: those of bots.yaml, and authored ones that
/// are added and changed while the process runs. Reads keep the shapes of a dictionary
/// (`courses[slug]`, `courses.values`).
final class CourseRegistry: Sendable {
    private let entries: Mutex<[String: ManagedCourse]>

    init(_ entries: [String: ManagedCourse] = [:]) {
        self.entries = Mutex(entries)
    }

    subscript(slug: String) -> ManagedCourse? {
        entries.withLock { $0[slug] }
    }

    var values: [ManagedCourse] {
        entries.withLock { Array($0.values) }
    }

    var slugs: Set<String> {
        entries.withLock { Set($0.keys) }
    }

    /// Adds or replaces a course.
    func set(_ entry: ManagedCourse) {
        entries.withLock { $0[entry.course.slug] = entry }
    }
}
