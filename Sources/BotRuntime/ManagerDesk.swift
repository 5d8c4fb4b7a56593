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

/// What the desk keeps in memory beside the platform database: who is about to paste a token
/// for which course (the platform database keeps it too, for a restart), broadcasts being
/// written, and who is in an editor dialog (restored from the platform database at start). The
/// handler reads it to know which texts go to the desk.
final class DeskQueue: Sendable {
    private let state = Mutex<[Int64: String]>([:])
    let broadcasts = BroadcastBoard()
    let editors = EditorMirror()

    func awaitToken(user: Int64, slug: String?) {
        state.withLock { $0[user] = slug }
    }

    func awaitedCourse(user: Int64) -> String? {
        state.withLock { $0[user] }
    }
}

/// The messages one desk action sends, collected while it runs and written to the manager
/// bot's outbox in one transaction with the action's end (its job marked done), so the sender
/// paces them, retries them and honours 429s; never a direct `client.call`.
final class DeskOutbox: Sendable {
    private let rows = Mutex<[NewOutboxRow]>([])

    func add(_ row: NewOutboxRow) {
        rows.withLock { $0.append(row) }
    }

    func take() -> [NewOutboxRow] {
        rows.withLock { rows in
            defer { rows.removeAll() }
            return rows
        }
    }
}

/// The manager bot's handler: creators' commands, buttons and pasted tokens go to the desk
/// (they need the network and the platform database) as durable `desk.event` jobs written in
/// the batch's transaction with their update ids, so a crash after the commit never loses a
/// creator's command; the rest (reviews, refunds) stays with the pure `ManagerScene`, which
/// also sees `/start` to mark the chat reachable.
struct ManagerDeskHandler: ChatHandler {
    let inner: any ChatHandler
    let queue: DeskQueue
    /// The manager bot (part of each job's idempotency key).
    let botId: Int64

