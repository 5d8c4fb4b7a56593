import ArgumentParser
import BotRuntime
import CourseModel
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GongbuTesting
import Logging
import Manifests
import Playground
import ServiceLifecycle
import TelegramBotAPI

/// `gongbu demo`: the example course bot and the manager bot, run by the same code as `gongbu
/// run`, against the built-in Bot API emulator, with the playground in the browser. No Telegram,
/// no token: nothing leaves the machine.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The example course and the manager bot on the built-in Bot API emulator, with a playground in the browser (no Telegram, no token).",
        discussion: """
            Prints the playground's address first (http://127.0.0.1:PORT/playground). Stop with \
            Ctrl-C; without --data the demo's folder is deleted at exit.
            """)

    /// The demo creator: the manager bot's admin, who reviews the course's assignments.
    static let creatorId: Int64 = 4_242_001
    static let creatorName = "Margaret"
    static let courseUsername = "swift_basics_demo_bot"
    static let managerUsername = "gongbu_demo_manager_bot"
    /// The example course the demo teaches (README's first `gongbu run` serves it too).
    static let exampleCourse = "courses/swift-basics"

    @Option(help: "The HTTP port of the playground, /app, /healthz and /metrics on 127.0.0.1 (0: any free port).")
    var port: Int = 8080

    @Option(help: "Keep the demo's bots.yaml, course copy and databases in DIR (default: a temporary folder, deleted at exit).")
    var data: String?

    @Option(help: "Folder holding Locales/, Templates/ and courses/swift-basics (default: $GONGBU_RESOURCES, the current folder, the package root).")
    var resources: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [resources, environment["GONGBU_RESOURCES"], FileManager.default.currentDirectoryPath, Run.packageRoot]
        guard let resourcesDirectory = Resources.locate(candidates: candidates) else {
            printError("error: cannot find Locales/ and Templates/: pass --resources DIR or set GONGBU_RESOURCES")
            throw ExitCode(1)
        }
        guard let exampleDirectory = ([resourcesDirectory] + candidates.compactMap { $0 })
            .map({ ($0 as NSString).appendingPathComponent(Self.exampleCourse) })
            .first(where: { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent(CourseManifest.fileName)) })
        else {
            printError("error: cannot find the example course \(Self.exampleCourse): run from the repository or pass --resources DIR")
            throw ExitCode(1)
        }
        // A taken port is the usual first-run problem: say so before starting anything.
        if port != 0, !Self.portIsFree(port) {
            printError("error: 127.0.0.1:\(port) is already in use: pass --port N (0: any free port)")
            throw ExitCode(1)
        }
        let (root, isTemporary) = try demoFolder()
        defer { if isTemporary { try? FileManager.default.removeItem(atPath: root) } }

        let tokens = try DemoTokens.load(or: root, keep: !isTemporary)
        let emulator = BotAPIEmulator()
        try await emulator.start()
        let courseBot = emulator.addBot(token: tokens.course, username: Self.courseUsername)
        let managerBot = emulator.addBot(token: tokens.manager, username: Self.managerUsername)

        let botsConfig: BotsConfig
        do {
            let course = try CourseManifest.load(directory: exampleDirectory, displayPath: Self.exampleCourse)
            try CourseSource.write(Self.demoCourse(from: course), from: exampleDirectory, to: (root as NSString).appendingPathComponent("course"))
            let configPath = (root as NSString).appendingPathComponent("bots.yaml")
            try Self.botsYAML(apiURL: emulator.baseURL, port: port).write(toFile: configPath, atomically: true, encoding: .utf8)
            var loadEnvironment = environment
            loadEnvironment["GONGBU_TELEGRAM_API_URL"] = nil
            loadEnvironment[DemoTokens.courseVariable] = tokens.course
            loadEnvironment[DemoTokens.managerVariable] = tokens.manager
            var loaded = try BotsConfig.load(path: configPath, environment: loadEnvironment)
            if port == 0 { loaded.http = .init(listen: "127.0.0.1:0", host: "127.0.0.1", port: 0) }
            botsConfig = loaded
        } catch let error as DiagnosticsError {
            common.bootstrapLogging(secrets: [tokens.course, tokens.manager])
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            await emulator.stop()
            throw ExitCode(1)
        } catch {
            common.bootstrapLogging(secrets: [tokens.course, tokens.manager])
            printError("error: \(BotToken(tokens.course).redact(BotToken(tokens.manager).redact(String(describing: error))))")
            await emulator.stop()
            throw ExitCode(1)
        }

        let managerToken = tokens.manager
        let playground = Playground(
            emulator: emulator, courseBot: courseBot, managerBot: managerBot, creatorId: Self.creatorId, creatorName: Self.creatorName,
            appLink: { Self.appLink(managerToken: managerToken) })
        var extras = Run.Extras()
        extras.configureHTTP = { PlaygroundRoutes.register(on: $0, playground: playground) }
        extras.services = [PlaygroundCloser(playground: playground)]
        extras.onHTTPRunning = { port in
            Self.say("Playground: http://127.0.0.1:\(port)/playground")
            Self.say("Health: http://127.0.0.1:\(port)/healthz · metrics: http://127.0.0.1:\(port)/metrics · Mini App: http://127.0.0.1:\(port)/app")
            Self.say("Bots on the built-in Bot API emulator at \(emulator.baseURL): nothing goes to Telegram. Stop with Ctrl-C.")
        }
        extras.onStarted = { runtime in
            await Self.moveUpdateCounters(runtime: runtime, bots: [courseBot, managerBot])
            // The creator has opened the manager bot once, so submissions reach them.
            guard await Self.waitUntilPolling(managerBot) else { return }
            if managerBot.snapshot(chatId: Self.creatorId).entries.isEmpty {
                playground.creator.user.send("/start")
                managerBot.notifyObservers(chatId: Self.creatorId)
            }
        }
        do {
            try await Run.serve(
                botsConfig: botsConfig, configPath: (root as NSString).appendingPathComponent("bots.yaml"),
                resources: resourcesDirectory, common: common, extras: extras)
        } catch {
            playground.close()
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }

    /// `--data DIR` (kept), else a fresh temporary folder (deleted at exit).
    func demoFolder() throws -> (path: String, isTemporary: Bool) {
        if let data {
            let path = URL(fileURLWithPath: data).standardizedFileURL.path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return (path, false)
        }
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("gongbu-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return (path, true)
    }

    /// The example course as the demo teaches it: one step sold on its own (freemium, 5 ⭐) so the
    /// Pay button has something to buy, and assignments reviewed by the demo creator.
    static func demoCourse(from course: Course) -> Course {
        var demo = course
        demo.creator = creatorId
        demo.price = .freemium(unlockAll: nil)
        let paidIndex = demo.steps.firstIndex { $0.id == "cheat-sheet" } ?? demo.steps.count / 2
        if demo.steps.indices.contains(paidIndex) {
            demo.steps[paidIndex].paid = true
            demo.steps[paidIndex].price = 5
        }
        for index in demo.steps.indices {
            if case .assignment(var assignment) = demo.steps[index].content {
                assignment.review = .creator
                if !assignment.accept.contains(.photo) { assignment.accept.append(.photo) }
                demo.steps[index].content = .assignment(assignment)
            }
        }
        return demo
    }

    static func botsYAML(apiURL: String, port: Int) -> String {
        """
        # Written by `gongbu demo`: the example course and the manager bot on the built-in Bot API
        # emulator. The tokens are made up and exist only in this process.
        telegram:
          api_url: \(apiURL)
          poll_timeout: 30
        data_dir: data
        http:
          listen: 127.0.0.1:\(port == 0 ? 8080 : port)\(port == 0 ? "   # --port 0: any free port, chosen at start" : "")
        manager:
          token: ${\(DemoTokens.managerVariable)}
          admins: [\(creatorId)]
          creators: open
        payments:
          provider_token: ""
          terms_url: https://example.org/terms
        bots:
          - token: ${\(DemoTokens.courseVariable)}
            course: course

        """
    }

    /// `/app` signed in as the demo creator: Mini App init data signed with the manager bot's token.
    static func appLink(managerToken: String) -> String {
        let user = TelegramSignIn.SignedUser(
            id: creatorId, firstName: creatorName, username: "demo_creator", authDate: Int64(Date().timeIntervalSince1970))
        let initData = TelegramSignIn.makeInitData(user: user, token: managerToken)
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "/app#tgWebAppData=" + (initData.addingPercentEncoding(withAllowedCharacters: allowed) ?? initData)
    }

    /// With a kept `--data` folder the platform database remembers the last update ids of an
    /// earlier demo; this emulator starts counting at 1, so move its counters past them.
    static func moveUpdateCounters(runtime: Runtime, bots: [EmulatedBot]) async {
        for bot in bots {
            if let offset = try? await runtime.platform.offset(botId: bot.id), offset > 1 {
                bot.enqueueUpdate(["update_id": .int(offset - 1)])
            }
        }
    }

    static func waitUntilPolling(_ bot: EmulatedBot) async -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        while !bot.isPolling {
            if Task.isCancelled || clock.now - start > .seconds(30) { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Whether a listener could bind 127.0.0.1:`port` now (with SO_REUSEADDR, as the HTTP server binds).
    static func portIsFree(_ port: Int) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return bound == 0
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// The demo's made-up bot tokens: new for a temporary demo, kept in `demo-tokens.txt` beside a
/// `--data` folder's databases so its bots stay the same bots from one demo to the next.
struct DemoTokens {
    static let courseVariable = "GONGBU_DEMO_COURSE_TOKEN"
    static let managerVariable = "GONGBU_DEMO_MANAGER_TOKEN"
    static let fileName = "demo-tokens.txt"

    var course: String
    var manager: String

    static func load(or folder: String, keep: Bool) throws -> DemoTokens {
        let path = (folder as NSString).appendingPathComponent(fileName)
        if keep, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let lines = text.split(separator: "\n").map(String.init).filter { $0.contains(":") }
            if lines.count == 2 { return DemoTokens(course: lines[0], manager: lines[1]) }
        }
        let base = Int64.random(in: 7_000_000_000...7_999_999_000)
        let tokens = DemoTokens(course: "\(base):DEMO\(secret())", manager: "\(base + 1):DEMO\(secret())")
        if keep { try "\(tokens.course)\n\(tokens.manager)\n".write(toFile: path, atomically: true, encoding: .utf8) }
        return tokens
    }

    static func secret() -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<30).map { _ in letters.randomElement()! })
    }
}

/// Ends the playground's live streams when the process shuts down, before the HTTP listener
/// stops, so open browser tabs do not hold the graceful shutdown.
struct PlaygroundCloser: Service {
    let playground: Playground

    func run() async throws {
        try? await gracefulShutdown()
        playground.close()
    }
}
