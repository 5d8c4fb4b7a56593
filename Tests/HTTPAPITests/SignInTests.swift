import Foundation
import Manifests
import Storage
import TelegramBotAPI
import Testing

/// `POST /auth/telegram`, `/auth/widget`, `/auth/refresh`, `/auth/logout` over loopback against
/// the real runtime: valid, forged, stale and replayed payloads, sessions, limits.
@Suite("Workspace sign-in", .serialized, .timeLimit(.minutes(3)))
struct SignInTests {
    static let manager = "7101:TEST-api-signin-manager"

    func initData(_ id: Int64, token: String = Self.manager, age: Double = 0, query: String = UUID().uuidString) -> String {
        TelegramSignIn.makeInitData(
            user: TelegramSignIn.SignedUser(id: id, firstName: "Ann", username: "ann", authDate: Int64(Date().timeIntervalSince1970 - age)),
            token: token, queryId: "AAE-\(query.prefix(8))")
    }

    func body(_ initData: String) -> String { ManifestValue.fields([("initData", .string(initData))]).jsonText }

    @Test("valid initData signs in as creator or admin; forged, stale and replayed initData get 401; the token opens the API until logout")
    func miniAppSignIn() async throws {
        try await APIHarness.with(managerToken: Self.manager, admins: [42]) { api in
            let data = initData(901)
            let first = try await api.call("POST", "/auth/telegram", json: body(data))
            #expect(first.status == 200, "\(first.text)")
            let json = try #require(first.json)
            #expect(json["user"]?["id"] == .int(901) && json["user"]?["role"] == .string("creator") && json["user"]?["first_name"] == .string("Ann"))
            let token = try #require(json["token"]?.stringValue)
            let expires = try #require(json["expires_at"]?.stringValue.flatMap { ISO8601DateFormatter().date(from: $0) })
            #expect(abs(expires.timeIntervalSinceNow - 12 * 3600) < 120)
            #expect(!first.text.contains("TEST-api-signin-manager"))

            let replay = try await api.call("POST", "/auth/telegram", json: body(data))
            #expect(replay.status == 401 && replay.errorCode == "unauthorized", "\(replay.text)")
            let forged = try await api.call("POST", "/auth/telegram", json: body(initData(901, token: "7101:TEST-some-other-bot")))
            #expect(forged.status == 401 && forged.errorCode == "unauthorized")
            let stale = try await api.call("POST", "/auth/telegram", json: body(initData(901, age: 2 * 86_400)))
            #expect(stale.status == 401)
            let tampered = try await api.call("POST", "/auth/telegram", json: body(initData(901).replacingOccurrences(of: "901", with: "902")))
            #expect(tampered.status == 401)
            let missing = try await api.call("POST", "/auth/telegram", json: "{}")
            #expect(missing.status == 422 && missing.errorField == "initData")

            let admin = try await api.call("POST", "/auth/telegram", json: body(initData(42)))
            #expect(admin.json?["user"]?["role"] == .string("admin"))

            #expect(try await api.call("GET", "/courses", token: token).status == 200)
            #expect(try await api.call("GET", "/courses").status == 401)
            #expect(try await api.call("GET", "/courses", token: token + "x").status == 401)
            #expect(try await api.call("GET", "/courses", token: "gw1.901.99999999999.00000000000000000000000000000000.forged").status == 401)

            let refreshed = try await api.call("POST", "/auth/refresh", token: token)
            #expect(refreshed.status == 200, "\(refreshed.text)")
            let renewed = try #require(refreshed.json?["token"]?.stringValue)
            #expect(renewed != token)
            #expect(try await api.call("GET", "/courses", token: token).status == 401)
            #expect(try await api.call("GET", "/courses", token: renewed).status == 200)
            #expect(try await api.call("POST", "/auth/logout", token: renewed).status == 204)
            #expect(try await api.call("GET", "/courses", token: renewed).status == 401)
            let audit = try await api.platform().auditLog().map(\.action)
            #expect(audit.contains("session.open") && audit.contains("session.close"))
        }
    }

    @Test("Login Widget data signs in; forged widget data gets 401")
    func widgetSignIn() async throws {
        try await APIHarness.with(managerToken: Self.manager) { api in
            let user = TelegramSignIn.SignedUser(id: 903, firstName: "Wes", username: "wes", authDate: Int64(Date().timeIntervalSince1970))
            var fields = TelegramSignIn.makeWidget(user: user, token: Self.manager)
            let json = ManifestValue.fields(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.key == "id" || $0.key == "auth_date" ? .int(Int64($0.value)!) : .string($0.value)) })
            let good = try await api.call("POST", "/auth/widget", json: json.jsonText)
            #expect(good.status == 200, "\(good.text)")
            #expect(good.json?["user"]?["id"] == .int(903))
            fields["first_name"] = "Mallory"
            let forged = ManifestValue.fields(fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
            let refused = try await api.call("POST", "/auth/widget", json: forged.jsonText)
            #expect(refused.status == 401 && refused.errorCode == "unauthorized")
        }
    }

    @Test("with creators: invite, a user no admin approved gets 403 at sign-in; once approved, 200")
    func nonCreatorForbidden() async throws {
        try await APIHarness.with(managerToken: Self.manager, admins: [42], creators: .invite) { api in
            let refused = try await api.call("POST", "/auth/telegram", json: body(initData(905)))
            #expect(refused.status == 403 && refused.errorCode == "forbidden", "\(refused.text)")
            let platform = try api.platform()
            _ = try await platform.addCreator(userId: 905, name: "Ann", status: .pending, now: Date().timeIntervalSince1970)
            #expect(try await api.call("POST", "/auth/telegram", json: body(initData(905))).status == 403)
            #expect(try await platform.decideCreator(userId: 905, approve: true, by: 42, now: Date().timeIntervalSince1970))
            #expect(try await api.call("POST", "/auth/telegram", json: body(initData(905))).status == 200)
        }
    }

    @Test("the 11th sign-in try within a minute from one address gets 429")
    func signInLimit() async throws {
        try await APIHarness.with(managerToken: Self.manager) { api in
            for attempt in 1...10 {
                let answer = try await api.call("POST", "/auth/telegram", json: body(initData(907, token: "7101:TEST-forged-\(attempt)")))
                #expect(answer.status == 401)
            }
            let limited = try await api.call("POST", "/auth/telegram", json: body(initData(907)))
            #expect(limited.status == 429 && limited.errorCode == "too_many_requests", "\(limited.text)")
        }
    }
}
