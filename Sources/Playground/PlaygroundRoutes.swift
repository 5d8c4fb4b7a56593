import Foundation
import GongbuTesting
import Hummingbird
import NIOCore

/// The playground's HTTP interface, added to the same router as `/healthz` and `/metrics`.
///
/// Chats are named `creator` (the demo creator in the manager bot) and `student-<user id>`
/// (a student in the course bot). All bodies are JSON; every POST answers `{"ok": true, …}`, or
/// 400/404 with `{"ok": false, "error": "…"}`.
///
/// - `GET /playground`: the page (two chat panes and a third for another student).
/// - `GET /playground/state`: `{"chats": [{"chat", "role", "user_id", "first_name",
///   "bot_username", "bot_name"}], "app_url": "/app#tgWebAppData=…"|null, "links": {…}}`.
/// - `GET /playground/messages?chat=C`: `{"chat", "messages": [M], "reply_keyboard": {"rows"},
///   "popups": [{"callback_query_id", "text", "show_alert"}]}`, where M is `{"message_id",
///   "from_bot", "edited", "text", "media", "buttons": [[{"text", "callback_data"?, "url"?,
///   "pay"?}]], "file": {"url", "name"?, "mime_type"?}?, "message": <Telegram Message>}`.
/// - `GET /playground/events?chat=C`: server-sent events: `message` (M, for every message at
///   first, then each new or edited one), `delete` (`{"message_id"}`), `keyboard` (`{"rows"}`),
///   `popup`, and `ready` once the first batch is out.
/// - `GET /playground/file?chat=C&file_id=F`: a file shown in the chat (photo, document, …).
/// - `POST /playground/send` `{"chat", "text"}`: the user sends a text (a reply-keyboard button
///   too) → `{"message_id"}`.
/// - `POST /playground/press` `{"chat", "message_id", "callback_data"}`: presses an inline
///   button → `{"callback_query_id"}`; the bot's pop-up comes as a `popup` event.
/// - `POST /playground/reply` `{"chat", "text"}`: presses a reply-keyboard button (a
///   `request_managed_bot` one creates the bot, as Telegram does).
/// - `POST /playground/upload` `{"chat", "kind": "photo"|"document", "data": base64,
///   "file_name"?, "mime_type"?, "caption"?}` → `{"message_id"}`.
/// - `POST /playground/pay` `{"chat", "message_id"?}`: pays that invoice (else the newest):
///   pre_checkout_query, the bot's answer, successful_payment → `{"outcome": "paid"|"refused"|
///   "not_answered", "error"?, "telegram_payment_charge_id"?}`.
/// - `POST /playground/poll` `{"chat", "options": [index]}`: answers the newest open poll.
/// - `POST /playground/students` `{"first_name"?, "language_code"?}`: adds a student → the chat
///   as in `/state`.
public enum PlaygroundRoutes {
    /// Largest accepted request body (an uploaded file, base64-encoded).
    static let maxBody = 30 * 1024 * 1024

