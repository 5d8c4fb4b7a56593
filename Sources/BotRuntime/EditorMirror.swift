import CourseFlows
import Foundation
import Synchronization

/// Who is in the middle of an editor dialog of the manager bot, kept in memory so the
/// synchronous chat handler can send their texts and media to the desk (the dialogs themselves
/// live in the platform database and are read back into this at start).
final class EditorMirror: Sendable {
    private let editing = Mutex<Set<Int64>>([])

    func isEditing(_ user: Int64) -> Bool {
        editing.withLock { $0.contains(user) }
    }

    func set(_ user: Int64, editing isEditing: Bool) {
        editing.withLock { users in
            if isEditing { users.insert(user) } else { users.remove(user) }
        }
    }

    /// The stored dialogs (bytes of `EditorState`) at start.
    func restore(_ sessions: [Int64: Data]) {
        editing.withLock { $0 = Set(sessions.keys) }
    }
}
