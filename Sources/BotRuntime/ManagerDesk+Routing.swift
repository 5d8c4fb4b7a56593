import SceneEngine

/// Where an event of the manager bot goes, decided from the event and what the desk knows of
/// the user (in an editor dialog, writing a broadcast): a pure function, so the routing is
/// tested apart from the runtime. The desk gets creators' commands, buttons and pasted tokens
/// (as durable jobs); the pure `ManagerScene` keeps reviews and refunds.
enum DeskRoute: Equatable, Sendable {
    /// A desk job only (never kept in the scene's state: a pasted token, a course text).
    case desk
    /// The scene only.
    case scene
    /// Both: the scene sees it too; `sceneAnswers` false keeps only its state (`/start` marks
    /// the chat reachable, the desk answers), true keeps its answer (a review button: the
    /// scene answers, the desk audits a refusal).
    case both(sceneAnswers: Bool)

    /// Whether the event's message holds a bot token (a pasted one, or `/connect <token>`): the
    /// message is deleted at once, whatever the desk then does with it.
    static func holdsToken(_ event: ChatEvent) -> Bool {
        switch event.kind {
        case .text(let text), .command("connect", let text): ManagerDesk.token(in: text) != nil
        default: false
        }
    }

    static func of(_ event: ChatEvent, editing: Bool, writingBroadcast: Bool) -> DeskRoute {
        switch event.kind {
        case .command("start", _):
            return .both(sceneAnswers: false)
        case .command("courses", _), .command("connect", _), .command("disconnect", _), .command("broadcast", _),
            .command("newcourse", _), .command("cancel", _), .managedBot:
            return .desk
        case .callback(_, let data, _) where data.hasPrefix(DeskCallback.prefix):
            return .desk
        case .callback(_, let data, _) where ManagerDesk.isReviewButton(data):
            return .both(sceneAnswers: true)
        case .text(let text) where ManagerDesk.token(in: text) != nil:
            return .desk
        case .text where writingBroadcast || editing:
            return .desk
        case .attachment where editing:
            return .desk
        default:
            return .scene
        }
    }
}
