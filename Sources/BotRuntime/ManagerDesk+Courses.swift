import CourseFlows
import CourseModel
import Foundation
import SceneEngine
import Storage
import TelegramBotAPI
import TelegramClient

/// `/courses` and its buttons: publish, statistics, connecting and disconnecting course bots.
extension ManagerDesk {
    func listCourses(_ event: ChatEvent) async throws {
        let locale = locale(event)
        let mine = manageable(by: event.user.id)
        guard !mine.isEmpty else { return try await reply(event, "desk.no_courses") }
        let connected = try await platform.connectedBots()
        for entry in mine {
            let slug = entry.course.slug
            let published = flags.isPublished(slug)
            var lines = ["<b>\(TelegramHTML.escape(entry.course.title))</b> · <code>\(TelegramHTML.escape(slug))</code>"]
            lines.append(escaped(published ? "desk.status_published" : "desk.status_unpublished", locale))
            let bots = connected.filter { $0.courseSlug == slug }
            for bot in bots { lines.append(escaped("desk.connected_line", locale, ["username": bot.username.map { "@\($0)" } ?? String(bot.botId)])) }
            var buttons: [[InlineKeyboardButton]] = [[
                .callback(text(published ? "desk.unpublish" : "desk.publish", locale), data: DeskCallback.encode(published ? "unp" : "pub", entry.hash)),
                .callback(text("desk.statistics", locale), data: DeskCallback.encode("st", entry.hash)),
            ], [
                .callback(text("desk.connect", locale), data: DeskCallback.encode("cn", entry.hash)),
                .callback(text("broadcast.button", locale), data: DeskCallback.encode("bc", entry.hash)),
            ]]
            for bot in bots {
                buttons.append([.callback(
                    text("desk.disconnect", locale, ["username": bot.username.map { "@\($0)" } ?? String(bot.botId)]),
                    data: DeskCallback.encode("dc", String(bot.botId)))])
            }
            buttons += try await rotateButtons(bots, locale: locale)
            let (authoringLines, authoringButtons) = authoringCard(entry, locale: locale)
            lines += authoringLines
            buttons = authoringButtons + buttons
            if let app = Self.appURL(publicURL) { buttons.append([.webApp(text("desk.open_in_app", locale), url: app)]) }
            try await send(chatId: event.chatId, html: lines.joined(separator: "\n"), buttons: buttons)
        }
    }

    /// The Mini App of `http.public_url` (nil when none is set).
    static func appURL(_ publicURL: String?) -> String? {
        publicURL.map { "\($0)/app" }
    }

    /// The manager bot's default menu button opening the Mini App, as an outbox row (sent once
    /// at start by its sender, within Telegram's limits).
    static func menuButtonRow(publicURL: String?, label: String) -> NewOutboxRow? {
        guard let app = appURL(publicURL), let encoded = try? SetChatMenuButton(menuButton: .webApp(label, url: app)).encoded() else { return nil }
        return NewOutboxRow(chatId: 0, method: encoded.name, payload: encoded.json)
    }

    func chooseCourseToConnect(_ event: ChatEvent) async throws {
        let mine = manageable(by: event.user.id)
        if mine.count == 1, let only = mine.first { return try await askForToken(only, event) }
        guard !mine.isEmpty else { return try await reply(event, "desk.no_courses") }
        let buttons = mine.map { [InlineKeyboardButton.callback($0.course.title, data: DeskCallback.encode("cn", $0.hash))] }
        try await send(chatId: event.chatId, html: escaped("desk.connect_choose", locale(event)), buttons: buttons)
    }

    func askForToken(_ entry: ManagedCourse, _ event: ChatEvent) async throws {
        queue.awaitToken(user: event.user.id, slug: entry.course.slug)
        try await offerManagedBot(entry, event)
    }

    func listConnected(_ event: ChatEvent) async throws {
        let mine = try await platform.connectedBots().filter { mayManage(event.user.id, slug: $0.courseSlug) }
        guard !mine.isEmpty else { return try await reply(event, "desk.none_connected") }
        let locale = locale(event)
        let buttons = mine.map { bot in
            [InlineKeyboardButton.callback(
                text("desk.disconnect", locale, ["username": bot.username.map { "@\($0)" } ?? String(bot.botId)]),
                data: DeskCallback.encode("dc", String(bot.botId)))]
        }
        try await send(chatId: event.chatId, html: escaped("desk.disconnect_choose", locale), buttons: buttons)
    }

