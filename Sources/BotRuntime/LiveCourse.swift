import CourseFlows
import CourseModel
import Foundation
import SceneEngine
import Synchronization

/// A course built in the manager bot, as its bots run it: the current definition and its
/// scenes (published and "coming soon"), swapped at once after each change. Every bot of the
/// course reads the scene here on each batch, so edits apply without a restart.
final class LiveCourse: Sendable {
    struct Current: Sendable {
        var authored: AuthoredCourse
        var open: any ChatHandler
        var closed: any ChatHandler
    }

    let slug: String
    /// Where its media live (`data/courses/<slug>/files`); `file:` paths resolve here.
    let directory: String
    /// Shared by every bot of the course: one lane per chat, one outbox bell.
    let lock = ChatLock()
    let bell = Signal(latching: false)
    /// Rung on every change, for what follows the course (its bots' command menus).
    let changed = Signal(latching: false)
    private let current: Mutex<Current>

    init(slug: String, directory: String, current: Current) {
        self.slug = slug
        self.directory = directory
        self.current = Mutex(current)
    }

    var authored: AuthoredCourse { current.withLock { $0.authored } }

    func swap(_ new: Current) {
        current.withLock { $0 = new }
        changed.ring()
    }

    func handler(published: Bool) -> any ChatHandler {
        current.withLock { published ? $0.open : $0.closed }
    }
}

/// A course bot's handler reading the live course's scene on every batch.
struct LiveCourseHandler: ChatHandler {
    let live: LiveCourse
    let published: Bool

    func handle(_ events: [ChatEvent], stored: Data?, now: Double) -> ChatOutcome {
        live.handler(published: published).handle(events, stored: stored, now: now)
    }
}
