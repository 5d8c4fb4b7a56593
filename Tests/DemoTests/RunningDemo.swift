import AsyncHTTPClient
import Foundation
import GongbuTesting
import NIOCore
import Testing

/// A `gongbu demo` started as a user would (the built binary, `--port 0`), with its playground
/// driven through the playground's own HTTP interface, the way the page's JavaScript does.
struct RunningDemo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: String {
        for configuration in ["debug", "release"] {
            let candidate = root.appendingPathComponent(".build/\(configuration)/gongbu").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return root.appendingPathComponent(".build/debug/gongbu").path
    }

    let process: SpawnedProcess
    /// `http://127.0.0.1:PORT`, from the first line the demo printed.
    let base: String
    let firstLine: String
    /// The TMPDIR given to the demo: its temporary data folder is made in here.
    let temporaryRoot: URL

    /// Starts the demo in the repository root and reads the playground's address from its first line.
    static func start(extraArguments: [String] = []) throws -> RunningDemo {
        let temporaryRoot = FileManager.default.temporaryDirectory.appendingPathComponent("gongbu-demo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporaryRoot, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("GONGBU_") { environment[key] = nil }
        environment["TMPDIR"] = temporaryRoot.path
        let process = try SpawnedProcess(
            executable: binary, arguments: ["demo", "--port", "0", "--log-level", "warning"] + extraArguments,
            environment: environment, directory: root.path, collectOutput: false)
        // A demo that never prints must not hang the suite.
        let printed = FirstLineFlag()
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 120)
            if !printed.isSet { process.terminate() }
        }
        let line = process.readLine()
        printed.set()
        guard let line else {
            let result = process.finish()
            throw DemoTestError("the demo printed nothing (exit \(result.status)): \(result.stderr)")
        }
        guard let range = line.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else {
            throw DemoTestError("the first line is not the playground's address: \(line)")
        }
        return RunningDemo(process: process, base: String(line[range]), firstLine: line, temporaryRoot: temporaryRoot)
    }

    // MARK: HTTP

    func get(_ path: String) async throws -> (status: UInt, body: String, contentType: String?) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + path), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 50 * 1024 * 1024)
        return (response.status.code, String(buffer: body), response.headers.first(name: "content-type"))
    }

    func getJSON(_ path: String) async throws -> JSONValue {
        let (status, body, _) = try await get(path)
        guard status == 200 else { throw DemoTestError("GET \(path): \(status) \(body)") }
        return try JSONValue.parse(Data(body.utf8))
    }

    @discardableResult
    func post(_ path: String, _ body: JSONValue) async throws -> JSONValue {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body.serialized))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1024 * 1024))
        let answer = try JSONValue.parse(Data(text.utf8))
        guard response.status == .ok, answer["ok"]?.boolValue == true else {
            throw DemoTestError("POST \(path) \(body.serialized): \(response.status.code) \(text)")
        }
        return answer
    }

    /// The chat's messages as `/playground/messages` gives them.
    func messages(_ chat: String) async throws -> [JSONValue] {
        try await getJSON("/playground/messages?chat=\(chat)")["messages"]?.arrayValue ?? []
    }

    /// Waits (polling `/playground/messages`) for a message of the chat that matches, newest first.
    @discardableResult
    func waitForMessage(
        _ chat: String, _ description: String, timeout: Duration = .seconds(45), where predicate: (JSONValue) -> Bool
    ) async throws -> JSONValue {
        let clock = ContinuousClock()
        let start = clock.now
        var last: [JSONValue] = []
        while clock.now - start < timeout {
            last = try await messages(chat)
            if let found = last.reversed().first(where: predicate) { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        let transcript = last.map { "  #\($0["message_id"]?.intValue ?? 0) \(($0["text"]?.stringValue ?? "").prefix(80)) \(Self.labels($0))" }
        throw DemoTestError("timed out waiting in \(chat) for \(description); chat:\n" + transcript.joined(separator: "\n"))
    }

    @discardableResult
    func waitForText(_ chat: String, _ text: String) async throws -> JSONValue {
        try await waitForMessage(chat, "\"\(text)\"") { ($0["text"]?.stringValue ?? "").contains(text) }
    }

    /// Presses the inline button `label` on the newest message that has it, as the page does.
    func press(_ chat: String, _ label: String) async throws {
        let message = try await waitForMessage(chat, "a button \"\(label)\"") { Self.labels($0).contains(label) }
        let button = (message["buttons"]?.arrayValue ?? []).flatMap { $0.arrayValue ?? [] }.first { $0["text"]?.stringValue == label }
        guard let data = button?["callback_data"]?.stringValue else { throw DemoTestError("\(label) has no callback_data") }
        try await post("/playground/press", ["chat": .string(chat), "message_id": message["message_id"] ?? .null, "callback_data": .string(data)])
    }

    func send(_ chat: String, _ text: String) async throws {
        try await post("/playground/send", ["chat": .string(chat), "text": .string(text)])
    }

    static func labels(_ message: JSONValue) -> [String] {
        (message["buttons"]?.arrayValue ?? []).flatMap { $0.arrayValue ?? [] }.compactMap { $0["text"]?.stringValue }
    }

    /// Reads a server-sent event stream until `stop` holds for the text so far (or `timeout`).
    func readEvents(_ path: String, timeout: Duration = .seconds(20), until stop: @escaping @Sendable (String) -> Bool) async throws -> String {
        let request = HTTPClientRequest(url: base + path)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                var text = ""
                for try await chunk in response.body {
                    text += String(buffer: chunk)
                    if stop(text) { return text }
                }
                return text
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let text = first else { throw DemoTestError("no matching events on \(path) within \(timeout)") }
            return text
        }
    }

    // MARK: Stopping

    /// SIGINT, as Ctrl-C sends; the exit status and stderr.
    func interrupt() -> (status: Int32, stderr: String) {
        process.interrupt()
        let result = process.finish()
        return (result.status, result.stderr)
    }

    /// The demo folders left in the demo's TMPDIR.
    var leftoverDemoFolders: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: temporaryRoot.path)) ?? []).filter { $0.hasPrefix("gongbu-demo-") }
    }
}

struct DemoTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Set once the demo's first line arrived (the start-up watchdog then leaves it alone).
final class FirstLineFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
