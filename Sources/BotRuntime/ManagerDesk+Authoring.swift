import CourseFlows
import CourseModel
import Foundation
import SceneEngine
import Storage
import TelegramBotAPI
import TelegramClient

/// Building and editing courses by chat (`/newcourse`, the ✏️ Steps / ➕ Add step / 💰 Price
/// buttons and their dialogs): the pure `CourseEditor` decides, the desk checks who may edit
/// which course, downloads media, stores each change, swaps the running scene and audits.
extension ManagerDesk {
    func editor(slug: String?) -> CourseEditor? {
        guard let authoring else { return nil }
        return CourseEditor(catalog: catalog, validate: authoring.validator(slug: slug ?? ""))
    }

    /// A creator's dialog as stored (nil: none, or unreadable).
    func editorState(_ user: Int64) async throws -> EditorState? {
        guard let data = try await platform.editorSession(userId: user) else { return nil }
        return try? JSONDecoder().decode(EditorState.self, from: data)
    }

    /// The slugs a new course may not take. A replayed job that already created its course
    /// (a crash before its answer) may take that course's slug again, so it finds, not doubles, it.
    func takenSlugs() async throws -> Set<String> {
        var taken = courses.slugs
        if let key = step("course.create"), let slug = try await platform.appliedValue(key) { taken.remove(slug) }
        return taken
    }

    /// The course the editor decides on: as it is, or, when this job already changed it (a
    /// replay after a crash before the answer), as it was before, so the replay makes the same
    /// decision and gives the same answer while `update` skips the change already stored.
    func editedCourse(_ entry: ManagedCourse?) async throws -> AuthoredCourse? {
        guard let entry, let live = entry.live?.authored else { return nil }
        guard let key = step("course.update"), let authoring, let before = try await entry.store.sourceBefore(actionKey: key) else { return live }
        return authoring.authored(before, slug: entry.course.slug, creator: live.course.creator) ?? live
    }

    /// The authored course a dialog or button names, if this user may edit it.
    func editable(_ slug: String?, by user: Int64) -> ManagedCourse? {
        guard let slug, let entry = courses[slug], entry.live != nil, mayManage(user, slug: slug) else { return nil }
        return entry
    }

    /// `/newcourse`, `/cancel`, and a creator's texts and media while in a dialog.
    func editorEvent(_ event: ChatEvent) async throws {
        let user = event.user.id
        guard let authoring else { return }
        if case .command("newcourse", _) = event.kind {
            guard try await isCreator(event) else { return }
        } else if try await !isCreatorQuietly(user) {
            return
        }
        let state = try await editorState(user)
        let entry = editable(state?.slug, by: user)
        if state?.slug != nil, entry == nil {
            // The course is gone or no longer theirs: the dialog ends.
            try await finishEditor(EditorResult(state: nil), user: user, event: event, entry: nil, queryId: nil, messageId: nil)
            return try await reply(event, "desk.not_yours")
        }
        let input: EditorInput
        switch event.kind {
        case .command("newcourse", _): input = .newCourse
        case .command("cancel", _): input = .cancel
        case .text(let text): input = .text(text)
        case .attachment(let attachment):
            let kinds: [Attachment.Kind: MediaStep.Kind] = [.photo: .photo, .video: .video, .document: .document, .audio: .audio]
            guard let kind = kinds[attachment.kind] else {
                input = .unsupported(kind: attachment.kind.rawValue)
                break
            }
            guard let state, state.expectsMedia, let entry else {
                input = .media(kind, path: "", caption: nil)
                break
            }
            do {
                let path = try await authoring.downloadMedia(attachment, slug: entry.course.slug, client: client)
                input = .media(kind, path: path, caption: attachment.caption)
            } catch let error as BotAPIError where error.isRetryable {
                throw error  // Telegram or the network is down, not the file: the job is tried again
            } catch {
                logger.warning("could not download a creator's media", metadata: ["error": "\(redactTokens(String(describing: error)))"])
                return try await reply(event, "author.media_failed")
            }
        default:
            return
        }
        let context = CourseEditor.Context(
            user: user, locale: locale(event), course: try await editedCourse(entry), takenSlugs: try await takenSlugs())
        guard let result = editor(slug: entry?.course.slug)?.handle(input, state: state, context: context) else { return }
        try await finishEditor(result, user: user, event: event, entry: entry, queryId: nil, messageId: nil)
    }

