import Foundation

/// A chromedriver and one headless Chromium session on it, started and stopped together: what a
/// browser test holds. `Browser.run { session in … }` closes both even when the body throws.
public struct Browser: Sendable {
    public let driver: ChromeDriver
    public let session: BrowserSession

    /// Starts chromedriver and a session. Fails with `ChromeDriver.installHint` when Chromium is missing.
    public static func launch(screenshotDirectory: URL = BrowserSession.defaultScreenshotDirectory) async throws -> Browser {
        let driver = try await ChromeDriver.start()
        do {
            let session = try await BrowserSession.create(on: driver, screenshotDirectory: screenshotDirectory)
            return Browser(driver: driver, session: session)
        } catch {
            await driver.stop()
            throw BrowserError(step: "start a headless Chromium session", message: "\(error); chromedriver said: \(driver.output.suffix(500))")
        }
    }

    /// Closes the session and stops chromedriver.
    public func close() async {
        await session.delete()
        await driver.stop()
    }

    /// Runs `body` with a fresh session, then closes everything (a screenshot `failure-<name>` is
    /// taken first when `body` throws).
    public static func run<Result: Sendable>(
        name: String = "browser", _ body: (BrowserSession) async throws -> Result
    ) async throws -> Result {
        let browser = try await launch()
        do {
            let result = try await body(browser.session)
            await browser.close()
            return result
        } catch {
            _ = try? await browser.session.screenshot("failure-\(name)")
            await browser.close()
            throw error
        }
    }
}
