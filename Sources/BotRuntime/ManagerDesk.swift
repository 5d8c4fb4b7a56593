import CourseModel
import Foundation
import Localization
import Logging
import Manifests
import SceneEngine
import Storage
import Synchronization
import TelegramBotAPI
import TelegramClient

/// A course as the manager bot manages it: its definition and its database.
struct ManagedCourse: Sendable {
    var course: Course
    var store: CourseStore
    /// The course's bot from bots.yaml and its outbox bell (nil: no bot runs the course).
    var botId: Int64? = nil
    var outboxBell: Signal? = nil
    /// Set for a course built in the manager bot (editable in chat); nil for bots.yaml courses.
    var live: LiveCourse? = nil
    var hash: String { ReviewCallback.hash(of: course.slug) }
}

/// Events the manager scene hands over to the desk, and who is about to paste a token for
/// which course (kept in memory: a restart asks the creator to press Connect again).
final class DeskQueue: Sendable {
    private let state = Mutex<(events: [ChatEvent], awaiting: [Int64: String])>(([], [:]))
    let bell = Signal(latching: false)
    let broadcasts = BroadcastBoard()
    let editors = EditorMirror()

    func push(_ event: ChatEvent) {
        state.withLock { $0.events.append(event) }
        bell.ring()
    }

    func takeAll() -> [ChatEvent] {
        state.withLock { state in
            defer { state.events.removeAll() }
            return state.events
        }
    }

    func awaitToken(user: Int64, slug: String?) {
        state.withLock { $0.awaiting[user] = slug }
    }

    func awaitedCourse(user: Int64) -> String? {
        state.withLock { $0.awaiting[user] }
    }
}

/// The manager bot's handler: creators' commands, buttons and pasted tokens go to the desk
/// (they need the network and the platform database); the rest (reviews, refunds) stays with
/// the pure `ManagerScene`, which also sees `/start` to mark the chat reachable.
struct ManagerDeskHandler: ChatHandler {
    let inner: any ChatHandler
    let queue: DeskQueue

    func handle(_ events: [ChatEvent], stored: Data?, now: Double) -> ChatOutcome {
        var passed: [ChatEvent] = []
        var starts: Set<Int64> = []
        for event in events {
            switch event.kind {
            case .command("start", _):
                queue.push(event)
                passed.append(event)
                starts.insert(event.updateId)
            case .command("courses", _), .command("connect", _), .command("disconnect", _):
                queue.push(event)
            case .managedBot:
                queue.push(event)
            case .callback(_, let data, _) where data.hasPrefix(DeskCallback.prefix):
                queue.push(event)
            case .callback(_, let data, _) where ManagerDesk.isReviewButton(data):
                queue.push(event)  // the scene answers it; the desk audits a refusal
                passed.append(event)
            case .text(let text) where ManagerDesk.token(in: text) != nil:
                // Never kept as a review comment or in the chat state.
                queue.push(event)
            case .command("broadcast", _):
                queue.push(event)
            case .text where queue.broadcasts.writing(user: event.user.id) != nil:
                queue.push(event)
            case .command("newcourse", _):
                queue.push(event)
            case .command("cancel", _):
                queue.push(event)  // ends an editor dialog or a broadcast being written; else says there is nothing to cancel
            case .text where queue.editors.isEditing(event.user.id), .attachment where queue.editors.isEditing(event.user.id):
                queue.push(event)  // an editor dialog's answer
            default:
                passed.append(event)
            }
        }
        guard !passed.isEmpty else { return ChatOutcome(state: nil, effects: []) }
        var outcome = inner.handle(passed, stored: stored, now: now)
        outcome.effects.removeAll { starts.contains($0.updateId) }
        return outcome
    }
}

/// Callback data of the desk's buttons: `mc:<verb>:<argument>`, ≤ 64 bytes.
enum DeskCallback {
    static let prefix = "mc:"

    static func encode(_ verb: String, _ argument: String) -> String { "\(prefix)\(verb):\(argument)" }

    static func decode(_ data: String) -> (verb: String, argument: String)? {
        let parts = data.split(separator: ":", omittingEmptySubsequences: false)
        guard data.utf8.count <= 64, parts.count == 3, parts[0] == "mc", !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        return (String(parts[1]), String(parts[2]))
    }
}