    // MARK: Buttons

    func press(_ data: String, queryId: String, _ event: ChatEvent) async throws {
        let user = event.user.id
        let locale = locale(event)
        guard let (verb, argument) = DeskCallback.decode(data) else {
            return try await answer(queryId, text("desk.stale", locale), alert: false)
        }
        switch verb {
        case "ca", "cr":
            return try await decideCreator(argument, approve: verb == "ca", queryId: queryId, event)
        case "dc":
            guard let botId = Int64(argument), let bot = try await platform.connectedBots().first(where: { $0.botId == botId }) else {
                return try await answer(queryId, text("desk.stale", locale), alert: false)
            }
            guard mayManage(user, slug: bot.courseSlug) else { return try await refuse(queryId, user: user, subject: bot.courseSlug, data: data, locale) }
            try await answer(queryId, nil, alert: false)
            return try await disconnect(bot, event)
        case "rt":
            return try await rotateToken(argument, queryId: queryId, event)
        case "bs", "bx":
            return try await pressBroadcast(verb, argument, queryId: queryId, event)
        case let verb where EditorCallback.isEditorVerb(verb):
            return try await pressEditor(verb, argument, queryId: queryId, event)
        default:
            break
        }
        guard let entry = courses.values.first(where: { $0.hash == argument }) else {
            return try await answer(queryId, text("desk.stale", locale), alert: false)
        }
        let slug = entry.course.slug
        guard mayManage(user, slug: slug), try await isCreatorQuietly(user) else {
            return try await refuse(queryId, user: user, subject: slug, data: data, locale)
        }
        switch verb {
        case "pub", "unp":
            let published = verb == "pub"
            try await setPublished(slug, published)
            try await auditOnce(published ? "course.publish" : "course.unpublish", actorId: user, subject: slug, details: nil)
            try await answer(queryId, nil, alert: false)
            try await reply(event, published ? "desk.published" : "desk.unpublished", ["course": entry.course.title])
        case "st":
            try await answer(queryId, nil, alert: false)
            try await send(chatId: event.chatId, html: try await statistics(entry, locale: locale))
            await sendFunnelChart(entry, chatId: event.chatId, locale: locale)
        case "cn":
            try await answer(queryId, nil, alert: false)
            try await askForToken(entry, event)
        case "bc":
            try await answer(queryId, nil, alert: false)
            try await askForBroadcast(entry, event)
        default:
            try await answer(queryId, text("desk.stale", locale), alert: false)
        }
    }

    /// Publishes or unpublishes a course: stored, and read by its bots on their next batch.
    func setPublished(_ slug: String, _ published: Bool) async throws {
        try await platform.setPublished(courseSlug: slug, published, now: now())
        flags.set(slug, published: published)
    }

    /// An active creator (or admin), without telling anyone.
    func isCreatorQuietly(_ user: Int64) async throws -> Bool {
        if isKnownCreator(user) { return true }
        return try await platform.creator(userId: user)?.status == .active
    }

    /// A press on a course that is not the user's: refused with an alert and audited.
    func refuse(_ queryId: String, user: Int64, subject: String, data: String, _ locale: String) async throws {
        try await auditOnce("denied", actorId: user, subject: subject, details: data)
        try await answer(queryId, text("desk.not_yours", locale), alert: true)
    }

    // MARK: Connecting

    /// A pasted token: the message is deleted at once, then the token is checked and bound.
    /// A pasted token (its message was already deleted by `ManagerDeskHandler`, in the batch).
    func paste(_ raw: String, _ event: ChatEvent) async throws {
        let user = event.user.id
        let token = BotToken(raw)
        if let key = step("bot.connect"), try await platform.wasApplied(key),
            let done = try await platform.connectedBots().first(where: { $0.token == token.secret }), let entry = courses[done.courseSlug]
        {
            // A replay after a crash: this very action connected the bot; it is answered, not repeated.
            if !bots.isConnected(botId: done.botId) { _ = bots.start(BotIdentity(token: token, courseSlug: done.courseSlug, username: done.username)) }
            queue.awaitToken(user: user, slug: nil)
            return try await reply(event, "desk.connected", ["username": "@\(done.username ?? String(done.botId))", "course": entry.course.title])
        }
        // The course Connect was pressed for (kept in the platform database too, for a restart).
        var awaited = queue.awaitedCourse(user: user)
        if awaited == nil { awaited = try await platform.managedBotRequest(userId: user) }
        guard let slug = awaited, let entry = courses[slug] else {
            return try await reply(event, "desk.connect_first")
        }
        guard mayManage(user, slug: slug), try await isCreatorQuietly(user) else {
            try await auditOnce("denied", actorId: user, subject: slug, details: "connect")
            return try await reply(event, "desk.not_yours")
        }
        switch try await connect(token, to: entry, by: user) {
        case .invalid:
            return try await reply(event, "desk.token_invalid")
        case .inUse:
            return try await reply(event, "desk.token_in_use")
        case .connected(let botId, let username):
            queue.awaitToken(user: user, slug: nil)
            try await reply(event, "desk.connected", ["username": "@\(username ?? String(botId))", "course": entry.course.title])
        }
    }

