import Foundation
import SceneEngine
import Storage
import TelegramBotAPI
import TelegramClient

/// Broadcasting a message to a course's students (contract §5): the creator writes it (Markdown
/// as typed), sees the preview and "Send to N students" / "Cancel"; on Send one outbox row per
/// enrolled student goes into the course bot's outbox in one transaction, so the bot's sender
/// delivers it within Telegram's limits; the status message shows the progress, then the counts
/// delivered / blocked by the user / failed. Only the course's creator or an admin may do it.
extension ManagerDesk {
    var broadcasts: BroadcastBoard { queue.broadcasts }

    /// `/broadcast`: the only course at once, else a choice.
    func chooseCourseToBroadcast(_ event: ChatEvent) async throws {
        let mine = manageable(by: event.user.id)
        if mine.count == 1, let only = mine.first { return try await askForBroadcast(only, event) }
        guard !mine.isEmpty else { return try await reply(event, "desk.no_courses") }
        let buttons = mine.map { [InlineKeyboardButton.callback($0.course.title, data: DeskCallback.encode("bc", $0.hash))] }
        try await send(chatId: event.chatId, html: escaped("broadcast.choose", locale(event)), buttons: buttons)
    }

    /// The bots running the course (its bots.yaml bot first, then bots connected here) and the
    /// outbox bells that wake their senders; nil when none runs.
    func broadcastSenders(_ entry: ManagedCourse) async throws -> (bots: [Int64], bells: [Signal])? {
        var ids: [Int64] = []
        var bells: [Signal] = []
        if let main = entry.botId, let bell = entry.outboxBell {
            ids.append(main)
            bells.append(bell)
        }
        for record in try await platform.connectedBots() where record.courseSlug == entry.course.slug && !ids.contains(record.botId) {
            guard let setup = bots.setup(botId: record.botId), let bell = setup.hooks.outboxBell else { continue }
            ids.append(record.botId)
            bells.append(bell)
        }
        return ids.isEmpty ? nil : (ids, bells)
    }

    /// Asks for the text (a bot must be running the course).
    func askForBroadcast(_ entry: ManagedCourse, _ event: ChatEvent) async throws {
        guard try await broadcastSenders(entry) != nil else {
            return try await reply(event, "broadcast.no_bot", ["course": entry.course.title])
        }
        broadcasts.startWriting(user: event.user.id, slug: entry.course.slug)
        let locale = locale(event)
        try await send(
            chatId: event.chatId, html: escaped("broadcast.ask", locale, ["course": entry.course.title]),
            buttons: [[.callback(text("broadcast.cancel", locale), data: DeskCallback.encode("bx", "0"))]])
    }

