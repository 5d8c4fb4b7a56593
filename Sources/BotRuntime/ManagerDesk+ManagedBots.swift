import CourseModel
import Foundation
import SceneEngine
import Storage
import TelegramBotAPI
import TelegramClient

/// Managed Bots (Bot API 9.6+) in the manager bot: Connect offers a `request_managed_bot`
/// reply-keyboard button (the course title as the suggested name, a username from the slug)
/// beside the paste-a-token fallback; on the `managed_bot` update the token is fetched with
/// `getManagedBotToken` and the bot is bound and started exactly like a pasted one; a token
/// rotated with "🔄 Rotate token" (`replaceManagedBotToken`) or changed in @BotFather (a new
/// `managed_bot` update) is stored and the bot's worker restarted with it, live.
extension ManagerDesk {
    /// The Connect answer: the "create a bot" button and the paste-a-token fallback, remembered
    /// (in the platform database) as the course this creator is connecting.
    func offerManagedBot(_ entry: ManagedCourse, _ event: ChatEvent) async throws {
        let locale = locale(event)
        let title = entry.course.title
        try await platform.requestManagedBot(userId: event.user.id, courseSlug: entry.course.slug, now: now())
        let request = KeyboardButtonRequestManagedBot(
            requestId: 1, suggestedName: String(title.prefix(64)),
            suggestedUsername: KeyboardButtonRequestManagedBot.suggestedUsername(from: entry.course.slug))
        let keyboard = ReplyKeyboardMarkup(
            keyboard: [[KeyboardButton(text: text("managed.create_button", locale), requestManagedBot: request)]],
            resizeKeyboard: true, oneTimeKeyboard: true)
        let html = escaped("managed.offer", locale, ["course": title]) + "\n\n" + escaped("desk.send_token", locale, ["course": title])
        try enqueue(SendMessage(chatId: .id(event.chatId), text: html, parseMode: .html, replyMarkup: .replyKeyboard(keyboard)), chatId: event.chatId)
    }

    /// Telegram's `managed_bot` update: a bot the user just created for the course they were
    /// connecting, or a managed bot whose token changed.
    func managedBotChanged(botId: Int64, username: String?, _ event: ChatEvent) async throws {
        let user = event.user.id
        let stored = try await platform.connectedBots().first(where: { $0.botId == botId })
        if let done = stored, let key = step("bot.connect"), try await platform.wasApplied(key), let entry = courses[done.courseSlug] {
            // A replay after a crash: this very update connected the bot; it is answered, not repeated.
            if !bots.isConnected(botId: botId) {
                _ = bots.start(BotIdentity(token: BotToken(done.token), courseSlug: done.courseSlug, username: done.username))
            }
            try await auditOnce("bot.connect", actorId: user, subject: done.courseSlug, details: "@\(done.username ?? "?") (managed, \(BotToken(done.token).redacted))")
            let html = escaped("desk.connected", locale(event), ["username": "@\(done.username ?? String(botId))", "course": entry.course.title])
            return try enqueue(
                SendMessage(chatId: .id(event.chatId), text: html, parseMode: .html, replyMarkup: .removeKeyboard(ReplyKeyboardRemove())), chatId: event.chatId)
        }
        if let connected = stored {
            return try await refreshToken(of: connected, actor: user)
        }
        guard !configuredBotIds.contains(botId), !bots.isConnected(botId: botId) else {
            logger.info("a managed_bot update names a bot this install already runs", metadata: ["bot_id": "\(botId)"])
            return
        }
        let requested = try await platform.managedBotRequest(userId: user)
        guard let slug = requested ?? queue.awaitedCourse(user: user), let entry = courses[slug] else {
            return try await reply(event, "managed.no_course", ["username": "@\(username ?? String(botId))"])
        }
        guard mayManage(user, slug: slug), try await isCreatorQuietly(user) else {
            try await auditOnce("denied", actorId: user, subject: slug, details: "managed bot \(botId)")
            return try await reply(event, "desk.not_yours")
        }
        let token: BotToken
        do {
            token = BotToken(try await client.call(GetManagedBotToken(userId: botId)))
        } catch let error as BotAPIError where error.isRetryable {
            throw error  // Telegram or the network is down: the job is tried again (the call changes nothing)
        } catch {
            logger.warning("getManagedBotToken failed", metadata: ["bot_id": "\(botId)", "error": "\(redactTokens(String(describing: error)))"])
            return try await reply(event, "managed.token_failed", ["username": "@\(username ?? String(botId))"])
        }
        guard token.isWellFormed, token.botId == botId else {
            logger.warning("getManagedBotToken returned a token of another bot", metadata: ["bot_id": "\(botId)"])
            return try await reply(event, "managed.token_failed", ["username": "@\(username ?? String(botId))"])
        }
        let record = ConnectedBot(botId: botId, token: token.secret, username: username, courseSlug: slug, connectedBy: user, connectedAt: now())
        guard try await platform.connectManagedBot(record, actionKey: step("bot.connect"), now: now()) else {
            return try await reply(event, "desk.token_in_use")
        }
        try await platform.registerBot(botId: botId, username: username, courseSlug: slug, now: now())
        queue.awaitToken(user: user, slug: nil)
        _ = bots.start(BotIdentity(token: token, courseSlug: slug, username: username))
        try await auditOnce("bot.connect", actorId: user, subject: slug, details: "@\(username ?? "?") (managed, \(token.redacted))")
        await introduce(clientFor(token), entry.course)
        let html = escaped("desk.connected", locale(event), ["username": "@\(username ?? String(botId))", "course": entry.course.title])
        try enqueue(SendMessage(chatId: .id(event.chatId), text: html, parseMode: .html, replyMarkup: .removeKeyboard(ReplyKeyboardRemove())), chatId: event.chatId)
    }

