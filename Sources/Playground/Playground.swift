import Foundation
import GongbuTesting

/// The people of the playground and what they can do: students chatting with the course bot, the
/// creator chatting with the manager bot, all of them scripted users of the Bot API emulator, so
/// every press and payment goes through the same updates a Telegram client would cause.
///
/// Exists so `gongbu demo` can put the real bots in a browser: `PlaygroundRoutes` turns these
/// actions and the chats' changes into HTTP.
public final class Playground: Sendable {
    /// One chat window: a user and the bot they talk to.
    public struct Chat: Sendable {
        /// `creator` or `student-<user id>`: how the HTTP interface names the chat.
        public var key: String
        public var role: Role
        public var user: ScriptedUser
        public var bot: EmulatedBot { user.bot }
    }

    /// Who sits in a chat window: a student of the course bot, or the creator in the manager bot.
    public enum Role: String, Sendable {
        case student, creator
    }

    public let emulator: BotAPIEmulator
    public let courseBot: EmulatedBot
    public let managerBot: EmulatedBot
    public let creator: Chat
    /// The `/app` address signed in as the creator (computed when asked: sign-ins expire).
    let appLink: @Sendable () -> String?
    private let state = PlaygroundLock(State())

    struct State {
        var students: [Chat] = []
        var streams: [UUID: Task<Void, Never>] = [:]
        var closed = false
    }

    /// Names given to the students added one after another.
    static let studentNames = ["Ada", "Grace", "Alan", "Barbara", "Edsger", "Katherine", "Dennis", "Frances"]
    static let firstStudentId: Int64 = 1001

    public init(
        emulator: BotAPIEmulator, courseBot: EmulatedBot, managerBot: EmulatedBot, creatorId: Int64, creatorName: String,
        appLink: @escaping @Sendable () -> String?
    ) {
        self.emulator = emulator
        self.courseBot = courseBot
        self.managerBot = managerBot
        self.creator = Chat(key: "creator", role: .creator, user: managerBot.user(id: creatorId, firstName: creatorName, username: "demo_creator"))
        self.appLink = appLink
        _ = addStudent()
    }

    /// Every student, first added first.
    public var students: [Chat] { state.withLock { $0.students } }

    /// Adds a student (Ada, then Grace, …) with a new chat with the course bot.
    @discardableResult
    public func addStudent(firstName: String? = nil, languageCode: String = "en") -> Chat {
        state.withLock { state in
            let id = Self.firstStudentId + Int64(state.students.count)
            let name = firstName.flatMap { $0.isEmpty ? nil : $0 }
                ?? (state.students.count < Self.studentNames.count ? Self.studentNames[state.students.count] : "Student \(state.students.count + 1)")
            let chat = Chat(key: "student-\(id)", role: .student, user: courseBot.user(id: id, firstName: name, languageCode: languageCode))
            state.students.append(chat)
            return chat
        }
    }

    /// The chat named `key`, if any.
    public func chat(_ key: String) -> Chat? {
        if key == creator.key { return creator }
        return state.withLock { $0.students.first { $0.key == key } }
    }

    // MARK: Event streams

    /// Runs `body` as one live stream's producer until it returns, `close()` or `cancel`.
    /// Returns nil once closed (the stream then ends at once).
    func startStream(_ body: @escaping @Sendable () async -> Void, onEnd: @escaping @Sendable () -> Void) -> UUID? {
        let id = UUID()
        return state.withLock { state -> UUID? in
            guard !state.closed else { return nil }
            state.streams[id] = Task { [weak self] in
                await body()
                onEnd()
                self?.state.withLock { _ = $0.streams.removeValue(forKey: id) }
            }
            return id
        }
    }

    func cancelStream(_ id: UUID) {
        state.withLock { $0.streams[id] }?.cancel()
    }

    /// Ends every live stream and refuses new ones, so the HTTP server can stop gracefully.
    public func close() {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            state.closed = true
            return Array(state.streams.values)
        }
        tasks.forEach { $0.cancel() }
    }

    public var isClosed: Bool { state.withLock { $0.closed } }
}

/// A value behind a lock, read and changed from any task in short critical sections.
final class PlaygroundLock<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
