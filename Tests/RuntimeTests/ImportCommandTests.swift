import Foundation
import GongbuTesting
import Manifests
import Storage
import Testing

/// `gongbu import DIR --creator ID` as a user runs it: the example course becomes a course of
/// that creator, editable in the manager bot after a restart and exported back unchanged; a
/// second import and a broken course are refused with a clear message.
@Suite("gongbu import", .timeLimit(.minutes(2)))
struct ImportCommandTests {
    static let example = GongbuBinary.root.appendingPathComponent("courses/swift-basics").path

    @Test("the example course imported for a creator shows in their /courses, exports back equal, and is not imported twice")
    func importExample() async throws {
        try await ReviewHarness.with(managerToken: "6301:TEST-import-manager", courses: []) { harness in
            let config = harness.root + "/import-bots.yaml"
            try "data_dir: data\nbots: []\n".write(toFile: config, atomically: true, encoding: .utf8)
            let imported = try await GongbuBinary.run(["import", Self.example, "--creator", "861", "--config", config])
            #expect(imported.status == 0, "stderr: \(imported.stderr)")
            let records = try await harness.platform().authoredCourses()
            #expect(records.map(\.slug) == ["swift-basics"] && records.first?.creatorId == 861)

            let again = try await GongbuBinary.run(["import", Self.example, "--creator", "861", "--config", config])
            #expect(again.status == 1)
            #expect(again.stderr.contains("swift-basics"), "stderr: \(again.stderr)")

            try await harness.restart()
            let cora = harness.reviewer(id: 861, name: "Cora")
            try await cora.send("/start", expecting: "Gongbu manager")
            let card = try await cora.send("/courses", expecting: "Swift Basics")
            #expect(card.buttonLabels.contains("✏️ Steps"))
            let other = harness.reviewer(id: 862, name: "Olga")
            try await other.send("/start", expecting: "Gongbu manager")
            try await other.send("/courses", expecting: "no courses")

            let output = harness.root + "/exported"
            let exported = try await GongbuBinary.run(["export", "swift-basics", "--format", "yaml", "--output", output, "--config", config])
            #expect(exported.status == 0, "stderr: \(exported.stderr)")
            let original = try CourseManifest.load(directory: Self.example, displayPath: Self.example)
            let roundTrip = try CourseManifest.load(directory: output, displayPath: output)
            #expect(roundTrip.steps.map(\.id) == original.steps.map(\.id))
            #expect(roundTrip.steps.map(\.title) == original.steps.map(\.title))
            #expect(roundTrip.title == original.title && roundTrip.price == original.price)
        }
    }

    @Test("a broken course is refused with FILE:LINE:COL and nothing is stored")
    func brokenCourse() async throws {
        let folder = NSTemporaryDirectory() + "gongbu-import-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/broken", withIntermediateDirectories: true)
        try "slug: broken\ntitle: Broken\nsteps:\n  - id: a\n    type: nonsense\n".write(
            toFile: folder + "/broken/course.yaml", atomically: true, encoding: .utf8)
        let config = folder + "/bots.yaml"
        try "data_dir: data\nbots: []\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try await GongbuBinary.run(["import", folder + "/broken", "--creator", "861", "--config", config])
        #expect(result.status == 1)
        #expect(result.stderr.contains("course.yaml:5:"), "stderr: \(result.stderr)")
        let platform = try PlatformStore.open(dataDir: folder + "/data")
        #expect(try await platform.authoredCourses().isEmpty)
    }
}
