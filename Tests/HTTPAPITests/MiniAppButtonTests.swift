import Foundation
import GongbuTesting
import Manifests
import Testing

/// `http.public_url`: checked in bots.yaml; with it the manager bot's menu button opens the Mini
/// App and `/courses` cards carry an **Open in app** web_app button.
@Suite("Mini App buttons", .serialized, .timeLimit(.minutes(3)))
struct MiniAppButtonTests {
    static func config(_ http: String) -> String {
        """
        data_dir: data
        http:
        \(http)
        manager:
          token: "7601:TEST-menu-manager"
        """
    }

    @Test("public_url must be https; a trailing slash is dropped; it is optional")
    func publicURLRule() throws {
        let good = try BotsConfig.parse(yaml: Self.config("  listen: 127.0.0.1:8080\n  public_url: https://gongbu.example.org/"), path: "bots.yaml", environment: [:])
        #expect(good.http?.publicURL == "https://gongbu.example.org")
        let none = try BotsConfig.parse(yaml: Self.config("  listen: 127.0.0.1:8080"), path: "bots.yaml", environment: [:])
        #expect(none.http?.publicURL == nil)
        #expect(throws: DiagnosticsError.self) {
            try BotsConfig.parse(yaml: Self.config("  listen: 127.0.0.1:8080\n  public_url: http://gongbu.example.org"), path: "bots.yaml", environment: [:])
        }
        do {
            _ = try BotsConfig.parse(yaml: Self.config("  listen: 127.0.0.1:8080\n  public_url: gongbu"), path: "bots.yaml", environment: [:])
            Issue.record("a public_url without https:// was accepted")
        } catch {
            #expect(error.description.contains("bots.yaml:4:") && error.description.contains("public_url must be an https:// URL"), "\(error)")
        }
    }

    @Test("with public_url the manager bot sets its menu button to <public_url>/app and /courses cards open the app")
    func menuButtonAndCards() async throws {
        try await APIHarness.with(managerToken: "7602:TEST-menu-manager", publicURL: "https://gongbu.example.org") { api in
            #expect(try await eventually { api.manager.calls(method: "setChatMenuButton").contains { $0.succeeded } })
            let call = try #require(api.manager.calls(method: "setChatMenuButton").first { $0.succeeded })
            #expect(call.parameters["menu_button"]?.structured?["web_app"]?["url"]?.stringValue == "https://gongbu.example.org/app", "\(call.parameters)")
            let token = try await api.signIn(811, name: "Cora")
            #expect(try await api.call("POST", "/courses", token: token, json: #"{"title":"Menu course"}"#).status == 201)
            let cora = api.manager.user(id: 811, firstName: "Cora")
            try await cora.send("/start", expecting: "Gongbu")
            let card = try await cora.send("/courses", expecting: "Menu course")
            #expect(card.buttonLabels.contains("📱 Open in app"), "\(card.buttonLabels)")
            let markup = card.json["reply_markup"]?["inline_keyboard"]?.arrayValue?.flatMap { $0.arrayValue ?? [] } ?? []
            #expect(markup.contains { $0["web_app"]?["url"]?.stringValue == "https://gongbu.example.org/app" }, "\(card.json)")
        }
    }
}
