import Foundation
import GongbuTesting

/// The JSON the playground's HTTP interface speaks about chats (see `PlaygroundRoutes`): a message
/// with its text, inline buttons and file link ready to show, plus the raw Telegram Message.
enum PlaygroundJSON {
    /// One message: `{"message_id", "from_bot", "edited", "text", "media", "buttons": [[{"text",
    /// "callback_data"?, "url"?, "pay"?}]], "file": {"url", "name"?, "mime_type"?}?, "message": {…}}`.
    static func message(_ entry: ChatEntry, chat: String) -> JSONValue {
        let message = entry.chatMessage
        var members: [String: JSONValue] = [
            "message_id": .int(Int64(entry.messageId)),
            "from_bot": .bool(entry.fromBot),
            "edited": .bool(message.isEdited),
            "text": .string(message.body),
            "media": message.media.map { JSONValue.string($0.rawValue) } ?? JSONValue.null,
            "message": entry.json,
        ]
        let rows = entry.json["reply_markup"]?["inline_keyboard"]?.arrayValue ?? []
        members["buttons"] = .array(rows.map { row in
            .array((row.arrayValue ?? []).map { button -> JSONValue in
                var fields: [String: JSONValue] = ["text": button["text"] ?? ""]
                for key in ["callback_data", "url", "pay"] where button[key] != nil { fields[key] = button[key]! }
                if let webApp = button["web_app"]?["url"] { fields["url"] = webApp }
                return .object(fields)
            })
        })
        if let file = fileObject(entry.json) {
            var link: [String: JSONValue] = [
                "url": .string("/playground/file?chat=\(chat)&file_id=\(file.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? file.id)"),
            ]
            if let name = file.name { link["name"] = .string(name) }
            if let type = file.mimeType { link["mime_type"] = .string(type) }
            members["file"] = .object(link)
        }
        return .object(members)
    }

    /// The file a message carries (the largest size of a photo), if any.
    static func fileObject(_ json: JSONValue) -> (id: String, name: String?, mimeType: String?)? {
        if let sizes = json["photo"]?.arrayValue, let largest = sizes.last, let id = largest["file_id"]?.stringValue {
            return (id, nil, "image/jpeg")
        }
        for kind in ["video", "audio", "document", "voice", "animation", "sticker", "video_note"] {
            guard let object = json[kind], let id = object["file_id"]?.stringValue else { continue }
            return (id, object["file_name"]?.stringValue, object["mime_type"]?.stringValue)
        }
        return nil
    }

    /// The reply keyboard: `{"rows": [[{"text", …}]]}`, `{"rows": null}` when none.
    static func keyboard(_ rows: [[JSONValue]]?) -> JSONValue {
        ["rows": rows.map { JSONValue.array($0.map { JSONValue.array($0) }) } ?? JSONValue.null]
    }

    /// A pop-up answer: `{"callback_query_id", "text", "show_alert"}`.
    static func popup(_ answered: AnsweredCallback) -> JSONValue {
        [
            "callback_query_id": .string(answered.callbackQueryId),
            "text": answered.answer.text.map { JSONValue.string($0) } ?? JSONValue.null,
            "show_alert": .bool(answered.answer.showAlert),
        ]
    }

    /// The whole chat: `{"chat", "messages": [...], "reply_keyboard": {"rows"}, "popups": [...]}`.
    static func snapshot(_ snapshot: ChatSnapshot, chat: String) -> JSONValue {
        [
            "chat": .string(chat),
            "messages": .array(snapshot.entries.map { message($0, chat: chat) }),
            "reply_keyboard": keyboard(snapshot.replyKeyboard),
            "popups": .array(snapshot.callbackAnswers.filter { ($0.answer.text ?? "").isEmpty == false }.map(popup)),
        ]
    }

    /// One chat window in `GET /playground/state`.
    static func chat(_ chat: Playground.Chat) -> JSONValue {
        [
            "chat": .string(chat.key), "role": .string(chat.role.rawValue), "user_id": .int(chat.user.id),
            "first_name": .string(chat.user.firstName), "bot_username": .string(chat.bot.username),
            "bot_name": .string(chat.bot.profile.names[""] ?? chat.bot.firstName.replacingOccurrences(of: "_", with: " ")),
        ]
    }
}
