import Foundation
import Manifests
import Testing

/// Bytes that are not UTF-8 in bots.yaml or course.yaml are reported where they are
/// (`FILE:LINE:COL: not valid UTF-8`), like a NUL byte, not as a bare "cannot read file".
@Suite struct ManifestEncodingTests {
    static let course = "slug: cafe\ntitle: Cafe Course\nsteps:\n  - id: a\n    type: text\n    text: t\n"

    /// `text` with `bad` bytes put in place of the first `marker` in it.
    static func bytes(_ text: String, replacing marker: String, with bad: [UInt8]) -> Data {
        let range = text.range(of: marker)!
        return Data(text[..<range.lowerBound].utf8) + Data(bad) + Data(text[range.upperBound...].utf8)
    }

    @Test func latin1InBotsYamlIsPlacedAtItsByte() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("course/course.yaml", Self.course)
        let yaml = "payments:\n  terms_url: https://example.org/caf#\nbots:\n  - token: 1002:TEST-token-alpha\n    course: course\n"
        try folder.write("bots.yaml", data: Self.bytes(yaml, replacing: "#", with: [0xE9]))
        let result = ConfigCheck.run(configPath: folder.path + "/bots.yaml", displayPath: "bots.yaml", environment: [:])
        #expect(result.summary == nil)
        #expect(result.diagnostics.map(\.description) == ["bots.yaml:2:37: not valid UTF-8"])
        #expect(throws: DiagnosticsError.self) { try BotsConfig.load(path: folder.path + "/bots.yaml", environment: [:]) }
        do {
            _ = try BotsConfig.load(path: folder.path + "/bots.yaml", environment: [:])
        } catch {
            #expect(error.diagnostics.map(\.message) == ["not valid UTF-8"])
            #expect(error.diagnostics.first.map { [$0.line, $0.column] } == [2, 37])
        }
    }

    @Test func latin1InACourseTitleIsPlacedAtItsByte() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("bots.yaml", "bots:\n  - token: 1002:TEST-token-alpha\n    course: courses/cafe\n")
        try folder.write("courses/cafe/course.yaml", data: Self.bytes(Self.course.replacingOccurrences(of: "Cafe Course", with: "Caf# Course"), replacing: "#", with: [0xE9]))
        let result = ConfigCheck.run(configPath: folder.path + "/bots.yaml", displayPath: "bots.yaml", environment: [:])
        #expect(result.diagnostics.map(\.description) == ["courses/cafe/course.yaml:2:11: not valid UTF-8"])
        #expect(throws: DiagnosticsError.self) {
            try CourseManifest.load(directory: folder.path + "/courses/cafe", displayPath: "courses/cafe")
        }
    }

    @Test func anOverlongSlashInAFilePathIsNotUTF8() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        // Multi-byte characters before it on the line count as one column each.
        let yaml = "slug: p\ntitle: Pé\nsteps:\n  - id: a\n    type: photo\n    file: médiä#x.png\n"
        try folder.write("p/course.yaml", data: Self.bytes(yaml, replacing: "#", with: [0xC0, 0xAF]))
        do {
            _ = try CourseManifest.load(directory: folder.path + "/p", displayPath: "p")
            Issue.record("an overlong C0 AF was accepted")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["p/course.yaml:6:16: not valid UTF-8"])
        }
    }

    @Test func validUTF8AfterTheFixStillReads() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("c/course.yaml", Self.course.replacingOccurrences(of: "Cafe Course", with: "Café Course"))
        let course = try CourseManifest.load(directory: folder.path + "/c", displayPath: "c")
        #expect(course.title == "Café Course")
    }
}
