import BotRuntime
import Foundation
import GongbuTesting
import Logging

/// `gongbu-bench --scenario limited|fleet|open-loop|backlog|peer|all`: the runtime against the
/// emulator with Telegram's flood limits ON (30 messages/s per bot; per chat 3 at once, then
/// 1/s), each figure printed beside its target. `all` runs each scenario in a fresh process (so
/// one's heap does not count as the next one's memory) and hands Gongbu's `limited` figures to
/// `peer`, which then runs only the aiogram side.
enum Scenarios {
    static let names = ["limited", "fleet", "open-loop", "backlog", "peer"]

    static func run(_ scenario: String, options: Options, root: String, logger: Logger) async throws {
        let students = options.int("students") ?? 200
        switch scenario {
        case "all":
            var gongbuLimited: String?
            for name in names {
                var arguments = ["--scenario", name]
                for key in ["students", "open-students", "fleet-bots", "fleet-students", "rate", "duration", "backlog", "backlog-small", "window", "pipeline"] {
                    if let value = options.string(key) { arguments += ["--\(key)", value] }
                }
                if name == "peer", let gongbuLimited { arguments += ["--gongbu-figures", gongbuLimited] }
                let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
                let child = try SpawnedProcess(executable: executable, arguments: arguments, environment: ProcessInfo.processInfo.environment)
                let outcome = child.finish()
                let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false)
                gongbuLimited = lines.first { $0.hasPrefix("FIGURES ") }.map(String.init) ?? gongbuLimited
                print(lines.filter { !$0.hasPrefix("FIGURES ") && !$0.hasPrefix("gongbu-bench") }.joined(separator: "\n"))
                if outcome.status != 0 || !outcome.stderr.isEmpty { FileHandle.standardError.write(Data(outcome.stderr.utf8)) }
            }
        case "limited":
            let figures = try await GongbuCourseLoad.run(
                bots: 1, emulatorArguments: ["--students", "\(students)"], root: root, logger: logger)
            print("limited: 1 course bot, \(students) students walking the example course, closed loop, Telegram's limits ON")
            printCourseLoad(figures, students: students, sendsTarget: true)
            print(figures.line)
        case "fleet":
            let bots = options.int("fleet-bots") ?? 10
            let perBot = options.int("fleet-students") ?? 50
            let figures = try await GongbuCourseLoad.run(
                bots: bots, emulatorArguments: ["--students", "\(perBot)"], root: root, logger: logger)
            print("fleet: \(bots) course bots × \(perBot) students, closed loop, Telegram's limits ON (per bot)")
            printCourseLoad(figures, students: bots * perBot, sendsTarget: false)
        case "open-loop":
            let rate = options.int("rate") ?? 10
            let duration = options.int("duration") ?? 30
            let figures = try await GongbuCourseLoad.run(
                bots: 1,
                emulatorArguments: ["--students", "\(options.int("open-students") ?? 30)", "--loop", "open", "--rate", "\(rate)", "--duration", "\(duration)"],
                root: root, logger: logger)
            print("open loop: 1 course bot, \(rate) updates/s for \(duration) s (students taking turns), Telegram's limits ON")
            row("updates", "\(Int(figures.updates)) (\(Int(figures.result["skipped"])) ticks without a ready student, \(Int(figures.result["failed"])) failed)", target: nil)
            row("update → first reply p50", ms(figures.result["p50_ms"]), target: "≤ 10 ms", ok: figures.result["p50_ms"] <= 10)
            row("update → first reply p99", ms(figures.result["p99_ms"]), target: "≤ 25 ms", ok: figures.result["p99_ms"] <= 25)
            row("429 answers", "\(Int(figures.result["too_many"]))", target: "0", ok: figures.result["too_many"] == 0)
            row("CPU per update", us(figures.cpuPerUpdate), target: nil)
        case "backlog":
            let window = Double(options.int("window") ?? 20)
            let small = try await Backlog.run(queued: options.int("backlog-small") ?? 300, window: window, root: root, logger: logger)
            let large = try await Backlog.run(queued: options.int("backlog") ?? 10_000, window: window, root: root, logger: logger)
            print("backlog: an outbox of queued /help answers drained under Telegram's limits; CPU per sent message after the handling")
            for figures in [small, large] {
                row("\(figures.queued) queued", "\(us(figures.cpuPerSend)) per sent message (\(figures.sent) sent in \(String(format: "%.1f", figures.seconds)) s, \(String(format: "%.1f", Double(figures.sent) / max(figures.seconds, 0.001)))/s)", target: nil)
            }
            let ratio = large.cpuPerSend / max(small.cpuPerSend, 0.001)
            row("ratio large / small", String(format: "%.2f×", ratio), target: "≤ 1.5×", ok: ratio <= 1.5)
            row("429 answers", "\(small.tooMany + large.tooMany)", target: "0", ok: small.tooMany + large.tooMany == 0)
        case "peer":
            let python = try PeerAiogram.prepare(root: root)
            let gongbu: CourseLoadFigures
            if let line = options.string("gongbu-figures"), let parsed = CourseLoadFigures(line: line) {
                gongbu = parsed
            } else {
                gongbu = try await GongbuCourseLoad.run(bots: 1, emulatorArguments: ["--students", "\(students)"], root: root, logger: logger)
            }
            let peer = try await PeerAiogram.run(students: students, limits: true, root: root, python: python)
            print("peer: the same course flow in aiogram 3 (bench/peer-aiogram), same emulator, \(students) students, closed loop, limits ON")
            comparison(gongbu: gongbu, peer: peer, students: students)
            if options.string("pipeline") == "on" {
                let gongbuLifted = try await GongbuCourseLoad.run(
                    bots: 1, emulatorArguments: ["--students", "\(students)", "--limits", "off"], root: root, logger: logger)
                let peerLifted = try await PeerAiogram.run(students: students, limits: false, root: root, python: python)
                print("peer, pipeline figures (the emulator's limits lifted; Gongbu still paces itself at 29/s): not the headline")
                comparison(gongbu: gongbuLifted, peer: peerLifted, students: students)
            }
        default:
            throw RuntimeError("unknown scenario \(scenario): use \((names + ["all"]).joined(separator: "|"))")
        }
    }

    static func printCourseLoad(_ figures: CourseLoadFigures, students: Int, sendsTarget: Bool) {
        let finished = Int(figures.result["finished"])
        row("students finished", "\(finished)/\(students)", target: "all", ok: finished == students)
        row("updates", "\(Int(figures.updates)) in \(String(format: "%.1f", figures.result["seconds"])) s", target: nil)
        if sendsTarget {
            row("sends per second", String(format: "%.1f", figures.sendsPerSecond), target: "≥ 28.5", ok: figures.sendsPerSecond >= 28.5)
        } else {
            row("sends per second", String(format: "%.1f (all bots)", figures.sendsPerSecond), target: nil)
        }
        row("429 answers", "\(Int(figures.result["too_many"]))", target: "0", ok: figures.result["too_many"] == 0)
        row("CPU per update", us(figures.cpuPerUpdate), target: "≤ 300 µs", ok: figures.cpuPerUpdate <= 300)
        row("update → first reply", "p50 \(ms(figures.result["p50_ms"])), p99 \(ms(figures.result["p99_ms"])) (queued behind the limits)", target: nil)
        row("resident memory", String(format: "%.1f MiB peak", figures.peakResidentMiB), target: nil)
        if figures.result["refused"] > 0 { row("calls refused by the schema", "\(Int(figures.result["refused"]))", target: "0", ok: false) }
    }

    static func comparison(gongbu: CourseLoadFigures, peer: CourseLoadFigures, students: Int) {
        print("  figure                     Gongbu            aiogram 3         ratio")
        func line(_ label: String, _ a: String, _ b: String, _ ratio: String) {
            print("  " + [pad(label, 26), pad(a, 17), pad(b, 17), ratio].joined(separator: " "))
        }
        let cpuRatio = peer.cpuPerUpdate / max(gongbu.cpuPerUpdate, 0.001)
        let memoryRatio = gongbu.peakResidentMiB / max(peer.peakResidentMiB, 0.001)
        line("students finished", "\(Int(gongbu.result["finished"]))/\(students)", "\(Int(peer.result["finished"]))/\(students)", "")
        line("429 answers", "\(Int(gongbu.result["too_many"]))", "\(Int(peer.result["too_many"]))", "")
        line("seconds to finish", String(format: "%.1f", gongbu.result["seconds"]), String(format: "%.1f", peer.result["seconds"]), "")
        line("CPU per update", us(gongbu.cpuPerUpdate), us(peer.cpuPerUpdate),
             String(format: "%.1f× less (target ≥ 5×) ", cpuRatio) + (cpuRatio >= 5 ? "✓" : "✗"))
        line("resident memory (peak)", String(format: "%.1f MiB", gongbu.peakResidentMiB), String(format: "%.1f MiB", peer.peakResidentMiB),
             String(format: "%.2f of it (target ≤ 0.33) ", memoryRatio) + (memoryRatio <= 1.0 / 3 ? "✓" : "✗"))
        if peer.result["refused"] > 0 { line("calls refused by the schema", "\(Int(gongbu.result["refused"]))", "\(Int(peer.result["refused"]))", "") }
    }

    static func row(_ label: String, _ value: String, target: String?, ok: Bool = true) {
        let mark = target == nil ? "" : ok ? "  ✓" : "  ✗"
        print("  " + pad(label, 26) + " " + pad(value, 34) + (target.map { " target \($0)" } ?? "") + mark)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func us(_ value: Double) -> String { String(format: "%.0f µs", value) }
    static func ms(_ value: Double) -> String { String(format: "%.1f ms", value) }
}
