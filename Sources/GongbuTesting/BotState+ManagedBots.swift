import Foundation

/// A bot a scripted user created for a managing bot (Managed Bots, Bot API 9.6+).
struct ManagedBotRecord: Sendable {
    /// The managing bot's id: only it may fetch or replace the token.
    var managerId: Int64
    var ownerId: Int64
    /// The current token (earlier ones are revoked).
    var token: String
}

/// A `reply_markup` that shows a reply keyboard (its rows) or removes it (nil).
struct ReplyKeyboardChange {
    var rows: [[JSONValue]]?
}

/// Failures of the emulator's managed-bot actions (not Bot API answers).
public enum ManagedBotError: Error, Equatable, CustomStringConvertible {
    case noSuchButton(label: String, available: [String])
    case usernameTaken(String)
    case notManaged(botId: Int64)

    public var description: String {
        switch self {
        case .noSuchButton(let label, let available):
            return "no request_managed_bot button \"\(label)\" on the chat's reply keyboard; buttons: "
                + (available.isEmpty ? "none" : available.map { "\"\($0)\"" }.joined(separator: ", "))
        case .usernameTaken(let username): return "the username @\(username) is taken"
        case .notManaged(let botId): return "bot \(botId) is not a managed bot"
        }
    }
}

extension BotState {
    /// Reads a reply keyboard (or its removal) from `reply_markup`, checking its buttons the way
    /// Telegram does; nil for no markup or an inline keyboard.
    func replyKeyboardChange(_ p: RequestParameters) throws(BotAPIError) -> ReplyKeyboardChange? {
        guard let raw = p["reply_markup"], let markup = raw.structured, case .object(let members) = markup.withoutNulls else { return nil }
        if members["remove_keyboard"]?.boolValue == true { return ReplyKeyboardChange(rows: nil) }
        guard let keyboard = members["keyboard"] else { return nil }
        guard let rows = keyboard.arrayValue else {
            throw .badRequest("field \"keyboard\" of the ReplyKeyboardMarkup must be an Array")
        }
        var requestIds: Set<Int64> = []
        var result: [[JSONValue]] = []
        for row in rows {
            guard let buttons = row.arrayValue else {
                throw .badRequest("field \"keyboard\" of the ReplyKeyboardMarkup must be an Array of Arrays")
            }
            var normalized: [JSONValue] = []
            for button in buttons {
                let object: JSONValue = button.stringValue.map { ["text": .string($0)] } ?? button
                guard let text = object["text"]?.stringValue, !text.isEmpty else { throw .badRequest("BUTTON_TEXT_INVALID") }
                if let request = object["request_managed_bot"] {
                    guard let id = request["request_id"]?.intValue, (Int64(Int32.min)...Int64(Int32.max)).contains(id) else {
                        throw .badRequest("BUTTON_ID_INVALID")
                    }
                    guard requestIds.insert(id).inserted else { throw .badRequest("BUTTON_ID_INVALID") }
                    if let username = request["suggested_username"]?.stringValue, !Self.isValidBotUsername(username) {
                        throw .badRequest("BOT_USERNAME_INVALID")
                    }
                    if let name = request["suggested_name"]?.stringValue, !(1...64).contains(name.count) {
                        throw .badRequest("BOT_NAME_INVALID")
                    }
                }
                normalized.append(object)
            }
            result.append(normalized)
        }
        return result.allSatisfy(\.isEmpty) ? nil : ReplyKeyboardChange(rows: result)
    }

    /// Telegram's rule for bot usernames: 5–32 of `a-z A-Z 0-9 _`, a letter first, ending in `bot`.
    static func isValidBotUsername(_ username: String) -> Bool {
        (5...32).contains(username.count) && username.first?.isLetter == true && username.lowercased().hasSuffix("bot")
            && username.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}

/// Managed Bots in the emulator: a scripted user creates a bot from the managing bot's
/// `request_managed_bot` button (a new emulated bot with a fresh token, announced to the
/// managing bot by a `managed_bot` update and a `managed_bot_created` message), the managing bot
/// fetches and replaces its token (`getManagedBotToken`, `replaceManagedBotToken`: 400 for any
/// other bot), and the owner may rotate it as @BotFather would.
extension BotAPIEmulator {
    /// The user presses the reply-keyboard button `label` (of type `request_managed_bot`) in
    /// their chat with the managing bot and creates the bot, named `username` (default: the
    /// button's suggested username). Returns the new bot, which answers requests at once.
    @discardableResult
    public func createManagedBot(by user: ScriptedUser, pressing label: String, username: String? = nil) throws -> EmulatedBot {
        let manager = user.bot
        let request = try manager.state.withLock { state throws -> JSONValue in
            let buttons = (state.chats[user.chatId]?.replyKeyboard ?? []).flatMap { $0 }
            guard let request = buttons.first(where: { $0["text"]?.stringValue == label })?["request_managed_bot"] else {
                throw ManagedBotError.noSuchButton(label: label, available: buttons.compactMap { $0["text"]?.stringValue })
            }
            return request
        }
        let bot = try registry.withLock { registry throws -> EmulatedBot in
            var id: Int64 = 8_800_001 + Int64(registry.managedBots.count)
            while registry.managedBots[id] != nil || registry.bots.values.contains(where: { $0.id == id }) { id += 1 }
            let name = username ?? request["suggested_username"]?.stringValue ?? "managed_\(id)_bot"
            guard BotState.isValidBotUsername(name), !registry.bots.values.contains(where: { $0.username.lowercased() == name.lowercased() }) else {
                throw ManagedBotError.usernameTaken(name)
            }
            let token = Self.newManagedToken(id: id, kind: "managed")
            var settings = configuration
            settings.rateLimits = registry.rateLimits
            let bot = EmulatedBot(token: token, username: name, configuration: settings)
            registry.bots[token] = bot
            registry.managedBots[id] = ManagedBotRecord(managerId: manager.id, ownerId: user.id, token: token)
            return bot
        }
        if let name = request["suggested_name"]?.stringValue {
            bot.state.withLock { $0.profile.names[""] = name }
        }
        let resumptions = manager.state.withLock { state -> [() -> Void] in
            state.chats[user.chatId]?.replyKeyboard = nil
            var resumptions = state.userMessage(user.profile, content: ["managed_bot_created": ["bot": bot.userJSON]]).1
            resumptions += state.enqueue(kind: "managed_bot", ["user": user.profile.json, "bot": bot.userJSON])
            return resumptions
        }
        resumptions.forEach { $0() }
        return bot
    }

