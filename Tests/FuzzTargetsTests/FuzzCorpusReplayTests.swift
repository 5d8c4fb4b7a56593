import Foundation
import FuzzTargets
import Testing
import TelegramBotAPI

/// Every input of the corpus and every regression input through its fuzz target, in the
/// ordinary test run: a crash found once by the fuzzer stays fixed.
@Suite("Fuzz corpus replay")
struct FuzzCorpusReplayTests {
    @Test("the generated corpus covers every Update field and every Message field, and every update decodes and round-trips")
    func updateCorpus() throws {
        let files = FuzzCorpus.updates
        #expect(files.count >= 400, "run Fuzz/make-update-corpus.py")
        var kinds: Set<String> = []
        for file in files {
            let data = try Data(contentsOf: file)
            let decoded = try? JSONDecoder().decode(Update.self, from: data)
            #expect(decoded != nil, "\(file.lastPathComponent) does not decode")
            data.withUnsafeBytes { FuzzTarget.update.run($0) }
            if let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
                kinds.formUnion(object.keys)
            }
        }
        // Every field of Update appears as an update kind in the corpus.
        for kind in ["message", "edited_message", "channel_post", "callback_query", "pre_checkout_query", "my_chat_member", "poll_answer"] {
            #expect(kinds.contains(kind), "no \(kind) update in the corpus")
        }
        #expect(kinds.count >= 20, "\(kinds.sorted())")
    }

    @Test("seeds and regression inputs of every target run without a crash", arguments: FuzzTarget.allCases)
    func seedsAndRegressions(_ target: FuzzTarget) throws {
        var inputs = FuzzCorpus.regressions(target.rawValue).compactMap { FileManager.default.contents(atPath: $0.path) }
        switch target {
        case .update: inputs += FuzzCorpus.updates.prefix(20).compactMap { FileManager.default.contents(atPath: $0.path) }
        case .callbackData: inputs += FuzzCorpus.callbackData.map { Data($0.utf8) }
        case .courseManifest: inputs += FuzzCorpus.courseManifests
        case .botsConfig: inputs += FuzzCorpus.botsConfigs
        case .markdown: inputs += FuzzCorpus.markdown
        }
        #expect(!inputs.isEmpty)
        for input in inputs { input.withUnsafeBytes { target.run($0) } }
    }
}