/// The manager bot's creator desk (contract §5): creators' accounts (`open` or `invite` with
/// admin approval), `/courses` with Publish/Unpublish, Statistics and Connect bot, connecting a
/// course bot by pasting its token (checked with getMe, stored, its worker started at once),
/// `/disconnect`. Every action checks that the course is the user's (admins: every course) and
/// every change is written to the audit log.
struct ManagerDesk: Sendable {
    let platform: PlatformStore
    let managerBotId: Int64
    let client: any BotAPIClient
    let clientFor: @Sendable (BotToken) -> any BotAPIClient
    let admins: Set<Int64>
    let creatorsPolicy: BotsConfig.CreatorsPolicy
    let courses: CourseRegistry
    let flags: PublishFlags
    let bots: ConnectedBots
    /// Bot ids this install already runs from bots.yaml (the manager included).
    let configuredBotIds: Set<Int64>
    let queue: DeskQueue
    let catalog: LocaleCatalog
    let logger: Logger
    let now: @Sendable () -> Double
    /// Courses built in chat (nil: authoring is off).
    var authoring: AuthoringService? = nil

    /// `digits:secret`, as @BotFather gives it.
    static func looksLikeToken(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let colon = trimmed.firstIndex(of: ":") else { return false }
        let id = trimmed[..<colon]
        let secret = trimmed[trimmed.index(after: colon)...]
        return (3...20).contains(id.count) && id.allSatisfy(\.isASCII) && id.allSatisfy(\.isNumber)
            && secret.count >= 8 && secret.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    func run(stop: Signal) async {
        while !stop.isRung {
            for event in queue.takeAll() {
                do {
                    try await handle(event)
                } catch {
                    logger.warning("manager desk action failed", metadata: ["error": "\(redactTokens(String(describing: error)))"])
                }
            }
            await queue.bell.wait(orUntil: stop)
        }
    }

    func handle(_ event: ChatEvent) async throws {
        let user = event.user.id
        switch event.kind {
        case .command("start", _):
            try await start(event)
        case .command("courses", _):
            guard try await isCreator(event) else { return }
            try await listCourses(event)
        case .command("connect", let arguments):
            if let token = Self.token(in: arguments) {
                try await paste(token, event)
            } else {
                guard try await isCreator(event) else { return }
                try await chooseCourseToConnect(event)
            }
        case .command("disconnect", _):
            guard try await isCreator(event) else { return }
            try await listConnected(event)
        case .command("broadcast", _):
            guard try await isCreator(event) else { return }
            try await chooseCourseToBroadcast(event)
        case .text(let text) where broadcasts.writing(user: user) != nil && Self.token(in: text) == nil:
            try await draftBroadcast(text, event)
        case .command("cancel", _) where !queue.editors.isEditing(user) && broadcasts.stopWriting(user: user) != nil:
            try await reply(event, "broadcast.cancelled")
        case .command("newcourse", _), .command("cancel", _), .attachment:
            try await editorEvent(event)
        case .text(let text) where queue.editors.isEditing(user) && Self.token(in: text) == nil:
            try await editorEvent(event)
        case .text(let text):
            try await paste(Self.token(in: text) ?? text, event)
        case .callback(_, let data, _) where Self.isReviewButton(data):
            try await auditReviewPress(data, event)
        case .callback(let queryId, let data, _):
            try await press(data, queryId: queryId, event)
        case .managedBot(let botId, let username):
            try await managedBotChanged(botId: botId, username: username, event)
        default:
            logger.debug("manager desk ignores an event", metadata: ["user": "\(user)"])
        }
    }

    // MARK: Accounts

    func isAdmin(_ user: Int64) -> Bool { admins.contains(user) }

    /// Admins and the creators named in course.yaml are creators without asking.
    func isKnownCreator(_ user: Int64) -> Bool {
        isAdmin(user) || courses.values.contains { $0.course.creator == user }
    }

    func mayManage(_ user: Int64, slug: String) -> Bool {
        isAdmin(user) || courses[slug]?.course.creator == user
    }

    func manageable(by user: Int64) -> [ManagedCourse] {
        courses.values.filter { mayManage(user, slug: $0.course.slug) }.sorted { $0.course.slug < $1.course.slug }
    }

    /// True for an active creator; otherwise tells the user why not.
    func isCreator(_ event: ChatEvent) async throws -> Bool {
        let user = event.user.id
        if isKnownCreator(user) { return true }
        switch try await platform.creator(userId: user)?.status {
        case .active: return true
        case .pending: try await reply(event, "desk.pending")
        case .rejected: try await reply(event, "desk.rejected")
        case nil: try await reply(event, "desk.start_first")
        }
        return false
    }

    func start(_ event: ChatEvent) async throws {
        let user = event.user.id
        let name = [event.user.firstName, event.user.username.map { "@\($0)" }].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        if isKnownCreator(user) {
            let (_, inserted) = try await platform.addCreator(userId: user, name: name, status: .active, now: now())
            if inserted { try await platform.audit(actorId: user, action: "creator.register", subject: String(user), details: isAdmin(user) ? "admin" : "course creator", now: now()) }
            try await reply(event, "desk.welcome")
            return
        }
        let status: CreatorRecord.Status = creatorsPolicy == .open ? .active : .pending
        let (record, inserted) = try await platform.addCreator(userId: user, name: name, status: status, now: now())
        if inserted {
            try await platform.audit(actorId: user, action: status == .active ? "creator.register" : "creator.request", subject: String(user), details: name, now: now())
        }
        switch record.status {
        case .active:
            try await reply(event, "desk.welcome")
        case .rejected:
            try await reply(event, "desk.rejected")
        case .pending:
            try await reply(event, "desk.pending")
            if inserted {
                for admin in admins.sorted() {
                    let buttons = [[
                        InlineKeyboardButton.callback(text("desk.approve", "en"), data: DeskCallback.encode("ca", String(user))),
                        InlineKeyboardButton.callback(text("desk.reject", "en"), data: DeskCallback.encode("cr", String(user))),
                    ]]
                    try? await send(chatId: admin, html: escaped("desk.creator_request", "en", ["name": name, "id": String(user)]), buttons: buttons)
                }
            }
        }
    }

    /// An admin approves or rejects a pending creator.
    func decideCreator(_ argument: String, approve: Bool, queryId: String, _ event: ChatEvent) async throws {
        let admin = event.user.id
        guard isAdmin(admin) else {
            try await platform.audit(actorId: admin, action: "denied", subject: "creator \(argument)", details: "not an admin", now: now())
            return try await answer(queryId, text("desk.not_yours", locale(event)), alert: true)
        }
        guard let user = Int64(argument), try await platform.decideCreator(userId: user, approve: approve, by: admin, now: now()) else {
            return try await answer(queryId, text("desk.already_decided", locale(event)), alert: false)
        }
        try await platform.audit(actorId: admin, action: approve ? "creator.approve" : "creator.reject", subject: String(user), details: nil, now: now())
        try await answer(queryId, nil, alert: false)
        try await send(chatId: event.chatId, html: escaped(approve ? "desk.creator_approved" : "desk.creator_rejected", locale(event), ["id": String(user)]))
        try? await send(chatId: user, html: escaped(approve ? "desk.you_are_approved" : "desk.rejected", "en"))
    }

    // MARK: Sending

    func locale(_ event: ChatEvent) -> String {
        let primary = event.user.languageCode?.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? "en"
        return catalog.hasLocale(primary) ? primary : "en"
    }

    func text(_ key: String, _ locale: String, _ arguments: [String: String] = [:]) -> String {
        catalog.text(key, locale: locale, arguments)
    }

    func escaped(_ key: String, _ locale: String, _ arguments: [String: String] = [:]) -> String {
        TelegramHTML.escape(text(key, locale, arguments))
    }

    func reply(_ event: ChatEvent, _ key: String, _ arguments: [String: String] = [:]) async throws {
        try await send(chatId: event.chatId, html: escaped(key, locale(event), arguments))
    }

    /// Sends `html` (split into several messages when over Telegram's 4,096 characters, the
    /// buttons under the last one: a creator's long text never makes the answer fail).
    func send(chatId: Int64, html: String, buttons: [[InlineKeyboardButton]] = []) async throws {
        let markup: ReplyMarkup? = buttons.isEmpty ? nil : .inlineKeyboard(InlineKeyboardMarkup(inlineKeyboard: buttons))
        let parts = MessageSplitter.split(html: html)
        for (index, part) in parts.enumerated() {
            _ = try await client.call(SendMessage(chatId: .id(chatId), text: part, parseMode: .html, replyMarkup: index == parts.count - 1 ? markup : nil))
        }
    }

    func answer(_ queryId: String, _ text: String?, alert: Bool) async throws {
        _ = try await client.call(AnswerCallbackQuery(callbackQueryId: queryId, text: text, showAlert: alert ? true : nil))
    }

    /// Removes any connected bot's token from a text bound for the log.
    func redactTokens(_ text: String) -> String {
        bots.tokens().reduce(text) { $1.redact($0) }
    }
}