    /// What connecting a pasted token came to.
    enum ConnectOutcome: Sendable, Equatable {
        case connected(botId: Int64, username: String?)
        /// Not a token, or Telegram refused it.
        case invalid
        /// Already run by this install.
        case inUse
    }

    /// Checks a course bot's token with getMe and binds it to the course (stored, its worker
    /// started at once, its name and description set from the course), audited. Throws when
    /// Telegram or the network is down (worth another try), never for a bad token.
    func connect(_ token: BotToken, to entry: ManagedCourse, by user: Int64) async throws -> ConnectOutcome {
        let slug = entry.course.slug
        guard let botId = token.botId, token.isWellFormed else { return .invalid }
        let stored = try await platform.connectedBots()
        if configuredBotIds.contains(botId) || bots.isConnected(botId: botId) || stored.contains(where: { $0.botId == botId || $0.token == token.secret }) {
            try await auditOnce("bot.connect_refused", actorId: user, subject: slug, details: "\(token.redacted) already in use")
            return .inUse
        }
        let botClient = clientFor(token)
        let me: User
        do {
            me = try await botClient.getMe()
        } catch let error as BotAPIError where error.isRetryable {
            throw error  // Telegram or the network is down, not the token: the job is tried again
        } catch {
            logger.info("a pasted token was refused by Telegram", metadata: ["bot": "\(token.redacted)", "error": "\(token.redact(String(describing: error)))"])
            try await auditOnce("bot.connect_refused", actorId: user, subject: slug, details: "\(token.redacted) invalid")
            return .invalid
        }
        let record = ConnectedBot(botId: botId, token: token.secret, username: me.username, courseSlug: slug, connectedBy: user, connectedAt: now())
        let connected = try await platform.connectBot(
            record, actionKey: step("bot.connect"), audit: ("bot.connect", "@\(me.username ?? "?") (\(token.redacted))"), now: now())
        guard connected else { return .inUse }
        CrashPoint.reach("desk.connected")
        try await platform.registerBot(botId: botId, username: me.username, courseSlug: slug, now: now())
        _ = bots.start(BotIdentity(token: token, courseSlug: slug, username: me.username))
        await introduce(botClient, entry.course)
        return .connected(botId: botId, username: me.username)
    }

    /// The connected bot's name and description from the course (its command menu is set by its worker).
    func introduce(_ botClient: any BotAPIClient, _ course: Course) async {
        do {
            _ = try await botClient.call(SetMyName(name: String(course.title.prefix(64))))
            let description = course.description.isEmpty ? course.title : course.description
            _ = try await botClient.call(SetMyDescription(description: String(description.prefix(512))))
        } catch {
            logger.warning("could not set the connected bot's name or description", metadata: ["course": "\(course.slug)"])
        }
    }

    func disconnect(_ bot: ConnectedBot, _ event: ChatEvent) async throws {
        guard try await unbind(bot, by: event.user.id) else { return try await reply(event, "desk.stale") }
        try await reply(event, "desk.disconnected", ["username": "@\(bot.username ?? String(bot.botId))"])
    }

    /// Stops a connected bot and forgets it (audited); false when it was already gone.
    func unbind(_ bot: ConnectedBot, by user: Int64) async throws -> Bool {
        bots.stop(botId: bot.botId)
        guard try await platform.disconnectBot(botId: bot.botId) else { return false }
        try await auditOnce("bot.disconnect", actorId: user, subject: bot.courseSlug, details: "@\(bot.username ?? String(bot.botId))")
        return true
    }
}