    /// A connected bot's token as Telegram has it now: when it changed, it is stored and the
    /// bot's worker restarted with it.
    func refreshToken(of bot: ConnectedBot, actor: Int64) async throws {
        let token: BotToken
        do {
            token = BotToken(try await client.call(GetManagedBotToken(userId: bot.botId)))
        } catch {
            logger.info("getManagedBotToken refused for a connected bot", metadata: ["bot_id": "\(bot.botId)", "error": "\(redactTokens(String(describing: error)))"])
            return
        }
        guard token.botId == bot.botId, token.secret != bot.token else { return }
        try await switchToken(of: bot, to: token, actor: actor, action: "bot.token_updated")
    }

    /// Stores the new token and restarts the bot's worker with it (stop, then start through the supervisor).
    func switchToken(of bot: ConnectedBot, to token: BotToken, actor: Int64, action: String) async throws {
        let changed = try await platform.replaceConnectedBotToken(botId: bot.botId, token: token.secret, actionKey: step("bot.token_stored"), now: now())
        bots.stop(botId: bot.botId)
        _ = bots.start(BotIdentity(token: token, courseSlug: bot.courseSlug, username: bot.username))
        guard changed else { return }
        try await auditOnce(action, actorId: actor, subject: bot.courseSlug, details: "@\(bot.username ?? String(bot.botId)) (\(token.redacted))")
        logger.info("a connected bot's token changed; its worker restarted", metadata: ["bot": "\(token.redacted)"])
    }

    /// "🔄 Rotate token" under a managed bot: a new token from `replaceManagedBotToken`, the old
    /// worker stopped first (its token dies), the new one started at once.
    func rotateToken(_ argument: String, queryId: String, _ event: ChatEvent) async throws {
        let user = event.user.id
        let locale = locale(event)
        guard let botId = Int64(argument), let bot = try await platform.connectedBots().first(where: { $0.botId == botId }),
            try await platform.managedBotIds().contains(botId)
        else { return try await answer(queryId, text("desk.stale", locale), alert: false) }
        guard mayManage(user, slug: bot.courseSlug), try await isCreatorQuietly(user) else {
            return try await refuse(queryId, user: user, subject: bot.courseSlug, data: DeskCallback.encode("rt", argument), locale)
        }
        try await answer(queryId, nil, alert: false)
        let name = "@\(bot.username ?? String(botId))"
        if let stored = step("bot.token_stored"), try await platform.wasApplied(stored) {
            // A replay after a crash: this press already rotated and stored the token.
            return try await reply(event, "managed.rotated", ["username": name])
        }
        // Marked before asking Telegram: a replay knows the token may have been replaced already.
        var asked = false
        if let key = step("bot.rotate_asked") { asked = try await !platform.markApplied(key, now: now()) }
        bots.stop(botId: botId)
        let token: BotToken
        do {
            // A replay takes the token Telegram has now when it is new, rather than replacing it twice.
            let current: String? = asked ? try await client.call(GetManagedBotToken(userId: botId)) : nil
            if let current, current != bot.token {
                token = BotToken(current)
            } else {
                token = BotToken(try await client.call(ReplaceManagedBotToken(userId: botId)))
            }
        } catch {
            _ = bots.start(BotIdentity(token: BotToken(bot.token), courseSlug: bot.courseSlug, username: bot.username))
            if let apiError = error as? BotAPIError, apiError.isRetryable { throw apiError }  // tried again by the job runner
            logger.warning("replaceManagedBotToken failed", metadata: ["bot_id": "\(botId)", "error": "\(redactTokens(String(describing: error)))"])
            return try await reply(event, "managed.rotate_failed", ["username": name])
        }
        guard token.botId == botId else {
            _ = bots.start(BotIdentity(token: BotToken(bot.token), courseSlug: bot.courseSlug, username: bot.username))
            return try await reply(event, "managed.rotate_failed", ["username": name])
        }
        try await switchToken(of: bot, to: token, actor: user, action: "bot.token_rotated")
        try await reply(event, "managed.rotated", ["username": name])
    }

    /// The "🔄 Rotate token" buttons of a course card: one per managed bot among `connected`.
    func rotateButtons(_ connected: [ConnectedBot], locale: String) async throws -> [[InlineKeyboardButton]] {
        guard !connected.isEmpty else { return [] }
        let managed = try await platform.managedBotIds()
        return connected.filter { managed.contains($0.botId) }.map { bot in
            [.callback(text("managed.rotate", locale, ["username": "@\(bot.username ?? String(bot.botId))"]), data: DeskCallback.encode("rt", String(bot.botId)))]
        }
    }
}
