import AsyncHTTPClient
import BrowserTesting
import Foundation
import GongbuTesting
import HTTPAPI
import Hummingbird
import Testing

extension BrowserSuite {
    /// `/app` without the REST API behind it: the page and its assets are served from the binary,
    /// the Markdown preview is the bots' renderer, and a desktop browser without Telegram launch
    /// data is offered the Login Widget for the manager bot named by `/app/config.json`.
    @Suite struct AppPageTests {
        static func router(username: String?) -> Router<BasicRequestContext> {
            let router = Router()
            AppPage.register(on: router, managerUsername: { username })
            return router
        }

        @Test func servesThePageItsAssetsAndThePreview() async throws {
            try await LoopbackServer.serving(Self.router(username: "school_manager_bot")) { server in
                let page = try await Self.get(server.baseURL + "/app")
                #expect(page.status == 200)
                #expect(page.type.hasPrefix("text/html"))
                #expect(page.body.contains("<script src=\"/app/app.js\"></script>"))
                #expect(page.csp.contains("script-src 'self' https://telegram.org"))
                let script = try await Self.get(server.baseURL + "/app/app.js")
                #expect(script.type.hasPrefix("text/javascript"))
                #expect(script.body.contains("tgWebAppData"))
                #expect(try await Self.get(server.baseURL + "/app/app.css").body.contains("--tg-theme-bg-color"))
                let config = try await Self.get(server.baseURL + "/app/config.json")
                #expect(try JSONValue.parse(Data(config.body.utf8))["botUsername"]?.stringValue == "school_manager_bot")

                let preview = try await Self.post(server.baseURL + "/app/preview", #"{"text": "**Swift** is <safe> & `fast`", "title": "Welcome"}"#)
                #expect(preview.status == 200)
                #expect(try JSONValue.parse(Data(preview.body.utf8))["html"]?.stringValue
                    == "<b>Welcome</b>\n\n<b>Swift</b> is &lt;safe&gt; &amp; <code>fast</code>")
                let refused = try await Self.post(server.baseURL + "/app/preview", #"{"nothing": 1}"#)
                #expect(refused.status == 422)
                #expect(try JSONValue.parse(Data(refused.body.utf8))["error"]?["field"]?.stringValue == "text")
            }
        }

        @Test func aDesktopBrowserWithoutLaunchDataIsOfferedTheLoginWidget() async throws {
            try await LoopbackServer.serving(Self.router(username: "school_manager_bot")) { server in
                try await Browser.run(name: "app-login-widget") { browser in
                    try await browser.navigate(to: server.baseURL + "/app")
                    let widget = try await browser.waitFor("[data-test=login-widget]")
                    // The widget's script tag names the manager bot and calls back into the page.
                    let script = try await browser.waitFor("page to add the widget script", produce: { () -> BrowserElement? in
                        try await widget.findAll("script").first
                    })
                    #expect(try await script.attribute("data-telegram-login") == "school_manager_bot")
                    #expect(try await script.attribute("data-onauth") == "gongbuWidgetAuth(user)")
                    #expect(try await browser.find("[data-test=screen-title]").text() == "Sign in")
                    try await browser.screenshot("app-login-widget")
                }
            }
        }

        struct Fetched {
            var status: Int
            var type: String
            var csp: String
            var body: String
        }

        static func get(_ url: String) async throws -> Fetched {
            try await fetch(HTTPClientRequest(url: url))
        }

        static func post(_ url: String, _ json: String) async throws -> Fetched {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
            return try await fetch(request)
        }

        static func fetch(_ request: HTTPClientRequest) async throws -> Fetched {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
            return Fetched(
                status: Int(response.status.code), type: response.headers.first(name: "Content-Type") ?? "",
                csp: response.headers.first(name: "Content-Security-Policy") ?? "", body: String(buffer: body))
        }
    }
}
