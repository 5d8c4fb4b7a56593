import ArgumentParser
import BotRuntime
import CourseModel
import Foundation
import GongbuTesting
import Logging
import Manifests
import TelegramBotAPI

/// `gongbu preview COURSE_DIR`: the course's real bot (the same runtime and scene as `gongbu run`)
/// talking to the in-repo Bot API emulator, with the creator as the student in the terminal.
/// No Telegram and no token, so a course can be walked before it is published.
struct Preview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Walk a course as a student in the terminal (no Telegram, no token).",
        discussion: """
            Messages are printed, inline buttons numbered: type a number to press one, /command or \
            any text to send it, :file PATH, :poll N, :pay, :help, :quit (or end of input). Works \
            with piped input, so a walk through a course can be scripted.
            """)

    /// A made-up token for the emulated bot; it never leaves this process.
    static let token = "1:PREVIEW-local"
    static let studentId: Int64 = 1001

    @Argument(help: "The course folder (holding course.yaml).")
    var courseDirectory: String

    @Option(help: "The student's Telegram language code, e.g. ru.")
    var language: String = "en"

    @Option(help: "Folder holding Locales/ and Templates/ (default: $GONGBU_RESOURCES, the current folder, the package root).")
    var resources: String?

    @Option(help: "Keep the preview's databases in DIR, so progress survives between previews (default: a temporary folder, deleted at exit).")
    var data: String?

    @Option(name: .customLong("log-format"), help: "Log lines on stderr: text or json.")
    var logFormat: LogFormatOption = .text

    @Option(name: .customLong("log-level"), help: "Show the runtime's logs on stderr at this level (default: none).")
    var logLevel: String?

    func run() async throws {
        bootstrapLogging()
        let course: Course
        do {
            course = try CourseManifest.load(directory: courseDirectory, displayPath: courseDirectory)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitCode(1)
        }
        let environment = ProcessInfo.processInfo.environment
        guard let resourcesDirectory = Resources.locate(candidates: [
            resources, environment["GONGBU_RESOURCES"], FileManager.default.currentDirectoryPath, Run.packageRoot,
        ]) else {
            printError("error: cannot find Locales/ and Templates/: pass --resources DIR or set GONGBU_RESOURCES")
            throw ExitCode(1)
        }
        let (dataDir, isTemporary) = try dataDirectory()
        defer { if isTemporary { try? FileManager.default.removeItem(atPath: dataDir) } }

        let emulator = BotAPIEmulator(configuration: EmulatorConfiguration(rateLimits: nil))
        try await emulator.start()
        let bot = emulator.addBot(token: Self.token, username: Self.username(for: course.slug))
        let status = await preview(course: course, bot: bot, emulator: emulator, resourcesDirectory: resourcesDirectory, dataDir: dataDir)
        await emulator.stop()
        if status != 0 { throw ExitCode(status) }
    }

    /// Builds the runtime against the emulator, runs the conversation, stops the runtime; the exit status.
    func preview(
        course: Course, bot: EmulatedBot, emulator: BotAPIEmulator, resourcesDirectory: String, dataDir: String
    ) async -> Int32 {
        let httpClient = ClientFactory.makeHTTPClient()
        let logger = Logger(label: "gongbu.preview")
        let config = BotsConfig(
            telegram: .init(apiURL: emulator.baseURL, pollTimeout: 1), dataDir: dataDir,
            bots: [.init(token: Self.token, course: URL(fileURLWithPath: courseDirectory).standardizedFileURL.path, coursePath: courseDirectory)],
            baseDirectory: FileManager.default.currentDirectoryPath)
        let clients = ClientFactory(httpClient: httpClient, baseURL: emulator.baseURL, logger: logger)
        let unlimited = RateLimiter.Limits(botRate: 1_000_000, botBurst: 1_000_000, chatRate: 1_000_000, chatBurst: 1_000_000)
        let runtime: Runtime
        do {
            runtime = try await Runtime.make(
                config: config, resourcesDirectory: resourcesDirectory,
                settings: WorkerSettings(pollTimeout: 1, backoffBase: 0.1, backoffMax: 1, rateLimits: unlimited),
                client: { clients.client(for: $0) }, logger: logger)
        } catch let error as DiagnosticsError {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            try? await httpClient.shutdown()
            return 1
        } catch {
            printError("error: \(BotToken(Self.token).redact(String(describing: error)))")
            try? await httpClient.shutdown()
            return 1
        }
        // With a kept --data folder the platform database remembers the last update id of an
        // earlier preview; this emulator starts counting at 1, so move its counter past that.
        if let offset = try? await runtime.platform.offset(botId: BotToken(Self.token).botId ?? 1), offset > 1 {
            bot.enqueueUpdate(["update_id": .int(offset - 1)])
        }
        let supervisor = runtime.supervisor
        let supervising = Task { try? await supervisor.run() }
        runtime.startBots()

        let styled = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        var session = PreviewSession(
            bot: bot, user: bot.user(id: Self.studentId, firstName: "Student", languageCode: language),
            renderer: PreviewRenderer(styled: styled, mediaPaths: Self.mediaPaths(of: course)),
            echoesInput: isatty(STDIN_FILENO) != 1, showsPrompt: isatty(STDIN_FILENO) == 1)
        var status: Int32 = 0
        if await session.waitUntilPolling(timeout: .seconds(15)) {
            session.write("Previewing \"\(course.title)\" (\(course.steps.count) steps) as a student speaking \(language), through a local Bot API emulator: nothing goes to Telegram.")
            session.write("Type /start to begin, :help for commands, :quit to leave.")
            let input = StandardInputLines()
            await session.run(lines: input.lines)
            input.close()
        } else {
            let problem = runtime.health.snapshot.compactMap(\.error).first ?? "the bot did not start polling"
            printError("error: \(BotToken(Self.token).redact(problem))")
            status = 1
        }
        supervisor.shutdown()
        await supervising.value
        try? await httpClient.shutdown()
        return status
    }

    func bootstrapLogging() {
        guard let logLevel else {
            LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
            return
        }
        let format = logFormat.format
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, format: format, level: level, secrets: [Self.token])
        }
    }

    /// `--data DIR` (kept), else a fresh temporary folder (deleted at exit).
    func dataDirectory() throws -> (path: String, isTemporary: Bool) {
        if let data {
            let path = URL(fileURLWithPath: data).standardizedFileURL.path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return (path, false)
        }
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("gongbu-preview-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return (path, true)
    }

    /// A bot username from the course slug: letters, digits and underscores, ending in `bot`.
    static func username(for slug: String) -> String {
        let cleaned = String(slug.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        return cleaned + "_preview_bot"
    }

    /// Uploaded file name → the path written in course.yaml, for `[photo: media/swift-logo.png]`.
    static func mediaPaths(of course: Course) -> [String: String] {
        var paths: [String: String] = [:]
        for step in course.steps {
            guard case .media(let media) = step.content, case .file(let path) = media.source else { continue }
            paths[(path as NSString).lastPathComponent] = path
        }
        return paths
    }
}
