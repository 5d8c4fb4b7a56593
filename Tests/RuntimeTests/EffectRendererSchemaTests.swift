import BotRuntime
import Foundation
import GongbuTesting
import SceneEngine
import Storage
import Testing

/// Every effect a scene can produce renders to an outbox call that is in Bot API 10.1, with
/// every optional field the renderer can set, so calls the end-to-end tests never reach
/// (invoices, pre-checkout answers, deletes, voice…) are checked too.
@Suite struct EffectRendererSchemaTests {
    static let buttons: [[Button]] = [
        [Button("Next", .callback("v1:n:2")), Button("Site", .url("https://example.org"))],
        [Button("Pay 250 ⭐", .pay)],
    ]

    static let effects: [Effect] = {
        var effects: [Effect] = [
            .send(OutgoingMessage(text: "<b>Hi</b>", buttons: buttons, disablePreview: true)),
            .send(OutgoingMessage(text: "plain", disablePreview: false)),
            .edit(messageId: 9, OutgoingMessage(text: "edited", buttons: buttons)),
            .edit(messageId: 9, OutgoingMessage(text: "no buttons", disablePreview: false)),
            .edit(messageId: 9, OutgoingMessage(text: "caption", media: Media(kind: .photo, source: .fileId("AgAD")))),
            .editButtons(messageId: 9, buttons: buttons),
            .editButtons(messageId: 9, buttons: []),
            .deleteMessage(messageId: 9),
            .answerCallback(queryId: "cq", text: nil, alert: false),
            .answerCallback(queryId: "cq", text: "Saved", alert: true),
            .sendInvoice(Invoice(title: "Swift", description: "Whole course", payload: "course:swift", amount: 250, label: "Course")),
            .sendInvoice(Invoice(title: "Swift", description: "Card", payload: "p", currency: "USD", amount: 990, label: "Course",
                                 subscriptionPeriod: 2_592_000)),
            .sendInvoiceLink(
                Invoice(title: "Swift", description: "30 days", payload: "g1.p.1.a.b", amount: 100, label: "Plan", subscriptionPeriod: 2_592_000),
                message: OutgoingMessage(text: "Subscribe <b>now</b>", buttons: buttons)),
            .answerPreCheckout(queryId: "pcq", ok: true, errorMessage: nil),
            .answerPreCheckout(queryId: "pcq", ok: false, errorMessage: "Sold out"),
            .sendQuizPoll(QuizPoll(question: "Which keyword?", options: ["let", "var"], correctOptionId: 0, explanation: "let is constant")),
            .sendQuizPoll(QuizPoll(question: "Q", options: ["a", "b", "c"], correctOptionId: 2)),
        ]
        for kind in [Media.Kind.photo, .video, .document, .audio, .voice] {
            for source in [Media.Source.fileId("FILE"), .url("https://example.org/f"), .localFile("/tmp/f.bin")] {
                effects.append(.send(OutgoingMessage(text: "caption", buttons: buttons, media: Media(kind: kind, source: source))))
                effects.append(.send(OutgoingMessage(text: "", media: Media(kind: kind, source: source))))
            }
        }
        return effects
    }()

    @Test func everyEffectRendersACallInBotAPI101() throws {
        let schema = try BotAPISchema.load()
        for effect in Self.effects {
            let rows = EffectRenderer.rows(for: effect, chatId: 501, updateId: 1)
            #expect(!rows.isEmpty)
            var calls: [(method: String, payload: Data, row: NewOutboxRow)] = []
            for row in rows {
                if row.method == InvoiceLinkCall.method {
                    // Two calls in one row: the link, then the message carrying it.
                    let (link, message) = try InvoiceLinkCall.parts(of: row.payload)
                    #expect(!String(decoding: message, as: UTF8.self).contains("\"pay\""))
                    calls += [("createInvoiceLink", link, row), ("sendMessage", message, row)]
                } else {
                    calls.append((row.method, row.payload, row))
                }
            }
            for (method, payload, row) in calls {
                // A local file goes up as the multipart part `mediaField` (the JSON has no such field).
                let uploads: Set<String> = row.mediaPath == nil ? [] : [row.mediaField ?? ""]
                guard case .object(let parameters) = try JSONValue.parse(payload) else {
                    Issue.record("\(method): payload is not a JSON object")
                    continue
                }
                let problems = schema.problems(method: method, parameters: parameters, uploads: uploads)
                #expect(problems.isEmpty, "\(effect): \(problems)")
            }
        }
    }

    @Test func theCheckerWouldCatchARenamedField() throws {
        let schema = try BotAPISchema.load()
        let row = try #require(EffectRenderer.rows(for: .deleteMessage(messageId: 9), chatId: 501, updateId: nil).first)
        guard case .object(var parameters) = try JSONValue.parse(row.payload) else { throw CheckerError() }
        parameters["messageId"] = parameters.removeValue(forKey: "message_id")
        #expect(schema.problems(method: row.method, parameters: parameters) == [
            "deleteMessage.messageId: not a field of Bot API 10.1", "deleteMessage: required field message_id missing",
        ])
    }

    struct CheckerError: Error {}
}

@Suite("Outbox JSON text")
struct OutboxJSONTextTests {
    @Test("tricky texts survive the outbox writer exactly")
    func roundTrip() throws {
        let texts = ["plain", "quote \" and \\ backslash", "line\nbreak\ttab\r", "\u{01}\u{1F} controls", "emoji 👩‍💻 and ünïcödé", "</b>&amp;<", ""]
        for text in texts {
            let rows = EffectRenderer.rows(for: .send(OutgoingMessage(text: text, buttons: [[.callback(text, "v1|x")]])), chatId: -100_123, updateId: 1)
            let object = try #require(try JSONSerialization.jsonObject(with: rows[0].payload) as? [String: Any])
            #expect(object["text"] as? String == text)
            #expect(object["chat_id"] as? Int == -100_123)
            let keyboard = try #require((object["reply_markup"] as? [String: Any])?["inline_keyboard"] as? [[[String: Any]]])
            #expect(keyboard[0][0]["text"] as? String == text)
            #expect((object["link_preview_options"] as? [String: Any])?["is_disabled"] as? Bool == true)
        }
    }
}
