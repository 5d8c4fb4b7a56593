import Foundation
import FuzzTargets
import GongbuTesting
import Testing

/// The seeded libFuzzer run of every target, bounded in time, as part of `swift test`: builds
/// `gongbu-fuzz` with `-sanitize=fuzzer,address` into `.build-fuzz/` (its own build folder),
/// seeds each target from `FuzzCorpus`, and fails on any crash, leak or broken invariant, naming
/// the input libFuzzer saved under `.build/artifacts/fuzz/<target>/` (copy it to
/// `Fuzz/Regressions/<target>/`, where `FuzzCorpusReplayTests` keeps it fixed).
///
/// Both the build and the runs go at the lowest CPU priority (`nice -n 19`), beside the rest of
/// the suite. `GONGBU_FUZZ_SECONDS` sets the time per target (10 s; 20 s when CI is set), `GONGBU_FUZZ_SEED`
/// the seed (fixed, so a run repeats).
@Suite("libFuzzer run", .serialized, .timeLimit(.minutes(30)))
struct LibFuzzerRunTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seconds = Int(environment["GONGBU_FUZZ_SECONDS"] ?? "") ?? (environment["CI"] == nil ? 10 : 20)
    static let seed = Int(environment["GONGBU_FUZZ_SEED"] ?? "") ?? 20_261_202
    static let scratch = FuzzCorpus.root.appendingPathComponent(".build-fuzz")

    static func swiftExecutable() throws -> String {
        let path = (environment["PATH"] ?? "/usr/bin").split(separator: ":").map { "\($0)/swift" }
        guard let swift = (path + ["/opt/swift/usr/bin/swift"]).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw FuzzRunError("no swift on PATH to build gongbu-fuzz with")
        }
        return swift
    }

    /// Builds the instrumented fuzzer (once per test run) and returns its path.
    static func buildFuzzer() async throws -> String {
        // At the lowest priority: it runs beside the rest of the suite, whose tests wait on timers.
        let process = try SpawnedProcess(
            executable: "/usr/bin/nice",
            arguments: [
                "-n", "19", try swiftExecutable(), "build", "--package-path", FuzzCorpus.root.path, "--scratch-path", scratch.path, "--product", "gongbu-fuzz",
                "-Xswiftc", "-sanitize=fuzzer,address", "-Xswiftc", "-DFUZZING", "-Xswiftc", "-use-ld=lld",
            ],
            environment: environment, directory: FuzzCorpus.root.path)
        let result = await process.finished()
        guard result.status == 0 else {
            throw FuzzRunError("building gongbu-fuzz failed (\(result.status)):\n\(result.stdout.suffix(3000))\n\(result.stderr.suffix(3000))")
        }
        return scratch.appendingPathComponent("debug/gongbu-fuzz").path
    }

    static func seeds(_ target: FuzzTarget) -> [Data] {
        switch target {
        case .update: FuzzCorpus.updates.compactMap { FileManager.default.contents(atPath: $0.path) }
        case .callbackData: FuzzCorpus.callbackData.map { Data($0.utf8) }
        case .courseManifest: FuzzCorpus.courseManifests
        case .botsConfig: FuzzCorpus.botsConfigs
        case .markdown: FuzzCorpus.markdown
        }
    }

    @Test("every target under libFuzzer for a bounded, seeded run: no crash")
    func fuzzEveryTarget() async throws {
        let fuzzer = try await Self.buildFuzzer()
        var report: [String] = []
        for target in FuzzTarget.allCases {
            let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("gongbu-fuzz-\(target.rawValue)-" + UUID().uuidString)
            let artifacts = FuzzCorpus.root.appendingPathComponent(".build/artifacts/fuzz/\(target.rawValue)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            let inputs = Self.seeds(target) + FuzzCorpus.regressions(target.rawValue).compactMap { FileManager.default.contents(atPath: $0.path) }
            for (index, seed) in inputs.enumerated() {
                try seed.write(to: work.appendingPathComponent("seed-\(index)"))
            }
            var environment = Self.environment
            environment["GONGBU_FUZZ_TARGET"] = target.rawValue
            environment["ASAN_OPTIONS"] = "detect_leaks=0"
            let process = try SpawnedProcess(
                executable: "/usr/bin/nice",
                arguments: [
                    "-n", "19", fuzzer, "-seed=\(Self.seed)", "-max_total_time=\(Self.seconds)", "-rss_limit_mb=2048", "-max_len=\(target == .update ? 65536 : 8192)",
                    "-print_final_stats=1", "-artifact_prefix=\(artifacts.path)/", work.path,
                ],
                environment: environment, directory: work.path)
            let result = await process.finished()
            let runs = result.stderr.split(separator: "\n").first { $0.hasPrefix("stat::number_of_executed_units:") }
                .map { String($0.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces) } ?? "?"
            report.append("\(target.rawValue): \(runs) runs in \(Self.seconds) s from \(inputs.count) seeds, exit \(result.status)")
            #expect(result.status == 0, "\(target.rawValue) crashed (input saved in \(artifacts.path)):\n\(result.stderr.suffix(4000))")
        }
        print("libFuzzer (seed \(Self.seed)):\n  " + report.joined(separator: "\n  "))
    }
}

struct FuzzRunError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
