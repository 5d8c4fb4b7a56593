import Foundation
import GongbuTesting
import Testing

/// `gongbu demo` end to end: the built binary, its playground's HTTP interface driven the way
/// the page does it, the real course and manager bots behind it on the built-in emulator.
@Suite("gongbu demo", .serialized)
struct DemoCommandTests {
    static let student = "student-1001"

    @Test("a student buys the paid step, passes the quiz and submits the assignment; the creator approves it; /healthz, /metrics; Ctrl-C exits 0 and removes the temporary folder")
    func wholeDemo() async throws {
        let demo = try RunningDemo.start()
        var stopped = false
        defer {
            if !stopped { _ = demo.interrupt() }
            try? FileManager.default.removeItem(at: demo.temporaryRoot)
        }
        #expect(demo.firstLine == "Playground: \(demo.base)/playground")

        let page = try await demo.get("/playground")
        #expect(page.status == 200)
        #expect(page.contentType?.hasPrefix("text/html") == true)
        #expect(page.body.contains("<title>Gongbu playground</title>"))
        #expect(page.body.contains("/playground/events"))

        let state = try await demo.getJSON("/playground/state")
        let chats = state["chats"]?.arrayValue ?? []
        #expect(chats.compactMap { $0["chat"]?.stringValue } == ["creator", Self.student])
        #expect(chats.first?["bot_username"]?.stringValue == "gongbu_demo_manager_bot")
        #expect(chats.last?["bot_username"]?.stringValue == "swift_basics_demo_bot")
        let appURL = try #require(state["app_url"]?.stringValue)
        #expect(appURL.hasPrefix("/app#tgWebAppData="))
        let initData = String(appURL.dropFirst("/app#tgWebAppData=".count)).removingPercentEncoding ?? ""
        let fields = Dictionary(initData.split(separator: "&").map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], (parts.count > 1 ? parts[1] : "").removingPercentEncoding ?? "")
        }, uniquingKeysWith: { first, _ in first })
        #expect(fields["hash"]?.count == 64)
        #expect(fields["user"]?.contains("\"id\":4242001") == true, "\(fields)")

        // The creator opened the manager bot at start, so reviews reach them.
        try await demo.waitForText("creator", "Gongbu manager")

        // The student: START, the welcome card, the free steps.
        try await demo.send(Self.student, "/start")
        let welcome = try await demo.waitForText(Self.student, "Swift Basics")
        #expect(RunningDemo.labels(welcome) == ["Start"])
        try await demo.press(Self.student, "Start")
        try await demo.waitForText(Self.student, "Step 1/10 · Welcome")
        for header in ["Step 2/10 · Meet Swift", "Step 3/10 · Constants and variables", "Step 4/10 · A quick warm-up", "Step 5/10 · Types and functions"] {
            try await demo.press(Self.student, "Next ▶️")
            try await demo.waitForText(Self.student, header)
        }
        let photo = try #require(try await demo.messages(Self.student).first { $0["media"]?.stringValue == "photo" })
        let photoURL = try #require(photo["file"]?["url"]?.stringValue)
        let photoFile = try await demo.get(photoURL)
        #expect(photoFile.status == 200)
        #expect(photoFile.body.utf8.count > 100)

        // The paid step: Buy, the invoice, Pay (pre-checkout and successful_payment in the emulator).
        try await demo.press(Self.student, "Next ▶️")
        let locked = try await demo.waitForMessage(Self.student, "a Buy button") { RunningDemo.labels($0).contains("Buy · 5 ⭐") }
        let lockedText = locked["text"]?.stringValue ?? ""
        #expect(!lockedText.contains("Everything so far on one page"))
        try await demo.press(Self.student, "Buy · 5 ⭐")
        let invoice = try await demo.waitForMessage(Self.student, "an invoice") { $0["media"]?.stringValue == "invoice" }
        #expect(invoice["message"]?["invoice"]?["total_amount"]?.intValue == 5)
        let paid = try await demo.post("/playground/pay", ["chat": .string(Self.student), "message_id": invoice["message_id"] ?? .null])
        #expect(paid["outcome"]?.stringValue == "paid")
        try await demo.waitForMessage(Self.student, "the successful_payment") { $0["message"]?["successful_payment"] != nil }
        let sheet = try await demo.waitForMessage(Self.student, "the cheat sheet") {
            $0["media"]?.stringValue == "document" && ($0["text"]?.stringValue ?? "").contains("Step 6/10 · Cheat sheet")
        }
        #expect(sheet["file"]?["name"]?.stringValue?.hasSuffix(".pdf") == true)

        try await demo.press(Self.student, "Next ▶️")
        try await demo.waitForText(Self.student, "Step 7/10 · Halfway there")
        try await demo.press(Self.student, "Next ▶️")
        try await demo.waitForText(Self.student, "Step 8/10 · Check yourself")
        try await passQuiz(demo)
        let popups = try await demo.getJSON("/playground/messages?chat=\(Self.student)")["popups"]?.arrayValue ?? []
        #expect(popups.contains { $0["text"]?.stringValue == "✅ Correct!" }, "\(popups)")

        // The assignment goes to the creator, who approves it from the manager bot's pane.
        try await demo.press(Self.student, "Next ▶️")
        try await demo.waitForText(Self.student, "Step 9/10 · Your first program")
        try await demo.send(Self.student, "func double(_ x: Int) -> Int { x * 2 }\nprint(double(21))")
        try await demo.waitForText(Self.student, "awaits review")
        let submission = try await demo.waitForMessage("creator", "the submission") { RunningDemo.labels($0).contains("✅ Approve") }
        let submissionText = submission["text"]?.stringValue ?? ""
        #expect(submissionText.contains("double(21)"), "\(submissionText)")
        try await demo.press("creator", "✅ Approve")
        try await demo.waitForText("creator", "Write a comment")
        try await demo.press("creator", "Skip")
        try await demo.waitForText("creator", "approved")
        try await demo.waitForText(Self.student, "✅ Your work on «Your first program» is approved.")

        // The live stream of a chat: every message first, then `ready`.
        let events = try await demo.readEvents("/playground/events?chat=\(Self.student)") { $0.contains("event: ready") }
        #expect(events.contains("event: message\ndata: "))
        #expect(events.contains("Step 9/10 · Your first program"))
        #expect(events.contains("event: keyboard"))

        // A second student has a chat of their own.
        let added = try await demo.post("/playground/students", [:])
        let second = try #require(added["chat"]?.stringValue)
        #expect(second == "student-1002")
        try await demo.send(second, "/start")
        try await demo.waitForText(second, "Swift Basics")
        #expect(try await demo.messages(second).allSatisfy { !($0["text"]?.stringValue ?? "").contains("Step 9/10") })
        // A file sent from the page: it shows in the chat, can be opened, and the bot answers it.
        let notes = Data("let answer = 42\n".utf8)
        try await demo.post("/playground/upload", [
            "chat": .string(second), "kind": "document", "file_name": "notes.swift", "mime_type": "text/plain",
            "data": .string(notes.base64EncodedString()),
        ])
        let sentFile = try await demo.waitForMessage(second, "the sent document") {
            $0["from_bot"]?.boolValue == false && $0["media"]?.stringValue == "document"
        }
        #expect(sentFile["file"]?["name"]?.stringValue == "notes.swift")
        let fileURL = try #require(sentFile["file"]?["url"]?.stringValue)
        #expect(try await demo.get(fileURL).body == "let answer = 42\n")
        #expect(try await demo.get(fileURL.replacingOccurrences(of: second, with: Self.student)).status == 404, "another chat's file")
        try await demo.waitForText(second, "I can't use this message here")

        let health = try await demo.get("/healthz")
        #expect(health.status == 200)
        let healthJSON = try JSONValue.parse(Data(health.body.utf8))
        #expect(healthJSON["status"]?.stringValue == "ok")
        #expect(healthJSON["bots"]?.arrayValue?.count == 2)
        let metrics = try await demo.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("gongbu_updates_total"))
        #expect(metrics.body.contains("payments_processed_total"))

        let (status, stderr) = demo.interrupt()
        stopped = true
        #expect(status == 0, "\(stderr)")
        #expect(demo.leftoverDemoFolders.isEmpty, "\(demo.leftoverDemoFolders)")
        #expect(!stderr.contains(":DEMO"), "no token in the logs")
    }

    /// Every answer right: the single choice, the multiple choice, the native quiz poll, the free text.
    func passQuiz(_ demo: RunningDemo) async throws {
        try await demo.waitForText(Self.student, "Question 1 of 4")
        try await demo.press(Self.student, "let")
        try await demo.waitForText(Self.student, "Question 2 of 4")
        for option in ["Int", "String", "Bool"] {
            try await demo.press(Self.student, "☐ \(option)")
            try await demo.waitForMessage(Self.student, "☑ \(option)") { RunningDemo.labels($0).contains("☑ \(option)") }
        }
        try await demo.press(Self.student, "Submit")
        try await demo.waitForMessage(Self.student, "the quiz poll") { $0["media"]?.stringValue == "poll" }
        try await demo.post("/playground/poll", ["chat": .string(Self.student), "options": [0]])
        try await demo.waitForText(Self.student, "Question 4 of 4")
        try await demo.send(Self.student, "var")
        try await demo.waitForText(Self.student, "Quiz passed!")
    }

    @Test("--data DIR keeps the demo's folder (bots.yaml, the course copy with its paid step, the databases, the tokens): the next demo on it continues")
    func keptData() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gongbu-demo-kept-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let demo = try RunningDemo.start(extraArguments: ["--data", folder.path])
        var stopped = false
        defer {
            if !stopped { _ = demo.interrupt() }
            try? FileManager.default.removeItem(at: demo.temporaryRoot)
        }
        try await demo.send(Self.student, "/start")
        try await demo.waitForText(Self.student, "Swift Basics")
        try await demo.press(Self.student, "Start")
        try await demo.waitForText(Self.student, "Step 1/10 · Welcome")
        let (status, stderr) = demo.interrupt()
        stopped = true
        #expect(status == 0, "\(stderr)")
        let tokens = try String(contentsOf: folder.appendingPathComponent("demo-tokens.txt"), encoding: .utf8)

        // The next demo on the same folder: the same bots, and the student's progress is still there.
        let again = try RunningDemo.start(extraArguments: ["--data", folder.path])
        var stoppedAgain = false
        defer {
            if !stoppedAgain { _ = again.interrupt() }
            try? FileManager.default.removeItem(at: again.temporaryRoot)
        }
        try await again.send(Self.student, "/start")
        let welcome = try await again.waitForText(Self.student, "Swift Basics")
        #expect(RunningDemo.labels(welcome).contains("Continue"), "\(RunningDemo.labels(welcome))")
        let (statusAgain, stderrAgain) = again.interrupt()
        stoppedAgain = true
        #expect(statusAgain == 0, "\(stderrAgain)")
        #expect(try String(contentsOf: folder.appendingPathComponent("demo-tokens.txt"), encoding: .utf8) == tokens)
        let yaml = try String(contentsOf: folder.appendingPathComponent("bots.yaml"), encoding: .utf8)
        #expect(yaml.contains("admins: [4242001]"))
        #expect(!yaml.contains(":DEMO"), "the tokens come from the environment, not the file")
        let course = try String(contentsOf: folder.appendingPathComponent("course/course.yaml"), encoding: .utf8)
        #expect(course.contains("paid: true"))
        #expect(course.contains("review: creator"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/gongbu.sqlite").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("course/media/swift-logo.png").path))
    }

    @Test("a port already in use is refused at once with exit 1 and a hint, before anything starts")
    func portInUse() async throws {
        let first = try RunningDemo.start()
        var stopped = false
        defer {
            if !stopped { _ = first.interrupt() }
            try? FileManager.default.removeItem(at: first.temporaryRoot)
        }
        let port = String(first.base.split(separator: ":").last ?? "")
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = first.temporaryRoot.path
        let second = try SpawnedProcess(
            executable: RunningDemo.binary, arguments: ["demo", "--port", port], environment: environment, directory: RunningDemo.root.path)
        // Were the port check gone, the second demo would not stop by itself: end it after a minute.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 60)
            if !second.hasExited { second.signal(SIGKILL) }
        }
        let result = second.finish()
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("127.0.0.1:\(port) is already in use: pass --port N"), "\(result.stderr)")
        _ = first.interrupt()
        stopped = true
        #expect(first.leftoverDemoFolders.isEmpty, "\(first.leftoverDemoFolders)")
    }
}
