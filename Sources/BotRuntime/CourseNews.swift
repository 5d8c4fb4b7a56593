import Foundation
import SceneEngine
import Synchronization

/// What the review relay has to look at, posted in the same step as the commit that made it
/// news: a course whose database got a submission (or a downloaded file), or the manager bot's
/// own commits (a verdict, a reviewer's /start). The relay sleeps on `bell` with no timer and
/// reads only the courses named, so an idle process with a thousand courses does nothing.
final class CourseNews: Sendable {
    private let state = Mutex<(slugs: Set<String>, manager: Bool)>(([], false))
    let bell = Signal(latching: false)

    init() {}

    /// Course `slug` has a new submission (or one whose file is now on disk).
    func post(_ slug: String) {
        state.withLock { _ = $0.slugs.insert(slug) }
        bell.ring()
    }

    /// The manager bot committed a batch (verdicts to apply, a reviewer who may now be reached).
    func postManager() {
        state.withLock { $0.manager = true }
        bell.ring()
    }

    /// Takes what was posted since the last call.
    func take() -> (slugs: Set<String>, manager: Bool) {
        state.withLock { state in
            defer { state = ([], false) }
            return state
        }
    }
}

/// A course bot's handler that notes whether a batch stored a submission, so the worker's
/// after-commit step tells the review relay only then (and not before the commit: the relay
/// would read the course database too early).
final class SubmissionNoting: ChatHandler {
    let inner: any ChatHandler
    let noted: Mutex<Bool>

    init(inner: any ChatHandler) {
        self.inner = inner
        noted = Mutex(false)
    }

    func handle(_ events: [ChatEvent], stored: Data?, now: Double) -> ChatOutcome {
        let outcome = inner.handle(events, stored: stored, now: now)
        if !outcome.records.submissions.isEmpty { noted.withLock { $0 = true } }
        return outcome
    }

    /// Whether a submission was noted since the last call.
    func takeNoted() -> Bool {
        noted.withLock { noted in
            defer { noted = false }
            return noted
        }
    }
}
