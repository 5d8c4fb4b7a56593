import Foundation
import BotRuntime
import HTTPTypes
import Hummingbird
import TelegramBotAPI

/// The creator's workspace as a Mini App (contract §9): `GET /app` and its assets, compiled into
/// the binary from `App/` (plain HTML, CSS and JavaScript; no build step), plus the two small
/// routes the page needs besides the REST API: its config (the manager bot's username, for the
/// Login Widget) and a preview that renders course Markdown exactly as the bots send it.
public enum AppPage {
    /// The longest text `/app/preview` renders (Telegram's message limit, with room for markup).
    static let previewLimit = 16 * 1024

    /// Adds `/app`, `/app/app.js`, `/app/app.css`, `/app/config.json` and `POST /app/preview` to
    /// `router`. The manager bot's username (for the Login Widget) is `managerUsername()` when
    /// given, else the one its health entry got from `getMe`; asked on each config request.
    public static func register<Context: RequestContext>(
        on router: Router<Context>, workspace: Workspace? = nil, health: BotHealth? = nil,
        managerUsername: (@Sendable () -> String?)? = nil
    ) {
        let username: @Sendable () -> String? = managerUsername ?? {
            guard let workspace, let health else { return nil }
            return health.snapshot.first { $0.botId == workspace.managerBotId }?.username
        }
        router.get("/app") { _, _ in asset(PackageResources.index_html, type: "text/html; charset=utf-8") }
        router.get("/app/app.js") { _, _ in asset(PackageResources.app_js, type: "text/javascript; charset=utf-8") }
        router.get("/app/app.css") { _, _ in asset(PackageResources.app_css, type: "text/css; charset=utf-8") }
        router.get("/app/config.json") { _, _ in
            json(["botUsername": username().map(JSONValue.string) ?? .null])
        }
        router.post("/app/preview") { request, _ -> Response in
            let body = try await request.body.collect(upTo: previewLimit + 1024)
            guard let parsed = try? JSONDecoder().decode(PreviewRequest.self, from: Data(buffer: body)),
                  parsed.text.utf8.count <= previewLimit
            else {
                return json(["error": ["code": "invalid", "message": .string("expected {\"text\": \"...\"} of at most \(previewLimit) bytes"), "field": "text"]], status: .unprocessableContent)
            }
            return json(["html": .string(preview(text: parsed.text, title: parsed.title))])
        }
    }

    struct PreviewRequest: Decodable {
        var text: String
        var title: String?
    }

    /// Course Markdown as the Telegram HTML a bot sends, headed by the step title in bold when given.
    static func preview(text: String, title: String?) -> String {
        let renderer = MarkdownRenderer()
        let body = renderer.render(text)
        guard let title, !title.trimmingCharacters(in: .whitespaces).isEmpty else { return body }
        return "<b>" + renderer.renderInline(title) + "</b>\n\n" + body
    }

    /// Only same-origin scripts plus Telegram's SDK and Login Widget (and its iframe).
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self' https://telegram.org", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' blob: data: https://t.me https://telegram.org", "frame-src https://oauth.telegram.org",
        "connect-src 'self'", "object-src 'none'", "base-uri 'none'",
    ].joined(separator: "; ")

    static func asset(_ bytes: [UInt8], type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "no-cache", .contentSecurityPolicy: contentSecurityPolicy,
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