    func handle(_ events: [ChatEvent], stored: Data?, now: Double) -> ChatOutcome {
        var passed: [ChatEvent] = []
        var starts: Set<Int64> = []
        var jobs: [NewJobRow] = []
        var deletions: [(effect: Effect, updateId: Int64)] = []
        func toDesk(_ event: ChatEvent) { jobs.append(ManagerDesk.job(for: event, botId: botId)) }
        for event in events {
            let user = event.user.id
            // A message holding a bot token is deleted at once, in this batch, before the desk even looks at it.
            if let messageId = event.messageId, DeskRoute.holdsToken(event) {
                deletions.append((.deleteMessage(messageId: messageId), event.updateId))
            }
            switch DeskRoute.of(event, editing: queue.editors.isEditing(user), writingBroadcast: queue.broadcasts.writing(user: user) != nil) {
            case .desk:
                toDesk(event)
            case .scene:
                passed.append(event)
            case .both(let sceneAnswers):
                toDesk(event)
                passed.append(event)
                if !sceneAnswers { starts.insert(event.updateId) }
            }
        }
        guard !passed.isEmpty else {
            var outcome = ChatOutcome(state: nil, effects: deletions)
            outcome.records.jobs = jobs
            return outcome
        }
        var outcome = inner.handle(passed, stored: stored, now: now)
        outcome.effects.removeAll { starts.contains($0.updateId) }
        outcome.effects = deletions + outcome.effects
        outcome.records.jobs += jobs
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
    /// Rung when rows were written to the manager bot's outbox outside a batch.
    var outboxBell: Signal? = nil
    /// `http.public_url`: `/courses` cards open the Mini App at `<publicURL>/app` (nil: no button).
    var publicURL: String? = nil
    /// Where the messages of the action being run go (one collector per job).
    var outbox = DeskOutbox()
    /// The idempotency key of the job being run (nil outside a job): the name of its steps
    /// recorded as applied, so a replay after a crash does not apply them twice.
    var jobKey: String? = nil

    /// `digits:secret`, as @BotFather gives it.
    static func looksLikeToken(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let colon = trimmed.firstIndex(of: ":") else { return false }
        let id = trimmed[..<colon]
        let secret = trimmed[trimmed.index(after: colon)...]
        return (3...20).contains(id.count) && id.allSatisfy(\.isASCII) && id.allSatisfy(\.isNumber)
            && secret.count >= 8 && secret.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// The job kind of a creator's event handed over by `ManagerDeskHandler`.
    static let eventJob = "desk.event"

    /// The durable job carrying `event` to the desk: one lane per chat, keyed by the update.
    static func job(for event: ChatEvent, botId: Int64) -> NewJobRow {
        NewJobRow(
            kind: eventJob, lane: "chat:\(event.chatId)", payload: (try? JSONEncoder().encode(event)) ?? Data(),
            idempotencyKey: "desk:\(botId):\(event.updateId)")
    }

    /// This desk with a fresh message collector, for one job (or one round of a companion).
    func forJob(_ key: String?) -> ManagerDesk {
        var desk = self
        desk.outbox = DeskOutbox()
        desk.jobKey = key
        return desk
    }

    /// Writes the collected messages to the manager bot's outbox and rings its bell (for work
    /// outside a job, such as the broadcast progress).
    func flush() async throws {
        let rows = outbox.take()
        guard !rows.isEmpty else { return }
        try await platform.chats.commit(BatchCommit(botId: managerBotId, outbox: rows), now: now())
        outboxBell?.ring()
    }

    /// A step of the running job, named for `applied_actions`.
    func step(_ name: String) -> String? { jobKey.map { "\($0):\(name)" } }

    /// An audit line written once per job (a replay after a crash does not write it again).
    func auditOnce(_ action: String, actorId: Int64, subject: String?, details: String?) async throws {
        guard let key = step("audit:\(action)") else {
            return try await platform.audit(actorId: actorId, action: action, subject: subject, details: details, now: now())
        }
        try await platform.markApplied(key, audit: (actorId, action, subject, details), now: now())
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
            if inserted { try await auditOnce("creator.register", actorId: user, subject: String(user), details: isAdmin(user) ? "admin" : "course creator") }
            try await reply(event, "desk.welcome")
            return
        }
        let status: CreatorRecord.Status = creatorsPolicy == .open ? .active : .pending
        let (record, inserted) = try await platform.addCreator(userId: user, name: name, status: status, now: now())
        if inserted {
            try await auditOnce(status == .active ? "creator.register" : "creator.request", actorId: user, subject: String(user), details: name)
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
            try await auditOnce("denied", actorId: admin, subject: "creator \(argument)", details: "not an admin")
            return try await answer(queryId, text("desk.not_yours", locale(event)), alert: true)
        }
        guard let user = Int64(argument), try await platform.decideCreator(userId: user, approve: approve, by: admin, now: now()) else {
            return try await answer(queryId, text("desk.already_decided", locale(event)), alert: false)
        }
        try await auditOnce(approve ? "creator.approve" : "creator.reject", actorId: admin, subject: String(user), details: nil)
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
            try enqueue(SendMessage(chatId: .id(chatId), text: part, parseMode: .html, replyMarkup: index == parts.count - 1 ? markup : nil), chatId: chatId)
        }
    }

    func answer(_ queryId: String, _ text: String?, alert: Bool) async throws {
        try enqueue(AnswerCallbackQuery(callbackQueryId: queryId, text: text, showAlert: alert ? true : nil), chatId: 0, urgent: true)
    }

    /// Adds a call to this action's messages (sent by the manager bot's outbox sender).
    func enqueue<M: BotMethod>(_ method: M, chatId: Int64, urgent: Bool = false) throws {
        let encoded = try method.encoded()
        outbox.add(NewOutboxRow(chatId: chatId, method: encoded.name, payload: encoded.json, urgent: urgent))
    }

    /// Removes any connected bot's token from a text bound for the log.
    func redactTokens(_ text: String) -> String {
        bots.tokens().reduce(text) { $1.redact($0) }
    }
}
