import CourseFlows
import Foundation

/// Where the fuzz corpus lives and the seeds each target starts from: the committed update
/// corpus (generated from Bot API 10.1 by `Fuzz/make-update-corpus.py`), every kind of button
/// data the course bot writes, the repository's own course.yaml and bots.yaml, and its README as
/// Markdown; plus `Fuzz/Regressions/<target>/`, where every crash a fuzzing run found is kept.
enum FuzzCorpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func files(in folder: String) -> [URL] {
        let url = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") }.map { url.appendingPathComponent($0) }
    }

    static var updates: [URL] { files(in: "Fuzz/Corpus/update") }

    static func regressions(_ target: String) -> [URL] { files(in: "Fuzz/Regressions/\(target)") }

    /// Button data of every kind the course bot draws.
    static var callbackData: [String] {
        let step = StepReference(index: 2, stepId: "intro")
        let all: [CallbackData] = [
            .start, .contents, .open(step), .next(step), .back(step), .retry(step),
            .answer(step, pass: 1, question: 3, option: 2), .toggle(step, pass: 99_999, question: 0, option: 7),
            .submit(step, pass: 2, question: 1), .language("ru"), .buy("c"), .buy("a"), .buy("p"), .buyStep(step),
        ]
        return all.map(\.encoded)
    }

    static var courseManifests: [Data] {
        files(in: "courses").compactMap { FileManager.default.contents(atPath: $0.appendingPathComponent("course.yaml").path) }
    }

    static var botsConfigs: [Data] {
        [FileManager.default.contents(atPath: root.appendingPathComponent("bots.yaml").path)].compactMap { $0 }
    }

    static var markdown: [Data] {
        guard let readme = try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8) else { return [] }
        // The README in pieces of a few paragraphs (a step's text is at most a few thousand characters).
        let paragraphs = readme.components(separatedBy: "\n\n")
        return stride(from: 0, to: paragraphs.count, by: 3).map { Data(paragraphs[$0..<min($0 + 3, paragraphs.count)].joined(separator: "\n\n").utf8) }
    }
}
