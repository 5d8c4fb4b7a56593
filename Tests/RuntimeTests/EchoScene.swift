import SceneEngine

/// The smallest useful bot for runtime tests: it echoes texts and counts them in its state,
/// so a test can tell from the database whether an update was applied once.
struct EchoScene: Scene {
    struct State: Codable, Sendable, Equatable {
        var count = 0
    }

    func initialState(for event: ChatEvent) -> State { State() }

    func handle(_ event: ChatEvent, state: inout State, now: Double) -> [Effect] {
        switch event.kind {
        case .text(let text):
            state.count += 1
            let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            return [.send(OutgoingMessage(text: "echo #\(state.count): \(escaped)", buttons: [[.callback("Again", "again")]]))]
        case .command(let name, _):
            return [.send(OutgoingMessage(text: "command /\(name)"))]
        case .callback(let queryId, _, _):
            return [.answerCallback(queryId: queryId, text: "pressed", alert: false)]
        default:
            return []
        }
    }
}
