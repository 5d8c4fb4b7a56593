import Foundation
import GongbuTesting
import Testing

/// Every update of the fuzz corpus (every Update field and every Message field of Bot API
/// 10.1, in private chats, groups, supergroups and channels: `Fuzz/make-update-corpus.py`)
/// delivered to a running course bot and to the manager bot: neither worker dies or stalls, and
/// a student who writes afterwards is answered.
@Suite("Update corpus through running bots", .timeLimit(.minutes(3)))
struct UpdateCorpusTests {
    static var corpus: [String] {
        let folder = GongbuBinary.root.appendingPathComponent("Fuzz/Corpus/update")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        return names.compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }

    @Test("all corpus updates reach the course bot and the manager bot; both go on answering")
    func corpusThroughBots() async throws {
        let updates = Self.corpus
        #expect(updates.count >= 400)
        try await ReviewHarness.with(
            managerToken: "4901:TEST-corpus-manager", courses: [("4902:TEST-corpus-course", reviewCourseYAML(slug: "corpus", title: "Corpus", creator: 4242))]
        ) { harness in
            let course = harness.course("corpus").bot
            for bot in [course, harness.manager] {
                for text in updates {
                    // Fresh update ids from the emulator: the corpus' own would collide across bots.
                    guard case .object(var members)? = try? JSONValue.parse(Data(text.utf8)) else { continue }
                    members["update_id"] = nil
                    bot.enqueueUpdate(.object(members))
                }
            }
            let student = harness.student("corpus", id: 9_990_001, name: "After")
            // After the 1,020 corpus updates, on a machine running every other test beside it.
            try await student.send("/start", expecting: "Corpus", timeout: .seconds(90))
            let creator = harness.reviewer(id: 9_990_002, name: "Later")
            try await creator.send("/start", expecting: "Gongbu manager", timeout: .seconds(90))
            #expect(try await eventually(timeout: .seconds(60)) { course.pendingUpdateCount == 0 && harness.manager.pendingUpdateCount == 0 })
            #expect(harness.logs.all.allSatisfy { !$0.contains("TEST-corpus") })
        }
    }
}
