import Foundation
import Glibc
import GongbuTesting

/// One headless Chromium session driven over W3C WebDriver: navigate, find, run scripts, act,
/// take screenshots. Tests get one from `Browser.launch()`, which also owns the chromedriver.
public final class BrowserSession: Sendable {
    public let id: String
    /// The browser's main process (from `goog:processID`), killed if the session cannot be closed.
    let browserProcess: Int32?
    let client: WebDriverClient
    /// Where `screenshot(_:)` writes its PNGs.
    public let screenshotDirectory: URL

    /// The arguments headless Chromium gets: a fixed window so screenshots compare, and no host
    /// name resolves, so a page under test never reaches the internet (tests behave the same on a
    /// machine with network as offline: Telegram's SDK and widget scripts fail to load).
    public static let chromiumArguments = [
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--disable-gpu", "--disable-crash-reporter", "--disable-breakpad", "--no-first-run",
        "--no-default-browser-check", "--disable-extensions", "--lang=en-US",
    ]

    /// `.build/artifacts/screenshots/` of this package (gitignored with `.build/`).
    public static var defaultScreenshotDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/artifacts/screenshots", isDirectory: true)
    }

    init(id: String, browserProcess: Int32?, client: WebDriverClient, screenshotDirectory: URL) {
        self.id = id
        self.browserProcess = browserProcess
        self.client = client
        self.screenshotDirectory = screenshotDirectory
    }

    /// A new session on `driver`: headless Chromium with `chromiumArguments`.
    public static func create(
        on driver: ChromeDriver, arguments: [String] = chromiumArguments,
        screenshotDirectory: URL = defaultScreenshotDirectory
    ) async throws -> BrowserSession {
        let client = WebDriverClient(baseURL: driver.baseURL)
        let options: JSONValue = [
            "binary": .string(ChromeDriver.defaultBrowser),
            "args": .array(arguments.map { .string($0) }),
        ]
        let capabilities: JSONValue = [
            "capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options, "pageLoadStrategy": "normal"]],
        ]
        let value = try await client.send(.POST, "/session", capabilities, step: "start a headless Chromium session")
        guard let id = value["sessionId"]?.stringValue else {
            throw BrowserError(step: "start a headless Chromium session", message: "no sessionId in \(value.serialized)")
        }
        let pid = value["capabilities"]?["goog:processID"]?.intValue.map { Int32($0) }
        let session = BrowserSession(id: id, browserProcess: pid, client: client, screenshotDirectory: screenshotDirectory)
        _ = try await client.send(
            .POST, "/session/\(id)/timeouts", ["script": 30_000, "pageLoad": 60_000, "implicit": 0], step: "set session timeouts")
        return session
    }

    var path: String { "/session/\(id)" }

    // MARK: Navigation

    public func navigate(to url: String) async throws {
        _ = try await client.send(.POST, path + "/url", ["url": .string(url)], step: "open \(url)")
    }

    public func currentURL() async throws -> String {
        try await client.send(.GET, path + "/url", step: "read the current URL").stringValue ?? ""
    }

    public func title() async throws -> String {
        try await client.send(.GET, path + "/title", step: "read the title").stringValue ?? ""
    }

    public func back() async throws {
        _ = try await client.send(.POST, path + "/back", step: "go back")
    }

    public func refresh() async throws {
        _ = try await client.send(.POST, path + "/refresh", step: "reload the page")
    }

    // MARK: Elements

    /// The first element matching `css` (fails at once when there is none; see `waitFor`).
    public func find(_ css: String) async throws -> BrowserElement {
        let value = try await client.send(.POST, path + "/element", ["using": "css selector", "value": .string(css)], step: "find \"\(css)\"")
        return try element(from: value, selector: css)
    }

    /// Every element matching `css` (maybe none).
    public func findAll(_ css: String) async throws -> [BrowserElement] {
        let value = try await client.send(.POST, path + "/elements", ["using": "css selector", "value": .string(css)], step: "find all \"\(css)\"")
        return try (value.arrayValue ?? []).map { try element(from: $0, selector: css) }
    }

    func element(from value: JSONValue, selector: String) throws -> BrowserElement {
        guard let id = value[BrowserElement.referenceKey]?.stringValue else {
            throw BrowserError(step: "find \"\(selector)\"", message: "no element reference in \(value.serialized)")
        }
        return BrowserElement(id: id, selector: selector, session: self)
    }

    // MARK: Scripts

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns its value.
    @discardableResult
    public func execute(_ script: String, _ args: [JSONValue] = []) async throws -> JSONValue {
        try await client.send(
            .POST, path + "/execute/sync", ["script": .string(script), "args": .array(args)],
            step: "run script \(Self.abbreviate(script))")
    }

    /// Runs an asynchronous `script`: it gets a callback as its last argument and calls it with the result.
    @discardableResult
    public func executeAsync(_ script: String, _ args: [JSONValue] = []) async throws -> JSONValue {
        try await client.send(
            .POST, path + "/execute/async", ["script": .string(script), "args": .array(args)],
            step: "run async script \(Self.abbreviate(script))")
    }

    static func abbreviate(_ script: String) -> String {
        let line = script.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return "\"" + (line.count > 80 ? line.prefix(77) + "..." : line) + "\""
    }

    // MARK: Screenshots

    /// Saves a PNG of the viewport as `<directory>/<name>.png` and returns its URL.
    @discardableResult
    public func screenshot(_ name: String) async throws -> URL {
        let step = "take screenshot \(name)"
        let value = try await client.send(.GET, path + "/screenshot", step: step)
        guard let base64 = value.stringValue, let data = Data(base64Encoded: base64) else {
            throw BrowserError(step: step, message: "the answer held no base64 PNG")
        }
        let safeName = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        let file = screenshotDirectory.appendingPathComponent(safeName + ".png")
        do {
            try FileManager.default.createDirectory(at: screenshotDirectory, withIntermediateDirectories: true)
            try data.write(to: file)
        } catch {
            throw BrowserError(step: step, message: "could not write \(file.path): \(error)")
        }
        return file
    }

    // MARK: End

    /// Closes the browser. When chromedriver cannot, the browser process is killed.
    public func delete() async {
        do {
            _ = try await client.send(.DELETE, path, step: "close the session")
        } catch {
            if let browserProcess, browserProcess > 1 { kill(browserProcess, SIGKILL) }
        }
    }
}

extension BrowserSession {
    // MARK: Dialogs

    /// The text of the open `alert`/`confirm`/`prompt` dialog.
    public func alertText() async throws -> String {
        try await client.send(.GET, path + "/alert/text", step: "read the dialog").stringValue ?? ""
    }

    /// Presses OK in the open dialog (a `confirm` then returns true to the page).
    public func acceptAlert() async throws {
        _ = try await client.send(.POST, path + "/alert/accept", step: "accept the dialog")
    }

    /// Presses Cancel in the open dialog.
    public func dismissAlert() async throws {
        _ = try await client.send(.POST, path + "/alert/dismiss", step: "dismiss the dialog")
    }

    /// Waits for a dialog, checks nothing about it, and accepts it; returns its text.
    @discardableResult
    public func acceptAlert(timeout: Duration) async throws -> String {
        let text = try await waitFor("a dialog", timeout: timeout) { () -> String? in try? await alertText() }
        try await acceptAlert()
        return text
    }
}