    /// The creator's text: shown as students will see it, then Send / Cancel.
    func draftBroadcast(_ markdown: String, _ event: ChatEvent) async throws {
        let user = event.user.id
        let locale = locale(event)
        guard let slug = broadcasts.stopWriting(user: user), let entry = courses[slug] else { return }
        guard mayManage(user, slug: slug), try await isCreatorQuietly(user) else {
            try await auditOnce("denied", actorId: user, subject: slug, details: "broadcast")
            return try await reply(event, "desk.not_yours")
        }
        let html = MarkdownRenderer().render(markdown)
        guard !html.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return try await reply(event, "broadcast.empty") }
        let students = try await entry.store.studentCount()
        guard students > 0 else { return try await reply(event, "broadcast.no_students", ["course": entry.course.title]) }
        let id = broadcasts.add(BroadcastBoard.Draft(slug: slug, creator: user, text: markdown, html: html, locale: locale))
        try await send(chatId: event.chatId, html: html)
        try await send(
            chatId: event.chatId, html: escaped("broadcast.confirm", locale, ["course": entry.course.title, "count": String(students)]),
            buttons: [[
                .callback(text("broadcast.send", locale, ["count": String(students)]), data: DeskCallback.encode("bs", id)),
                .callback(text("broadcast.cancel", locale), data: DeskCallback.encode("bx", id)),
            ]])
    }

    /// Send (`bs`) or Cancel (`bx`) under a preview, or Cancel while asked for the text (`bx:0`).
    func pressBroadcast(_ verb: String, _ argument: String, queryId: String, _ event: ChatEvent) async throws {
        let user = event.user.id
        let locale = locale(event)
        if verb == "bx", argument == "0" {
            broadcasts.stopWriting(user: user)
            try await answer(queryId, nil, alert: false)
            return try await editStatus(event, escaped("broadcast.cancelled", locale))
        }
        guard let draft = broadcasts.draft(argument) else { return try await answer(queryId, text("desk.stale", locale), alert: false) }
        guard draft.creator == user, mayManage(user, slug: draft.slug), try await isCreatorQuietly(user) else {
            return try await refuse(queryId, user: user, subject: draft.slug, data: "\(verb):\(argument)", locale)
        }
        guard broadcasts.take(argument) != nil, let entry = courses[draft.slug] else {
            return try await answer(queryId, text("desk.stale", locale), alert: false)
        }
        try await answer(queryId, nil, alert: false)
        if verb == "bx" { return try await editStatus(event, escaped("broadcast.cancelled", locale)) }
        try await launch(draft, entry, event)
    }

    /// Writes the outbox rows in one transaction, wakes the course bots' senders, starts watching.
    func launch(_ draft: BroadcastBoard.Draft, _ entry: ManagedCourse, _ event: ChatEvent) async throws {
        guard let senders = try await broadcastSenders(entry), let mainBot = senders.bots.first else {
            return try await reply(event, "broadcast.no_bot", ["course": entry.course.title])
        }
        let slug = entry.course.slug
        let audience = try await entry.store.broadcastAudience(bots: senders.bots)
        guard !audience.isEmpty else { return try await reply(event, "broadcast.no_students", ["course": entry.course.title]) }
        let broadcastId = try await platform.createBroadcast(
            courseSlug: slug, creatorId: draft.creator, text: draft.text, total: audience.count, locale: draft.locale,
            statusChatId: event.chatId, statusMessageId: event.callbackMessageId, now: now())
        let html = draft.html
        try await entry.store.chats.enqueueBroadcast(
            broadcastId, recipients: audience.map { (chatId: $0.chatId, botId: $0.botId ?? mainBot) }, method: "sendMessage",
            payload: { chatId in Self.messagePayload(chatId: chatId, html: html) }, now: now())
        for bell in senders.bells { bell.ring() }
        try await auditOnce("broadcast.send", actorId: draft.creator, subject: slug, details: "#\(broadcastId) to \(audience.count) students")
        try await editStatus(event, escaped("broadcast.progress", draft.locale, ["done": "0", "total": String(audience.count)]))
        broadcasts.watch(broadcastId)
    }

    /// The JSON body of one student's sendMessage.
    static func messagePayload(chatId: Int64, html: String) -> Data {
        let body: [String: Any] = ["chat_id": chatId, "text": html, "parse_mode": "HTML"]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }

    /// Replaces the text of the message the pressed button sat on (and drops its buttons).
    func editStatus(_ event: ChatEvent, _ html: String) async throws {
        guard let messageId = event.callbackMessageId else { return try await send(chatId: event.chatId, html: html) }
        try await edit(chatId: event.chatId, messageId: messageId, html: html)
    }

    /// Queues the edit (a "message is not modified" refusal then stays a failed outbox row, harmless).
    func edit(chatId: Int64, messageId: Int, html: String) async throws {
        try enqueue(EditMessageText(chatId: .id(chatId), messageId: messageId, text: html, parseMode: .html), chatId: chatId)
    }
}

extension ChatEvent {
    /// The message whose inline button was pressed.
    var callbackMessageId: Int? {
        if case .callback(_, _, let messageId) = kind { return messageId ?? self.messageId }
        return nil
    }
}
