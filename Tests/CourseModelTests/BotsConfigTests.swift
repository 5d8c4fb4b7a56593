import Foundation
import Manifests
import Testing

@Suite struct BotsConfigTests {
    static let environment = [
        "GONGBU_MANAGER_TOKEN": "1001:TEST-token-manager",
        "SWIFT_BASICS_TOKEN": "1002:TEST-token-alpha",
    ]

    static let good = """
        telegram:
          api_url: http://127.0.0.1:8081/
          poll_timeout: 25
        data_dir: var/data
        http:
          listen: 127.0.0.1:8080
        manager:
          token: ${GONGBU_MANAGER_TOKEN}
          admins: [111111111, 222222222]
          creators: invite
        payments:
          provider_token: ""
          terms_url: https://example.org/terms
          commission_percent: 10
        bots:
          - token: ${SWIFT_BASICS_TOKEN}
            course: courses/swift-basics
          - token: 1003:TEST-token-beta
            course: ../elsewhere/course-two

        """

    /// Loads `yaml` written as bots.yaml in a temp folder; returns the folder too.
    func load(_ yaml: String, environment: [String: String] = Self.environment) throws -> (Result<BotsConfig, DiagnosticsError>, TestFolder) {
        let folder = try TestFolder()
        let path = try folder.write("bots.yaml", yaml)
        let result = Result { () throws(DiagnosticsError) in try BotsConfig.load(path: path, environment: environment) }
        return (result, folder)
    }

    func errors(_ yaml: String, environment: [String: String] = Self.environment) throws -> [Diagnostic] {
        let (result, folder) = try load(yaml, environment: environment)
        defer { folder.remove() }
        guard case .failure(let error) = result else {
            Issue.record("expected diagnostics, got a config")
            return []
        }
        return error.diagnostics
    }

    @Test func goodFileLoads() throws {
        let (result, folder) = try load(Self.good)
        defer { folder.remove() }
        let config = try result.get()
        #expect(config.telegram.apiURL == "http://127.0.0.1:8081")
        #expect(config.telegram.pollTimeout == 25)
        #expect(config.http == BotsConfig.HTTP(listen: "127.0.0.1:8080", host: "127.0.0.1", port: 8080))
        #expect(config.manager == BotsConfig.Manager(token: "1001:TEST-token-manager", admins: [111111111, 222222222], creators: .invite))
        #expect(config.payments.providerToken == "")
        #expect(config.payments.currency == "XTR")
        #expect(config.payments.termsURL == "https://example.org/terms")
        #expect(config.payments.commissionPercent == 10)
        #expect(config.bots.map(\.token) == ["1002:TEST-token-alpha", "1003:TEST-token-beta"])
        #expect(config.bots[0].coursePath == "courses/swift-basics")
        #expect(config.bots[0].courseFileDisplayPath == "courses/swift-basics/course.yaml")
        #expect(config.bots[0].line == 17)
        #expect(config.bots[0].column == 13)
    }

    @Test func relativePathsResolveAgainstTheFileFolder() throws {
        let (result, folder) = try load(Self.good)
        defer { folder.remove() }
        let config = try result.get()
        let base = URL(fileURLWithPath: folder.path).standardizedFileURL.path
        #expect(config.baseDirectory == base)
        #expect(config.dataDir == base + "/var/data")
        #expect(config.bots[0].course == base + "/courses/swift-basics")
        let parent = (base as NSString).deletingLastPathComponent
        #expect(config.bots[1].course == parent + "/elsewhere/course-two")
    }

    @Test func defaults() throws {
        let (result, folder) = try load("bots:\n  - token: 1002:TEST-token-alpha\n    course: c\n")
        defer { folder.remove() }
        let config = try result.get()
        #expect(config.telegram == BotsConfig.Telegram(apiURL: "https://api.telegram.org", pollTimeout: 50))
        #expect(config.dataDir.hasSuffix("/data"))
        #expect(config.http == nil)
        #expect(config.manager == nil)
        #expect(config.payments == BotsConfig.Payments(providerToken: "", termsURL: nil, currency: "XTR", commissionPercent: 0))
    }

    @Test func variableSubstitutionInsideLongerStrings() throws {
        let yaml = "telegram:\n  api_url: http://${HOST}:${PORT}\nbots: []\nmanager:\n  token: ${GONGBU_MANAGER_TOKEN}\n"
        let environment = Self.environment.merging(["HOST": "localhost", "PORT": "9000"]) { $1 }
        let (result, folder) = try load(yaml, environment: environment)
        defer { folder.remove() }
        #expect(try result.get().telegram.apiURL == "http://localhost:9000")
    }

