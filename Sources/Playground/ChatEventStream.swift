import Foundation
import GongbuTesting

/// The server-sent events of one chat window: every message at first, then each new or edited
/// message, deletions, reply-keyboard changes and pop-up answers as they happen.
///
/// Exists so the browser shows a chat live without polling: it sleeps on the emulator's chat
/// until something changes there (`EmulatedBot.waitForChange`).
struct ChatEventStream: Sendable {
    let chat: Playground.Chat
    /// How long a quiet stream waits before a keep-alive comment.
    var keepAlive: Duration = .seconds(15)

    /// Produces the stream's text chunks until the task is cancelled or `yield` reports the
    /// client gone.
    func run(yield: @Sendable (String) -> Bool) async {
        let bot = chat.bot
        let chatId = chat.user.chatId
        var sent: [Int: Int] = [:]
        var seenPopups: Set<String> = []
        var keyboard: JSONValue?
        var snapshot = bot.snapshot(chatId: chatId)
        // Pop-ups answered before the window opened are old news.
        for answered in snapshot.callbackAnswers { seenPopups.insert(answered.callbackQueryId) }
        var first = true
        while !Task.isCancelled {
            var text = ""
            for entry in snapshot.entries where sent[entry.messageId] != entry.changeSeq {
                sent[entry.messageId] = entry.changeSeq
                text += Self.event("message", PlaygroundJSON.message(entry, chat: chat.key))
            }
            let present = Set(snapshot.entries.map(\.messageId))
            for id in sent.keys.sorted() where !present.contains(id) {
                sent[id] = nil
                text += Self.event("delete", ["message_id": .int(Int64(id))])
            }
            let currentKeyboard = PlaygroundJSON.keyboard(snapshot.replyKeyboard)
            if currentKeyboard != keyboard {
                keyboard = currentKeyboard
                text += Self.event("keyboard", currentKeyboard)
            }
            for answered in snapshot.callbackAnswers where !seenPopups.contains(answered.callbackQueryId) {
                seenPopups.insert(answered.callbackQueryId)
                if let popup = answered.answer.text, !popup.isEmpty {
                    text += Self.event("popup", PlaygroundJSON.popup(answered))
                }
            }
            if first {
                text += Self.event("ready", ["chat": .string(chat.key)])
                first = false
            }
            if !text.isEmpty, !yield(text) { return }
            guard await bot.waitForChange(chatId: chatId, from: snapshot.version, timeout: keepAlive) != nil else {
                if Task.isCancelled || !yield(": keep-alive\n\n") { return }
                snapshot = bot.snapshot(chatId: chatId)
                continue
            }
            snapshot = bot.snapshot(chatId: chatId)
        }
    }

    /// One SSE event: `event: NAME` and its JSON on one `data:` line.
    static func event(_ name: String, _ data: JSONValue) -> String {
        "event: \(name)\ndata: \(data.serialized)\n\n"
    }
}