    public static func register<Context: RequestContext>(on router: Router<Context>, playground: Playground) {
        router.get("/playground") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: PlaygroundPage.html)))
        }
        router.get("/playground/state") { _, _ -> Response in
            let chats = [playground.creator] + playground.students
            return json([
                "chats": .array(chats.map(PlaygroundJSON.chat)),
                "app_url": playground.appLink().map { JSONValue.string($0) } ?? JSONValue.null,
                "links": ["healthz": "/healthz", "metrics": "/metrics", "app": "/app"],
            ])
        }
        router.get("/playground/messages") { request, _ -> Response in
            guard let chat = chat(request.uri.queryParameters["chat"].map(String.init), playground) else { return notFound() }
            return json(PlaygroundJSON.snapshot(chat.bot.snapshot(chatId: chat.user.chatId), chat: chat.key))
        }
        router.get("/playground/events") { request, _ -> Response in
            guard let chat = chat(request.uri.queryParameters["chat"].map(String.init), playground) else { return notFound() }
            return events(for: chat, playground: playground)
        }
        router.get("/playground/file") { request, _ -> Response in
            guard let chat = chat(request.uri.queryParameters["chat"].map(String.init), playground),
                let id = request.uri.queryParameters["file_id"].map(String.init),
                // Only files shown in this chat, as a Telegram client would have them.
                chat.bot.snapshot(chatId: chat.user.chatId).entries.contains(where: { PlaygroundJSON.fileObject($0.json)?.id == id }),
                let file = chat.bot.file(id: id)
            else { return notFound() }
            var headers: HTTPFields = [.contentType: file.mimeType ?? "application/octet-stream", .cacheControl: "max-age=3600"]
            if let name = file.fileName { headers[.contentDisposition] = "inline; filename=\"\(name.replacingOccurrences(of: "\"", with: ""))\"" }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.data)))
        }
        router.post("/playground/send") { request, _ -> Response in
            try await act(request, playground) { chat, body in
                guard let text = body["text"]?.stringValue, !text.isEmpty else { throw PlaygroundError("text is required") }
                return ["message_id": .int(Int64(chat.user.send(text)))]
            }
        }
        router.post("/playground/press") { request, _ -> Response in
            try await act(request, playground) { chat, body in
                guard let id = body["message_id"]?.intValue, let data = body["callback_data"]?.stringValue else {
                    throw PlaygroundError("message_id and callback_data are required")
                }
                do {
                    let pressed = try chat.user.press(messageId: Int(id), callbackData: data)
                    return ["callback_query_id": .string(pressed.callbackQueryId)]
                } catch {
                    throw PlaygroundError("no such button on message \(id)")
                }
            }
        }
        router.post("/playground/reply") { request, _ -> Response in
            try await act(request, playground) { chat, body in
                guard let text = body["text"]?.stringValue, !text.isEmpty else { throw PlaygroundError("text is required") }
                let rows = chat.bot.snapshot(chatId: chat.user.chatId).replyKeyboard ?? []
                let button = rows.flatMap { $0 }.first { $0["text"]?.stringValue == text }
                if button?["request_managed_bot"] != nil {
                    let bot = try playground.emulator.createManagedBot(by: chat.user, pressing: text)
                    return ["bot_username": .string(bot.username)]
                }
                return ["message_id": .int(Int64(chat.user.send(text)))]
            }
        }
        router.post("/playground/upload") { request, _ -> Response in
            try await act(request, playground) { chat, body in
                guard let base64 = body["data"]?.stringValue, let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters),
                    !data.isEmpty
                else { throw PlaygroundError("data (base64) is required") }
                let caption = body["caption"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
                switch body["kind"]?.stringValue {
                case "photo":
                    return ["message_id": .int(Int64(chat.user.sendPhoto(data: data, caption: caption)))]
                case "document":
                    let name = body["file_name"]?.stringValue ?? "file"
                    let type = body["mime_type"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "application/octet-stream"
                    return ["message_id": .int(Int64(chat.user.sendDocument(data: data, fileName: name, mimeType: type, caption: caption)))]
                default:
                    throw PlaygroundError("kind must be photo or document")
                }
            }
        }
        router.post("/playground/pay") { request, _ -> Response in
            try await act(request, playground) { chat, body in
                let outcome: ScriptedUser.PaymentOutcome
                do {
                    if let id = body["message_id"]?.intValue {
                        outcome = try await chat.user.pay(messageId: Int(id))
                    } else {
                        outcome = try await chat.user.pay()
                    }
                } catch {
                    throw PlaygroundError("no invoice to pay")
                }
                switch outcome {
                case .paid(let record):
                    return ["outcome": "paid", "telegram_payment_charge_id": .string(record.telegramPaymentChargeId)]
                case .refused(let message):
                    return ["outcome": "refused", "error": message.map { JSONValue.string($0) } ?? JSONValue.null]
                case .notAnswered:
                    return ["outcome": "not_answered"]
                }
            }
        }
        router.post("/playground/poll") { request, _ -> Response in
            try await act(request, playground) { chat, body in
                let options = (body["options"]?.arrayValue ?? []).compactMap { $0.intValue.map(Int.init) }
                guard !options.isEmpty else { throw PlaygroundError("options is required") }
                do {
                    try chat.user.answerPoll(optionIds: options)
                } catch {
                    throw PlaygroundError("no open poll with those options")
                }
                return [:]
            }
        }
        router.post("/playground/students") { request, _ -> Response in
            let body = try await jsonBody(request)
            let chat = playground.addStudent(
                firstName: body["first_name"]?.stringValue, languageCode: body["language_code"]?.stringValue ?? "en")
            var answer = PlaygroundJSON.chat(chat).objectValue ?? [:]
            answer["ok"] = true
            return json(.object(answer))
        }
    }

    // MARK: Helpers

    static func chat(_ key: String?, _ playground: Playground) -> Playground.Chat? {
        key.flatMap { playground.chat($0) }
    }

    /// Reads the JSON body, finds its chat, runs the action, wakes the chat's windows.
    static func act(
        _ request: Request, _ playground: Playground,
        _ action: (Playground.Chat, JSONValue) async throws -> [String: JSONValue]
    ) async throws -> Response {
        let body: JSONValue
        do {
            body = try await jsonBody(request)
        } catch {
            return failure(.badRequest, "the body must be a JSON object")
        }
        guard let chat = chat(body["chat"]?.stringValue, playground) else { return notFound() }
        do {
            var result = try await action(chat, body)
            chat.bot.notifyObservers(chatId: chat.user.chatId)
            result["ok"] = true
            return json(.object(result))
        } catch let error as PlaygroundError {
            return failure(.badRequest, error.message)
        } catch {
            return failure(.badRequest, "\(error)")
        }
    }

    static func jsonBody(_ request: Request) async throws -> JSONValue {
        var request = request
        let buffer = try await request.collectBody(upTo: maxBody)
        if buffer.readableBytes == 0 { return [:] }
        let value = try JSONValue.parse(Data(buffer.readableBytesView))
        guard case .object = value else { throw PlaygroundError("not an object") }
        return value
    }

    /// The SSE response of one chat window; the stream ends when the client goes or the playground closes.
    static func events(for chat: Playground.Chat, playground: Playground) -> Response {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .unbounded)
        let producer = ChatEventStream(chat: chat)
        let id = playground.startStream({
            await producer.run { text in
                if case .terminated = continuation.yield(ByteBuffer(string: text)) { return false }
                return true
            }
        }, onEnd: { continuation.finish() })
        if let id {
            continuation.onTermination = { _ in playground.cancelStream(id) }
        } else {
            continuation.finish()
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"],
            body: ResponseBody(asyncSequence: stream))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized)))
    }

    static func failure(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(["ok": false, "error": .string(message)], status: status)
    }

    static func notFound() -> Response { failure(.notFound, "no such chat or file") }
}

/// A refusal of a playground action, shown to the browser as `{"ok": false, "error": message}`.
struct PlaygroundError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