    /// The owner revokes the managed bot's token in @BotFather: a new token replaces it (the old
    /// one answers 401 from now on) and the managing bot gets a `managed_bot` update.
    @discardableResult
    public func rotateManagedBotToken(botId: Int64) throws -> String {
        guard let token = replaceManagedToken(botId: botId, managerId: nil) else { throw ManagedBotError.notManaged(botId: botId) }
        return token
    }

    /// The managed bot's current token, if `botId` is a managed bot.
    public func managedBotToken(botId: Int64) -> String? {
        registry.withLock { $0.managedBots[botId]?.token }
    }

    /// Whether calls with `token` answer 401 (revoked, e.g. replaced).
    public func isRevoked(token: String) -> Bool {
        registry.withLock { $0.revoked.contains(token) }
    }

    /// Answers getManagedBotToken and replaceManagedBotToken (nil for any other method).
    func answerManagedBotMethod(_ method: String, parameters: RequestParameters, bot: EmulatedBot) -> MethodOutcome? {
        let name = method.lowercased()
        guard name == "getmanagedbottoken" || name == "replacemanagedbottoken" else { return nil }
        let outcome: MethodOutcome
        if let userId = parameters.int("user_id") {
            let token: String? = if name == "getmanagedbottoken" {
                registry.withLock { registry in
                    registry.managedBots[userId].flatMap { $0.managerId == bot.id ? $0.token : nil }
                }
            } else {
                replaceManagedToken(botId: userId, managerId: bot.id)
            }
            outcome = token.map { .result(.string($0)) } ?? .failure(.badRequest("BOT_NOT_MANAGED"))
        } else {
            outcome = .failure(.badRequest("USER_ID_INVALID"))
        }
        bot.record(method: method, parameters: parameters, outcome: outcome)
        return outcome
    }

    /// Replaces a managed bot's token (only by its managing bot when `managerId` is given): the
    /// same emulated bot answers the new token, the old one is revoked and its waiting poll
    /// ended, and the managing bot gets a `managed_bot` update. Nil when not allowed.
    private func replaceManagedToken(botId: Int64, managerId: Int64?) -> String? {
        let found = registry.withLock { registry -> (EmulatedBot, EmulatedBot?, Int64, String)? in
            guard var record = registry.managedBots[botId], managerId == nil || record.managerId == managerId,
                let bot = registry.bots[record.token]
            else { return nil }
            let token = Self.newManagedToken(id: botId, kind: "rotated")
            registry.revoked.insert(record.token)
            registry.bots[token] = bot
            record.token = token
            registry.managedBots[botId] = record
            let manager = registry.bots.first { $0.value.id == record.managerId && !registry.revoked.contains($0.key) }?.value
            return (bot, manager, record.ownerId, token)
        }
        guard let (bot, manager, ownerId, token) = found else { return nil }
        bot.finishAllPolls()
        if let manager {
            let resumptions = manager.state.withLock { state -> [() -> Void] in
                let owner = state.chats[ownerId]?.user ?? UserProfile(id: ownerId, firstName: "Owner")
                return state.enqueue(kind: "managed_bot", ["user": owner.json, "bot": bot.userJSON])
            }
            resumptions.forEach { $0() }
        }
        return token
    }

    /// A made-up token for an emulated managed bot (never a real-looking one).
    private static func newManagedToken(id: Int64, kind: String) -> String {
        "\(id):EMU-\(kind)-" + UUID().uuidString.prefix(8).lowercased()
    }
}
