import Foundation
import Storage
import TelegramClient

/// A subscription invoice as one outbox row: `createInvoiceLink`, then the message carrying the
/// link on its button (`sendMessage`). Both calls live in one row (method `createInvoiceLink+sendMessage`,
/// payload `{"link": "<JSON body>", "message": "<JSON body>"}`, each body kept as written), so the link reaches the student durably: the row is
/// deleted only once the message went out; a retry makes a new link (links cost nothing).
package enum InvoiceLinkCall {
    package static let method = "createInvoiceLink+sendMessage"
    /// Stands for the link in the message body until the sender has it.
    package static let placeholder = "https://t.me/$gongbu-invoice-link"

    /// The row's payload from the two bodies.
    static func payload(link: Data, message: Data) -> Data {
        var out = "{\"link\":"
        JSONText.writeString(String(decoding: link, as: UTF8.self), into: &out)
        out += ",\"message\":"
        JSONText.writeString(String(decoding: message, as: UTF8.self), into: &out)
        out += "}"
        return Data(out.utf8)
    }

    /// The two calls of a row: (method, JSON body) each.
    package static func parts(of payload: Data) throws -> (link: Data, message: Data) {
        guard let object = try JSONSerialization.jsonObject(with: payload) as? [String: Any],
            let link = object["link"] as? String, let message = object["message"] as? String
        else { throw BotAPIError(method: method, kind: .badRequest("malformed invoice link row")) }
        return (Data(link.utf8), Data(message.utf8))
    }

    /// Makes the link, then sends the message with it; the sendMessage result.
    static func perform(_ payload: Data, client: any BotAPIClient) async throws -> Data {
        let (link, message) = try parts(of: payload)
        let result = try await client.callRaw(method: "createInvoiceLink", json: link, timeout: nil)
        guard let url = try JSONSerialization.jsonObject(with: result, options: .fragmentsAllowed) as? String else {
            throw BotAPIError(method: "createInvoiceLink", kind: .badRequest("createInvoiceLink returned no link"))
        }
        var quoted = ""
        JSONText.writeString(url, into: &quoted)
        var placeholderQuoted = ""
        JSONText.writeString(placeholder, into: &placeholderQuoted)
        let text = String(decoding: message, as: UTF8.self).replacingOccurrences(of: placeholderQuoted, with: quoted)
        return try await client.callRaw(method: "sendMessage", json: Data(text.utf8), timeout: nil)
    }
}

extension NewOutboxRow {
    /// The same row with another payload.
    func with(payload: Data) -> NewOutboxRow {
        var row = self
        row.payload = payload
        return row
    }
}