    @Test func missingVariableIsAnErrorAtItsScalar() throws {
        let diagnostics = try errors(Self.good, environment: ["GONGBU_MANAGER_TOKEN": "1001:TEST-token-manager"])
        #expect(diagnostics.map(\.description) == [
            "\(diagnostics.first?.file ?? ""):16:12: environment variable SWIFT_BASICS_TOKEN is not set",
        ])
        #expect(diagnostics.first?.line == 16)
        #expect(diagnostics.first?.column == 12)
    }

    @Test func apiURLOverrideFromTheEnvironmentWins() throws {
        let environment = Self.environment.merging(["GONGBU_TELEGRAM_API_URL": "http://127.0.0.1:9999/"]) { $1 }
        let (result, folder) = try load(Self.good, environment: environment)
        defer { folder.remove() }
        #expect(try result.get().telegram.apiURL == "http://127.0.0.1:9999")
    }

    @Test func unknownKeyAtItsPositionWithSuggestion() throws {
        let diagnostics = try errors("telegram:\n  api_url: https://api.telegram.org\n  pol_timeout: 5\nbots: []\n")
        #expect(diagnostics.count == 1)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.line == 3)
        #expect(diagnostic.column == 3)
        #expect(diagnostic.message == "unknown key 'pol_timeout' in telegram (did you mean 'poll_timeout'?); expected one of: api_url, poll_timeout")
        #expect(diagnostic.description.hasSuffix("bots.yaml:3:3: " + diagnostic.message))
    }

    @Test func wrongTypeAtTheValuePosition() throws {
        let diagnostics = try errors("telegram:\n  poll_timeout: abc\nbots: []\n")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect((diagnostic.line, diagnostic.column) == (2, 17))
        #expect(diagnostic.message == "poll_timeout must be an integer, got 'abc'")
    }

    @Test func yamlSyntaxErrorHasItsPosition() throws {
        let diagnostics = try errors("telegram:\n  api_url: [unclosed\nbots: []\n")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(diagnostic.message.hasPrefix("YAML syntax error"))
        #expect(diagnostic.line == 3)
        #expect(diagnostic.column >= 1)
    }

    @Test func duplicateKeyIsReported() throws {
        let diagnostics = try errors("data_dir: a\ndata_dir: b\n")
        #expect(diagnostics.map(\.message) == ["duplicate key 'data_dir'"])
        #expect(diagnostics.first?.line == 1)
    }

    @Test func duplicateTokensAndCoursesAreErrorsWithoutPrintingTheToken() throws {
        let yaml = """
            manager:
              token: 1001:TEST-token-manager
            bots:
              - token: 1002:TEST-token-alpha
                course: courses/a
              - token: 1002:TEST-token-alpha
                course: courses/b
              - token: 1001:TEST-token-manager
                course: courses/c
              - token: 1004:TEST-token-delta
                course: courses/./a

            """
        let diagnostics = try errors(yaml)
        #expect(diagnostics.map(\.message) == [
            "token 1002:*** is already used by bots[0]",
            "token 1001:*** is already used by the manager bot",
            "course 'courses/./a' is already served by bots[0]",
        ])
        #expect(diagnostics.map(\.line) == [6, 8, 11])
        #expect(diagnostics.map(\.column) == [12, 12, 13])
        #expect(!diagnostics.contains { $0.description.contains("TEST-token") })
    }

    @Test func everyErrorIsCollected() throws {
        let yaml = """
            telegram:
              api_url: ftp://nope
              poll_timeout: -3
            http:
              listen: localhost
            manager:
              token: not-a-token
              admins: [abc]
              creators: opne
            payments:
              currency: USD
              commission_percent: 120
            bots:
              - course: x
              - token: 1002:TEST-token-alpha
                course: y
                extra: 1

            """
        let diagnostics = try errors(yaml)
        let found = diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
        #expect(found == [
            "2:12: api_url must be an http(s) URL, got 'ftp://nope'",
            "3:17: poll_timeout must be between 0 and 600 seconds, got -3",
            "5:11: listen must be host:port (e.g. 127.0.0.1:8080), got 'localhost'",
            "7:10: manager.token does not look like a bot token from @BotFather (123456:ABC-DEF...)",
            "8:12: an admin id must be an integer, got 'abc'",
            "9:13: creators must be one of open, invite, got 'opne' (did you mean 'open'?)",
            "11:13: currency must be XTR (Telegram Stars) when provider_token is empty, got 'USD'",
            "12:23: commission_percent must be between 0 and 100, got 120",
            "14:5: missing key 'token' in bots[0]",
            "17:5: unknown key 'extra' in bots[1]; expected one of: token, course",
        ])
    }

    @Test func missingFileIsADiagnostic() {
        let path = NSTemporaryDirectory() + "no-such-\(UUID().uuidString)/bots.yaml"
        #expect(throws: DiagnosticsError([Diagnostic(file: path, line: 0, column: 0, message: "no such file")])) {
            try BotsConfig.load(path: path, environment: [:])
        }
    }
}
