/// One bot message as the scripted user sees it in the chat: text or caption, media kind,
/// inline keyboard, with edits applied.
///
/// Exists so end-to-end tests assert on what a student would see, not on raw API calls.
public struct ChatMessage: Sendable, Equatable, CustomStringConvertible {
    /// What kind of content the message carries besides text.
    public enum Media: String, Sendable, Equatable, CaseIterable {
        case photo, video, document, audio, voice, poll, invoice
    }

    /// One inline keyboard button.
    public struct Button: Sendable, Equatable {
        public var text: String
        public var callbackData: String?
        public var url: String?
    }

    public var messageId: Int
    public var text: String?
    public var caption: String?
    public var media: Media?
    /// Inline keyboard rows.
    public var buttons: [[Button]]
    public var isEdited: Bool
    /// The full Message object the bot got back from the API (after edits).
    public var json: JSONValue

    /// Text or caption, whichever the message has ("" if none).
    public var body: String { text ?? caption ?? "" }

    /// Labels of every inline button, row by row.
    public var buttonLabels: [String] { buttons.flatMap { $0.map(\.text) } }

    public var description: String {
        var line = "#\(messageId)"
        if let media { line += " [\(media.rawValue)]" }
        if !body.isEmpty { line += " \"\(body)\"" }
        if media == .poll, let question = json["poll"]?["question"]?.stringValue { line += " poll \"\(question)\"" }
        if media == .invoice, let title = json["invoice"]?["title"]?.stringValue { line += " invoice \"\(title)\"" }
        if !buttons.isEmpty {
            line += " buttons: " + buttons.map { "[" + $0.map(\.text).joined(separator: " | ") + "]" }.joined(separator: " ")
        }
        if isEdited { line += " (edited)" }
        return line
    }

    init(messageId: Int, json: JSONValue) {
        self.messageId = messageId
        self.json = json
        self.text = json["text"]?.stringValue
        self.caption = json["caption"]?.stringValue
        self.isEdited = json["edit_date"] != nil
        self.media = Media.allCases.first { json[$0.rawValue] != nil }
        self.buttons = (json["reply_markup"]?["inline_keyboard"]?.arrayValue ?? []).map { row in
            (row.arrayValue ?? []).map { button in
                Button(
                    text: button["text"]?.stringValue ?? "",
                    callbackData: button["callback_data"]?.stringValue,
                    url: button["url"]?.stringValue)
            }
        }
    }
}
