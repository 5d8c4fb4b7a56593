import Foundation
import Glibc
import GongbuTesting

/// A `chromedriver` child process on a free loopback port: the one piece of the browser harness
/// that is not plain HTTP. Debian packages it as `chromium-driver` (with `chromium`).
public final class ChromeDriver: Sendable {
    /// Where Debian installs the driver and the browser.
    public static let defaultExecutable = "/usr/bin/chromedriver"
    public static let defaultBrowser = "/usr/bin/chromium"
    /// What to tell someone whose machine lacks them (CI's `.ci/run` installs them).
    public static let installHint =
        "install the Debian packages chromium, chromium-driver and fonts-dejavu-core "
        + "(apt-get install -y chromium chromium-driver fonts-dejavu-core; .ci/run does it on CI)"

    /// The driver's address, `http://127.0.0.1:<port>`.
    public let baseURL: String
    public let port: Int
    private let process: SpawnedProcess

    private init(process: SpawnedProcess, port: Int) {
        self.process = process
        self.port = port
        self.baseURL = "http://127.0.0.1:\(port)"
    }

    /// Starts `chromedriver --port=0` and waits until it says which port it took and answers `/status`.
    public static func start(executable: String = defaultExecutable, timeout: Duration = .seconds(30)) async throws -> ChromeDriver {
        let step = "start chromedriver"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BrowserError(step: step, message: "\(executable) not found: \(installHint)")
        }
        guard FileManager.default.isExecutableFile(atPath: defaultBrowser) else {
            throw BrowserError(step: step, message: "\(defaultBrowser) not found: \(installHint)")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess(
                executable: executable, arguments: ["--port=0", "--allowed-ips=127.0.0.1"], environment: environment)
        } catch {
            throw BrowserError(step: step, message: "\(error)")
        }
        let deadline = ContinuousClock.now + timeout
        var port: Int?
        while port == nil {
            port = Self.announcedPort(in: process.stdout)
            if port != nil { break }
            if process.hasExited {
                throw BrowserError(step: step, message: "chromedriver exited: \(process.stdout) \(process.stderr)")
            }
            if ContinuousClock.now > deadline {
                process.signal(SIGKILL)
                throw BrowserError(step: step, message: "chromedriver named no port within \(timeout): \(process.stdout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let driver = ChromeDriver(process: process, port: port!)
        let client = WebDriverClient(baseURL: driver.baseURL)
        while true {
            if let status = try? await client.send(.GET, "/status", step: "chromedriver status"),
               status["ready"]?.boolValue == true {
                return driver
            }
            if ContinuousClock.now > deadline {
                await driver.stop()
                throw BrowserError(step: step, message: "chromedriver on port \(port!) was not ready within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// `ChromeDriver was started successfully on port 44991.`
    static func announcedPort(in output: String) -> Int? {
        guard let range = output.range(of: "started successfully on port ") else { return nil }
        let digits = output[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    /// What the driver printed so far (for a failing test's message).
    public var output: String { process.stdout + process.stderr }

    /// Stops the driver: SIGTERM, then SIGKILL after two seconds.
    public func stop() async {
        process.terminate()
        for _ in 0..<40 {
            if process.hasExited { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
        process.signal(SIGKILL)
        _ = process.waitUntilExit()
    }
}
