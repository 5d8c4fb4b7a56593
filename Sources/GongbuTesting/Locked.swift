import Foundation

/// A value guarded by a lock, so emulator state can be read synchronously from any task.
///
/// Exists because the emulator's scripted-user DSL and the HTTP handlers touch the same
/// state from many tasks, and short critical sections are cheaper than actor hops.
final class Locked<State>: @unchecked Sendable {
    private let lock = NSLock()
    private var state: State

    init(_ state: State) {
        self.state = state
    }

    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
