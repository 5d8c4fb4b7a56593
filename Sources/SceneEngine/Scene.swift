/// A chat's behaviour as a pure function: (state, event) → (state, effects).
///
/// Scenes touch no network, disk or clock (time comes in as `now`), so they are tested as
/// plain functions and the runtime can commit their results atomically.
public protocol Scene: Sendable {
    associatedtype State: Codable & Sendable & Equatable

    /// The state of a chat the scene has never seen.
    func initialState(for event: ChatEvent) -> State

    /// Handles one event; mutates `state` and returns what to do.
    func handle(_ event: ChatEvent, state: inout State, now: Double) -> [Effect]
}
