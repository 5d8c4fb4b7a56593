import Foundation

/// One bot registered in the emulator: its update queue, chats, files, payments and call log.
///
/// Exists so tests can reach a bot's emulated Telegram state directly (scripted users,
/// recorded calls, 429 counters) while the HTTP side serves the same state to the bot.
public final class EmulatedBot: Sendable {
    public let token: String
    /// The bot's user id: the numeric prefix of its token.
    public let id: Int64
    public let username: String
    public let firstName: String

    let state: Locked<BotState>
    let conflictPolicy: EmulatorConfiguration.ConflictPolicy
    let preCheckoutTimeout: Duration

    init(token: String, username: String, configuration: EmulatorConfiguration) {
        self.token = token
        self.id = Int64(token.prefix { $0.isNumber }) ?? Int64(abs(token.hashValue % 1_000_000_000))
        self.username = username
        self.firstName = username.hasSuffix("_bot") || username.hasSuffix("bot")
            ? String(username.dropLast(username.hasSuffix("_bot") ? 4 : 3)).capitalized : username
        self.conflictPolicy = configuration.conflictPolicy
        self.preCheckoutTimeout = configuration.preCheckoutTimeout
        var initial = BotState(rateLimits: configuration.rateLimits, recordsCalls: configuration.recordsCalls)
        initial.nextUpdateId = UpdateIdentifiers.first(for: token)
        self.state = Locked(initial)
    }

    /// The token as it may be printed: `123456:***`.
    public var maskedToken: String { "\(id):***" }

    /// The bot as a User object.
    var userJSON: JSONValue {
        ["id": .int(id), "is_bot": true, "first_name": .string(firstName), "username": .string(username)]
    }

    // MARK: Test-facing accessors

    /// A scripted user chatting privately with this bot (chat id == user id).
    public func user(id: Int64, firstName: String, lastName: String? = nil, username: String? = nil, languageCode: String? = "en") -> ScriptedUser {
        let profile = UserProfile(id: id, firstName: firstName, lastName: lastName, username: username, languageCode: languageCode)
        state.withLock { state in
            if state.chats[id] == nil { state.chats[id] = ChatState(user: profile) }
        }
        return ScriptedUser(bot: self, profile: profile)
    }

    /// Every call answered so far, oldest first.
    public var calls: [RecordedCall] { state.withLock { $0.calls } }

    /// Calls of one method (case-insensitive).
    public func calls(method: String) -> [RecordedCall] {
        let wanted = method.lowercased()
        return calls.filter { $0.method.lowercased() == wanted }
    }

    /// Problems of calls refused because they are not in the Bot API schema, oldest first
    /// (e.g. `sendMessage.parseMode: not a field of Bot API 10.1`). Tests assert it stays empty.
    public var schemaViolations: [String] { state.withLock { $0.schemaViolations } }

    /// How many 429 answers the flood limits gave this bot.
    public var tooManyRequestsCount: Int { state.withLock { $0.tooManyRequestsCount } }

    /// Stars payments charged (and maybe refunded).
    public var payments: [PaymentRecord] { state.withLock { $0.payments } }

    /// Commands, names and descriptions the bot set.
    public var profile: BotProfile { state.withLock { $0.profile } }

    /// Updates not yet confirmed by the bot.
    public var pendingUpdateCount: Int { state.withLock { $0.updates.count } }

    /// Whether a getUpdates request is currently waiting.
    public var isPolling: Bool { state.withLock { $0.poll != nil } }

    /// Changes the flood limits at run time (nil disables them).
    public func setRateLimits(_ limits: EmulatorConfiguration.RateLimits?) {
        state.withLock { state in
            state.rateLimits = limits
            state.botBucket = nil
            for id in state.chats.keys { state.chats[id]?.bucket = nil }
        }
    }

    /// Enqueues an arbitrary update; `update_id` is added when missing. Chats named in
    /// `message.chat` / `from` become known so the bot can answer them.
    public func enqueueUpdate(_ update: JSONValue) {
        let resumptions = state.withLock { state -> [() -> Void] in
            guard case .object(var members) = update else {
                return state.enqueueRaw(kind: "unknown", text: update.serialized)
            }
            state.learnChats(from: update)
            let kind = members.keys.first { $0 != "update_id" } ?? "unknown"
            if let id = members["update_id"]?.intValue {
                state.nextUpdateId = max(state.nextUpdateId, id + 1)
                return state.enqueueRaw(kind: kind, id: id, text: update.serialized)
            }
            members["update_id"] = .int(state.nextUpdateId)
            return state.enqueueRaw(kind: kind, text: JSONValue.object(members).serialized)
        }
        resumptions.forEach { $0() }
    }

    /// Enqueues an update given as raw JSON text, even malformed; it is delivered verbatim.
    /// A readable `update_id` in it is honoured (later updates get higher ids).
    public func enqueueRawUpdate(_ text: String) {
        let id = (try? JSONValue.parse(Data(text.utf8)))?["update_id"]?.intValue
        let resumptions = state.withLock { $0.enqueueRaw(kind: "unknown", id: id, text: text) }
        resumptions.forEach { $0() }
    }

    // MARK: Dispatch

