import Foundation
import SceneEngine
import Storage

/// Turns a scene's effects into Bot API calls stored in the outbox (method + JSON body),
/// with exactly the fields and JSON types of Bot API 10.1 and `parse_mode: HTML`.
public enum EffectRenderer {
    /// The outbox rows for one effect in one chat.
    public static func rows(for effect: Effect, chatId: Int64, updateId: Int64?) -> [NewOutboxRow] {
        func row(_ method: String, _ body: [String: Any], urgent: Bool = false, mediaPath: String? = nil, mediaField: String? = nil) -> NewOutboxRow {
            NewOutboxRow(chatId: chatId, method: method, payload: json(body), mediaPath: mediaPath, mediaField: mediaField, urgent: urgent, updateId: updateId)
        }
        switch effect {
        case .send(let message):
            if let media = message.media {
                let field = media.kind.rawValue
                var body: [String: Any] = ["chat_id": chatId]
                if !message.text.isEmpty {
                    body["caption"] = message.text
                    body["parse_mode"] = "HTML"
                }
                if let markup = markup(message.buttons) { body["reply_markup"] = markup }
                switch media.source {
                case .fileId(let id), .url(let id):
                    body[field] = id
                    return [row(method(for: media.kind), body)]
                case .localFile(let path):
                    return [row(method(for: media.kind), body, mediaPath: path, mediaField: field)]
                }
            }
            var body: [String: Any] = ["chat_id": chatId, "text": message.text, "parse_mode": "HTML"]
            if message.disablePreview { body["link_preview_options"] = ["is_disabled": true] }
            if let markup = markup(message.buttons) { body["reply_markup"] = markup }
            return [row("sendMessage", body)]
        case .edit(let messageId, let message):
            var body: [String: Any] = ["chat_id": chatId, "message_id": messageId, "parse_mode": "HTML"]
            body["reply_markup"] = markup(message.buttons) ?? ["inline_keyboard": [[Any]]()]
            if message.media != nil {
                body["caption"] = message.text
                return [row("editMessageCaption", body)]
            }
            body["text"] = message.text
            if message.disablePreview { body["link_preview_options"] = ["is_disabled": true] }
            return [row("editMessageText", body)]
        case .editButtons(let messageId, let buttons):
            let body: [String: Any] = [
                "chat_id": chatId, "message_id": messageId,
                "reply_markup": markup(buttons) ?? ["inline_keyboard": [[Any]]()],
            ]
            return [row("editMessageReplyMarkup", body)]
        case .deleteMessage(let messageId):
            return [row("deleteMessage", ["chat_id": chatId, "message_id": messageId])]
        case .answerCallback(let queryId, let text, let alert):
            var body: [String: Any] = ["callback_query_id": queryId]
            if let text { body["text"] = text }
            if alert { body["show_alert"] = true }
            return [row("answerCallbackQuery", body, urgent: true)]
        case .sendInvoice(let invoice):
            var body: [String: Any] = [
                "chat_id": chatId, "title": invoice.title, "description": invoice.description,
                "payload": invoice.payload, "currency": invoice.currency,
                "prices": [["label": invoice.label, "amount": invoice.amount]],
            ]
            body["provider_token"] = invoice.currency == "XTR" ? "" : invoice.providerToken ?? ""
            return [row("sendInvoice", body)]
        case .sendInvoiceLink(let invoice, let message):
            var link: [String: Any] = [
                "title": invoice.title, "description": invoice.description, "payload": invoice.payload,
                "currency": invoice.currency, "prices": [["label": invoice.label, "amount": invoice.amount]],
            ]
            if let period = invoice.subscriptionPeriod { link["subscription_period"] = period }
            if invoice.currency != "XTR" { link["provider_token"] = invoice.providerToken ?? "" }
            // The pay button becomes a URL button whose address the sender fills in with the link.
            var linked = message
            linked.buttons = message.buttons.map { row in
                row.map { $0.action == .pay ? Button($0.label, .url(InvoiceLinkCall.placeholder)) : $0 }
            }
            guard let send = rows(for: .send(linked), chatId: chatId, updateId: updateId).last else { return [] }
            return [row(InvoiceLinkCall.method, [:]).with(payload: InvoiceLinkCall.payload(link: json(link), message: send.payload))]
        case .answerPreCheckout(let queryId, let ok, let errorMessage):
            var body: [String: Any] = ["pre_checkout_query_id": queryId, "ok": ok]
            if let errorMessage, !ok { body["error_message"] = errorMessage }
            return [row("answerPreCheckoutQuery", body, urgent: true)]
        case .sendQuizPoll(let poll):
            var body: [String: Any] = [
                "chat_id": chatId, "question": poll.question, "type": "quiz", "is_anonymous": false,
                "options": poll.options.map { ["text": $0] }, "correct_option_ids": [poll.correctOptionId],
            ]
            if let explanation = poll.explanation { body["explanation"] = explanation }
            return [row("sendPoll", body)]
        }
    }

    static func method(for kind: Media.Kind) -> String {
        switch kind {
        case .photo: "sendPhoto"
        case .video: "sendVideo"
        case .document: "sendDocument"
        case .audio: "sendAudio"
        case .voice: "sendVoice"
        }
    }

    static func markup(_ buttons: [[Button]]) -> [String: Any]? {
        guard !buttons.isEmpty else { return nil }
        let rows: [[[String: Any]]] = buttons.map { row in
            row.map { button in
                switch button.action {
                case .callback(let data): ["text": button.label, "callback_data": data]
                case .url(let url): ["text": button.label, "url": url]
                case .pay: ["text": button.label, "pay": true]
                }
            }
        }
        return ["inline_keyboard": rows]
    }

    static func json(_ body: [String: Any]) -> Data {
        var out = ""
        out.reserveCapacity(256)
        JSONText.write(body, into: &out)
        return Data(out.utf8)
    }
}

/// A small JSON writer for the outbox bodies EffectRenderer builds (strings, integers, booleans,
/// arrays, objects): several times faster than JSONSerialization on the per-message hot path.
enum JSONText {
    static func write(_ value: Any, into out: inout String) {
        switch value {
        case let text as String:
            writeString(text, into: &out)
        case let flag as Bool where type(of: value) == Bool.self:
            out += flag ? "true" : "false"
        case let number as Int:
            out += String(number)
        case let number as Int64:
            out += String(number)
        case let object as [String: Any]:
            out += "{"
            var first = true
            for key in object.keys.sorted() {
                if !first { out += "," }
                first = false
                writeString(key, into: &out)
                out += ":"
                write(object[key]!, into: &out)
            }
            out += "}"
        case let array as [Any]:
            out += "["
            for (index, element) in array.enumerated() {
                if index > 0 { out += "," }
                write(element, into: &out)
            }
            out += "]"
        default:
            out += "null"
        }
    }

    static func writeString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