    /// An editor button (verbs starting with `e`): course-bound ones are checked against the presser.
    func pressEditor(_ verb: String, _ argument: String, queryId: String, _ event: ChatEvent) async throws {
        let user = event.user.id
        let locale = locale(event)
        let data = DeskCallback.encode(verb, argument)
        guard authoring != nil, try await isCreatorQuietly(user) || !EditorCallback.courseBound.contains(verb) else {
            return try await refuse(queryId, user: user, subject: argument, data: data, locale)
        }
        let state = try await editorState(user)
        var entry: ManagedCourse?
        if EditorCallback.courseBound.contains(verb) {
            let hash = EditorCallback.courseHash(in: argument)
            guard let found = courses.values.first(where: { $0.hash == hash }) else {
                return try await answer(queryId, text("desk.stale", locale), alert: false)
            }
            guard mayManage(user, slug: found.course.slug), try await isCreatorQuietly(user) else {
                return try await refuse(queryId, user: user, subject: found.course.slug, data: data, locale)
            }
            guard found.live != nil else { return try await answer(queryId, text("author.read_only", locale), alert: true) }
            entry = found
        } else {
            entry = editable(state?.slug, by: user)
            if state?.slug != nil, entry == nil {
                return try await refuse(queryId, user: user, subject: state?.slug ?? "", data: data, locale)
            }
        }
        let messageId: Int? = if case .callback(_, _, let id) = event.kind { id } else { nil }
        let context = CourseEditor.Context(user: user, locale: locale, course: try await editedCourse(entry), takenSlugs: try await takenSlugs())
        guard let result = editor(slug: entry?.course.slug)?.handle(.press(verb: verb, argument: argument), state: state, context: context) else { return }
        try await finishEditor(result, user: user, event: event, entry: entry, queryId: queryId, messageId: messageId)
    }

    /// Stores the change (and audits it), keeps the dialog, answers.
    func finishEditor(
        _ result: EditorResult, user: Int64, event: ChatEvent, entry: ManagedCourse?, queryId: String?, messageId: Int?
    ) async throws {
        var result = result
        switch result.change {
        case .created(let authored)?:
            if let authoring, let created = try await authoring.create(authored, creator: user, actionKey: step("course.create")) {
                courses.set(created)
                CrashPoint.reach("desk.course_created")
                try await auditOnce("course.create", actorId: user, subject: authored.course.slug, details: authored.course.title)
            } else {
                result.replies = [EditorReply(html: escaped("author.invalid", locale(event), ["message": "slug \(authored.course.slug) is taken"]))]
            }
        case .updated(let authored, let action, let details)?:
            guard let authoring, let entry else { break }
            courses.set(try await authoring.update(entry, to: authored, actionKey: step("course.update")))
            CrashPoint.reach("desk.course_updated")
            try await auditOnce(action, actorId: user, subject: authored.course.slug, details: details)
        case nil:
            break
        }
        try await platform.saveEditorSession(userId: user, state: try result.state.map { try JSONEncoder().encode($0) }, now: now())
        queue.editors.set(user, editing: result.state != nil)
        if let queryId { try await answer(queryId, result.toast, alert: result.alert) }
        for reply in result.replies {
            let markup: InlineKeyboardMarkup? = reply.buttons.isEmpty ? nil : InlineKeyboardMarkup(inlineKeyboard: reply.buttons)
            if reply.replacesPressedMessage, let messageId, TelegramHTML.visibleLength(of: reply.html) <= TelegramHTML.messageLimit {
                try enqueue(EditMessageText(chatId: .id(event.chatId), messageId: messageId, text: reply.html, parseMode: .html, replyMarkup: markup), chatId: event.chatId)
            } else {
                try await send(chatId: event.chatId, html: reply.html, buttons: reply.buttons)
            }
        }
    }

    /// What an authored course's card adds (its editor buttons); a bots.yaml course's card says where to edit it.
    func authoringCard(_ entry: ManagedCourse, locale: String) -> (lines: [String], buttons: [[InlineKeyboardButton]]) {
        guard authoring != nil else { return ([], []) }
        guard entry.live != nil, let editor = editor(slug: entry.course.slug) else { return ([escaped("author.read_only", locale)], []) }
        return ([], editor.cardButtons(slug: entry.course.slug, locale: locale))
    }
}
