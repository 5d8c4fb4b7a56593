import Foundation
import Manifests
import Testing

@Suite struct ConfigCheckTests {
    static let environment = [
        "GONGBU_MANAGER_TOKEN": "1001:TEST-token-manager",
        "SWIFT_BASICS_TOKEN": "1002:TEST-token-alpha",
    ]

    @Test func repositoryConfigChecksWithASummary() {
        let root = Repository.root()
        let result = ConfigCheck.run(configPath: root + "/bots.yaml", displayPath: "bots.yaml", environment: Self.environment)
        #expect(result.diagnostics.isEmpty)
        #expect(result.summary == "OK: 1 manager bot, 1 course bot, 1 course (10 steps)")
    }

    @Test func missingVariablesFailTheCheck() {
        let root = Repository.root()
        let result = ConfigCheck.run(configPath: root + "/bots.yaml", displayPath: "bots.yaml", environment: [:])
        #expect(result.summary == nil)
        #expect(result.diagnostics.map(\.description) == [
            "bots.yaml:21:10: environment variable GONGBU_MANAGER_TOKEN is not set",
            "bots.yaml:38:12: environment variable SWIFT_BASICS_TOKEN is not set",
        ])
    }

    @Test func courseErrorsNameTheCourseFileAsWrittenInBotsYaml() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("bots.yaml", """
            bots:
              - token: 1002:TEST-token-alpha
                course: courses/broken
              - token: 1003:TEST-token-beta
                course: courses/missing
              - token: 1004:TEST-token-gamma
                course: courses/copy

            """)
        try folder.write("courses/broken/course.yaml", "slug: broken\ntitle: B\nsteps:\n  - id: a\n    type: txt\n")
        try folder.write("courses/copy/course.yaml", "slug: broken\ntitle: C\nsteps:\n  - id: a\n    type: text\n    text: t\n")
        let result = ConfigCheck.run(configPath: folder.path + "/bots.yaml", displayPath: "conf/bots.yaml", environment: [:])
        #expect(result.summary == nil)
        #expect(result.diagnostics.map(\.description) == [
            "courses/broken/course.yaml:5:11: type must be one of text, photo, video, document, audio, quiz, assignment, got 'txt' (did you mean 'text'?)",
            "conf/bots.yaml:5:13: course folder 'courses/missing' not found",
        ])
    }

    @Test func duplicateSlugsAcrossCoursesAreErrors() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("bots.yaml", "bots:\n  - token: 1002:TEST-token-alpha\n    course: one\n  - token: 1003:TEST-token-beta\n    course: two\n")
        let course = "slug: same\ntitle: T\nsteps:\n  - id: a\n    type: text\n    text: t\n"
        try folder.write("one/course.yaml", course)
        try folder.write("two/course.yaml", course)
        let result = ConfigCheck.run(configPath: folder.path + "/bots.yaml", displayPath: "bots.yaml", environment: [:])
        #expect(result.diagnostics.map(\.description) == [
            "bots.yaml:5:13: course 'two' has slug 'same', already used by 'one'; slugs name data folders and must differ",
        ])
    }

    @Test func warningsDoNotFailTheCheck() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("bots.yaml", "bots:\n  - token: 1002:TEST-token-alpha\n    course: paid\n")
        try folder.write("paid/course.yaml", "slug: paid\ntitle: T\nprice:\n  model: paid\n  amount: 5\nsteps:\n  - id: a\n    type: text\n    text: t\n")
        let result = ConfigCheck.run(configPath: folder.path + "/bots.yaml", displayPath: "bots.yaml", environment: [:])
        #expect(result.diagnostics.map(\.description) == [
            "bots.yaml:3:13: warning: course 'paid' takes payments, but payments.terms_url is not set (/terms is required by Telegram)",
        ])
        #expect(result.summary == "OK: 0 manager bots, 1 course bot, 1 course (1 step)")
    }

    @Test func missingConfigFile() {
        let result = ConfigCheck.run(configPath: "/nonexistent/bots.yaml", displayPath: "bots.yaml", environment: [:])
        #expect(result.diagnostics.map(\.description) == ["bots.yaml: no such file"])
        #expect(result.summary == nil)
    }
}
