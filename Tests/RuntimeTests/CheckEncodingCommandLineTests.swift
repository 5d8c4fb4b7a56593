import Foundation
import Testing

/// `gongbu check` on files with bytes that are not UTF-8: `FILE:LINE:COL: not valid UTF-8` at
/// the first bad byte, exit 1, never a bare "cannot read file".
@Suite("gongbu check: bytes that are not UTF-8")
struct CheckEncodingCommandLineTests {
    @Test("a Latin-1 é in bots.yaml and a course title are placed at their byte")
    func latin1() async throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gongbu-cli-utf8-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("cafe"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let course = Data("slug: cafe\ntitle: Caf".utf8) + Data([0xE9]) + Data(" Course\nsteps:\n  - id: a\n    type: text\n    text: t\n".utf8)
        try course.write(to: folder.appendingPathComponent("cafe/course.yaml"))
        let bots = "bots:\n  - token: 3101:TEST-course\n    course: cafe\n"
        try Data(bots.utf8).write(to: folder.appendingPathComponent("bots.yaml"))

        let output = try await GongbuBinary.run(["check", "--config", "bots.yaml"], directory: folder)
        #expect(output.status == 1)
        #expect(output.stderr.contains("cafe/course.yaml:2:11: not valid UTF-8"), "stderr: \(output.stderr)")
        #expect(!output.stderr.contains("cannot read"), "stderr: \(output.stderr)")

        let broken = Data("payments:\n  terms_url: https://example.org/caf".utf8) + Data([0xE9]) + Data("\n".utf8) + Data(bots.utf8)
        try broken.write(to: folder.appendingPathComponent("bots.yaml"))
        let again = try await GongbuBinary.run(["check", "--config", "bots.yaml"], directory: folder)
        #expect(again.status == 1)
        #expect(again.stderr.contains("bots.yaml:2:37: not valid UTF-8"), "stderr: \(again.stderr)")
        #expect(!again.stderr.contains("cannot read"), "stderr: \(again.stderr)")
        #expect(again.stdout.isEmpty)
    }
}
