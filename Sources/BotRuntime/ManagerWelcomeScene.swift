import SceneEngine

/// The manager bot until its full conversations land: it greets creators and says which
/// commands exist, so the manager token is polled, healthy and answering from day one.
struct ManagerWelcomeScene: Scene {
    struct State: Codable, Sendable, Equatable {
        var greeted = false
    }

    func initialState(for event: ChatEvent) -> State { State() }

    func handle(_ event: ChatEvent, state: inout State, now: Double) -> [Effect] {
        switch event.kind {
        case .command("start", _), .command("help", _):
            state.greeted = true
            return [.send(OutgoingMessage(text: "<b>Gongbu manager</b>\nThis bot will let you build, connect and run your courses. For now, courses are edited as course.yaml files and checked with <code>gongbu check</code>."))]
        case .callback(let queryId, _, _):
            return [.answerCallback(queryId: queryId, text: nil, alert: false)]
        case .preCheckout(let query):
            return [.answerPreCheckout(queryId: query.queryId, ok: false, errorMessage: "Payments are not taken by the manager bot.")]
        default:
            return []
        }
    }
}
