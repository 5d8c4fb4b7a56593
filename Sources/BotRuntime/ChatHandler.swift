import Foundation
import SceneEngine
import Storage

/// What a bot does with one chat's events of a batch: the bridge between the pure scene and the
/// worker, with the state stored as bytes so the worker stays generic.
public protocol ChatHandler: Sendable {
    /// Handles a chat's events in order, starting from its stored state (nil: new chat).
    func handle(_ events: [ChatEvent], stored: Data?, now: Double) -> ChatOutcome
}

/// The result of handling one chat's events.
public struct ChatOutcome: Sendable {
    /// The new state (nil: unchanged, nothing to write).
    public var state: Data?
    /// Effects with the update that caused each.
    public var effects: [(effect: Effect, updateId: Int64)]
    public var progress: [ProgressRow]
    public var enrollments: [EnrollmentRow]

    public init(state: Data?, effects: [(effect: Effect, updateId: Int64)], progress: [ProgressRow] = [], enrollments: [EnrollmentRow] = []) {
        self.state = state
        self.effects = effects
        self.progress = progress
        self.enrollments = enrollments
    }
}

/// Runs any `Scene` as a `ChatHandler`, its state kept as JSON.
public struct SceneChatHandler<S: Scene>: ChatHandler {
    public let scene: S
    /// Extra rows to record when the state changes (course progress), given old and new state.
    let records: @Sendable (ChatEvent, S.State?, S.State, Double) -> (progress: [ProgressRow], enrollments: [EnrollmentRow])

    public init(scene: S, records: @escaping @Sendable (ChatEvent, S.State?, S.State, Double) -> (progress: [ProgressRow], enrollments: [EnrollmentRow]) = { _, _, _, _ in ([], []) }) {
        self.scene = scene
        self.records = records
    }

    public func handle(_ events: [ChatEvent], stored: Data?, now: Double) -> ChatOutcome {
        guard let first = events.first else { return ChatOutcome(state: nil, effects: []) }
        let decoder = JSONDecoder()
        let previous = stored.flatMap { try? decoder.decode(S.State.self, from: $0) }
        var state = previous ?? scene.initialState(for: first)
        var effects: [(effect: Effect, updateId: Int64)] = []
        var progress: [ProgressRow] = []
        var enrollments: [EnrollmentRow] = []
        var before: S.State? = previous
        for event in events {
            for effect in scene.handle(event, state: &state, now: now) {
                effects.append((effect, event.updateId))
            }
            let extra = records(event, before, state, now)
            progress += extra.progress
            enrollments += extra.enrollments
            before = state
        }
        if let previous, previous == state {
            return ChatOutcome(state: nil, effects: effects, progress: progress, enrollments: enrollments)
        }
        let data = try? JSONEncoder().encode(state)
        return ChatOutcome(state: data, effects: effects, progress: progress, enrollments: enrollments)
    }
}
