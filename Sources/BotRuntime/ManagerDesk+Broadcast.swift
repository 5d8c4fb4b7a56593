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
        let draft = BroadcastBoard.Draft(slug: slug, creator: user, text: markdown, html: html, locale: locale)
        let id = broadcasts.add(draft)
        // Kept in the platform database too: a Send pressed just before a crash is carried out after it.
        try await platform.saveBroadcastDraft(id: id, draft.record, now: now())
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
        if verb == "bs", let key = step("broadcast.create"), let value = try await platform.appliedValue(key), let broadcastId = Int64(value),
            let record = try await platform.broadcast(id: broadcastId), let entry = courses[record.courseSlug]
        {
            // A replay after a crash: this press already started the broadcast; it goes on, not twice.
            try await answer(queryId, nil, alert: false)
            return try await startSending(record, entry, event)
        }
        var found = broadcasts.draft(argument)
        if found == nil { found = try await platform.broadcastDraft(id: argument).map(BroadcastBoard.Draft.init) }
        guard let draft = found else { return try await answer(queryId, text("desk.stale", locale), alert: false) }
        guard draft.creator == user, mayManage(user, slug: draft.slug), try await isCreatorQuietly(user) else {
            return try await refuse(queryId, user: user, subject: draft.slug, data: "\(verb):\(argument)", locale)
        }
        broadcasts.take(argument)
        guard let entry = courses[draft.slug] else { return try await answer(queryId, text("desk.stale", locale), alert: false) }
        if verb == "bx" {
            guard try await platform.dropBroadcastDraft(id: argument) else { return try await answer(queryId, text("desk.stale", locale), alert: false) }
            try await answer(queryId, nil, alert: false)
            return try await editStatus(event, escaped("broadcast.cancelled", locale))
        }
        try await launch(draft, id: argument, entry, queryId: queryId, event)
    }

    /// Creates the broadcast (the draft used up in the same transaction), then sends it.
    func launch(_ draft: BroadcastBoard.Draft, id draftId: String, _ entry: ManagedCourse, queryId: String, _ event: ChatEvent) async throws {
        let locale = locale(event)
        guard let senders = try await broadcastSenders(entry) else {
            try await answer(queryId, nil, alert: false)
            return try await reply(event, "broadcast.no_bot", ["course": entry.course.title])
        }
        let audience = try await entry.store.broadcastAudience(bots: senders.bots)
        guard !audience.isEmpty else {
            try await answer(queryId, nil, alert: false)
            return try await reply(event, "broadcast.no_students", ["course": entry.course.title])
        }
        let broadcastId = try await platform.createBroadcast(
            fromDraft: draftId, draft.record, total: audience.count, statusChatId: event.chatId, statusMessageId: event.callbackMessageId,
            actionKey: step("broadcast.create"), now: now())
        guard let record = try await platform.broadcast(id: broadcastId) else {
            return try await answer(queryId, text("desk.stale", locale), alert: false)
        }
        try await answer(queryId, nil, alert: false)
        try await startSending(record, entry, event)
    }

    /// Writes the outbox rows in one course transaction (once per broadcast, a replay writes
    /// none), wakes the course bots' senders, shows the status and starts watching.
    func startSending(_ record: BroadcastRecord, _ entry: ManagedCourse, _ event: ChatEvent) async throws {
        guard try await deliver(record, entry) else {
            return try await reply(event, "broadcast.no_bot", ["course": entry.course.title])
        }
        try await editStatus(event, escaped("broadcast.progress", record.locale, ["done": "0", "total": String(record.total)]))
        broadcasts.watch(record.id)
    }

    /// Queues a broadcast's messages (see `startSending`), wakes the senders, audits and starts
    /// watching it; false when no bot runs the course.
    func deliver(_ record: BroadcastRecord, _ entry: ManagedCourse) async throws -> Bool {
        guard let senders = try await broadcastSenders(entry), let mainBot = senders.bots.first else { return false }
        let audience = try await entry.store.broadcastAudience(bots: senders.bots)
        let html = MarkdownRenderer().render(record.text)
        try await entry.store.chats.enqueueBroadcast(
            record.id, recipients: audience.map { (chatId: $0.chatId, botId: $0.botId ?? mainBot) }, method: "sendMessage",
            payload: { chatId in Self.messagePayload(chatId: chatId, html: html) }, now: now())
        CrashPoint.reach("desk.broadcast_started")
        for bell in senders.bells { bell.ring() }
        try await auditOnce("broadcast.send", actorId: record.creatorId, subject: record.courseSlug, details: "#\(record.id) to \(record.total) students")
        broadcasts.watch(record.id)
        return true
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