    /// Answers one method other than getUpdates.
    func handle(method: String, parameters: RequestParameters) -> MethodOutcome {
        let now = Date()
        let (result, resumptions) = state.withLock { state -> (Result<JSONValue, BotAPIError>, [() -> Void]) in
            var resumptions: [() -> Void] = []
            let result: Result<JSONValue, BotAPIError>
            do throws(BotAPIError) {
                result = .success(try state.perform(method: method.lowercased(), parameters, bot: self, resumptions: &resumptions))
            } catch {
                if error.code == 429 { state.tooManyRequestsCount += 1 }
                result = .failure(error)
            }
            state.record(method: method, parameters: parameters, date: now, result: result)
            return (result, resumptions)
        }
        resumptions.forEach { $0() }
        switch result {
        case .success(let value): return .result(value)
        case .failure(let error): return .failure(error)
        }
    }

    /// Refuses a call that breaks the schema: records its problems and the call, answers 400.
    func refuse(method: String, parameters: RequestParameters, problems: [String], version: String) -> MethodOutcome {
        let error = BotAPIError.schemaViolation(problems, version: version)
        state.withLock { state in
            if state.schemaViolations.count < Self.maxViolations { state.schemaViolations += problems }
            state.record(method: method, parameters: parameters, date: Date(), result: .failure(error))
        }
        return .failure(error)
    }

    /// Kept violations per bot (a runaway benchmark must not grow memory without bound).
    static let maxViolations = 10_000

    /// Records a call answered outside `handle` (getUpdates, injected faults).
    func record(method: String, parameters: RequestParameters, outcome: MethodOutcome, fault: Fault? = nil) {
        state.withLock { state in
            state.record(method: method, parameters: parameters, date: Date(), outcome: outcome, fault: fault)
        }
    }
}

extension BotState {
    mutating func record(method: String, parameters: RequestParameters, date: Date, outcome: MethodOutcome, fault: Fault? = nil) {
        guard recordsCalls else { return }
        switch outcome {
        case .success(let text):
            record(method: method, parameters: parameters, date: date,
                   result: .success((try? JSONValue.parse(Data(text.utf8))) ?? .null), fault: fault)
        case .failure(let error):
            record(method: method, parameters: parameters, date: date, result: .failure(error), fault: fault)
        }
    }

    mutating func record(method: String, parameters: RequestParameters, date: Date, result: Result<JSONValue, BotAPIError>, fault: Fault? = nil) {
        guard recordsCalls else { return }
        let outcome: RecordedCall.Outcome
        var value: JSONValue?
        switch (fault, result) {
        case (let fault?, _): outcome = .fault(fault.label)
        case (nil, .success(let result)):
            outcome = .success
            value = result
        case (nil, .failure(let error)): outcome = .error(code: error.code, description: error.description)
        }
        calls.append(RecordedCall(method: method, parameters: parameters.recorded, date: date, outcome: outcome, result: value))
    }

    /// The method table.
    mutating func perform(method: String, _ p: RequestParameters, bot: EmulatedBot, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        switch method {
        case "getme": return bot.userJSON.merging(["can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false, "can_connect_to_business": false, "has_main_web_app": false])
        case "logout", "close": return true
        case "deletewebhook":
            webhookURL = nil
            if p.bool("drop_pending_updates") { updates.removeAll() }
            return true
        case "setwebhook":
            guard let url = p.string("url"), !url.isEmpty else { webhookURL = nil; return true }
            guard url.hasPrefix("https://") else { throw .badRequest("bad webhook: An HTTPS URL must be provided for webhook") }
            webhookURL = url
            return true
        case "getwebhookinfo":
            return ["url": .string(webhookURL ?? ""), "has_custom_certificate": false, "pending_update_count": .int(Int64(updates.count))]
        case "sendmessage": return try sendMessage(p, bot: bot, resumptions: &resumptions)
        case "editmessagetext": return try editMessageText(p, resumptions: &resumptions)
        case "editmessagecaption": return try editMessageCaption(p, resumptions: &resumptions)
        case "editmessagereplymarkup": return try editMessageReplyMarkup(p, resumptions: &resumptions)
        case "deletemessage": return try deleteMessage(p, resumptions: &resumptions)
        case "answercallbackquery": return try answerCallbackQuery(p, resumptions: &resumptions)
        case "sendphoto": return try sendMedia(kind: .photo, p, bot: bot, resumptions: &resumptions)
        case "sendvideo": return try sendMedia(kind: .video, p, bot: bot, resumptions: &resumptions)
        case "senddocument": return try sendMedia(kind: .document, p, bot: bot, resumptions: &resumptions)
        case "sendaudio": return try sendMedia(kind: .audio, p, bot: bot, resumptions: &resumptions)
        case "sendvoice": return try sendMedia(kind: .voice, p, bot: bot, resumptions: &resumptions)
        case "getfile": return try getFile(p)
        case "sendchataction": return try sendChatAction(p)
        case "sendpoll": return try sendPoll(p, bot: bot, resumptions: &resumptions)
        case "stoppoll": return try stopPoll(p, resumptions: &resumptions)
        case "sendinvoice": return try sendInvoice(p, bot: bot, resumptions: &resumptions)
        case "createinvoicelink": return try createInvoiceLink(p)
        case "answerprecheckoutquery": return try answerPreCheckoutQuery(p, resumptions: &resumptions)
        case "refundstarpayment": return try refundStarPayment(p, resumptions: &resumptions)
        case "setmycommands", "deletemycommands", "getmycommands", "setmyname", "getmyname",
            "setmydescription", "getmydescription", "setmyshortdescription", "getmyshortdescription":
            return try profileMethod(method, p)
        case "setchatmenubutton", "getchatmenubutton": return try menuButtonMethod(method, p)
        default: throw .notFound
        }
    }
}

extension JSONValue {
    func merging(_ other: [String: JSONValue]) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members.merge(other) { _, new in new }
        return .object(members)
    }
}
