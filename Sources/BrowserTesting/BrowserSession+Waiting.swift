import Foundation
import GongbuTesting

/// Waiting for the page: polls every 100 ms until a condition holds or the timeout passes, and
/// then fails naming what it waited for (pages render asynchronously; a fixed sleep would be flaky).
extension BrowserSession {
    /// Polls `condition` until it returns true.
    public func waitUntil(
        _ description: String, timeout: Duration = .seconds(15), condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        while true {
            do {
                if try await condition() { return }
                lastError = nil
            } catch {
                lastError = error
            }
            if ContinuousClock.now > deadline {
                let url = (try? await currentURL()) ?? "?"
                throw BrowserError(
                    step: "wait for \(description)", code: "timeout",
                    message: "not true after \(timeout) on \(url)" + (lastError.map { " (last error: \($0))" } ?? ""))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Polls `produce` until it returns a value.
    public func waitFor<Value: Sendable>(
        _ description: String, timeout: Duration = .seconds(15), produce: () async throws -> Value?
    ) async throws -> Value {
        var result: Value?
        try await waitUntil(description, timeout: timeout) {
            result = try await produce()
            return result != nil
        }
        return result!
    }

    /// The first element matching `css` once there is one and it is displayed.
    public func waitFor(_ css: String, timeout: Duration = .seconds(15)) async throws -> BrowserElement {
        try await waitFor("\"\(css)\" to be displayed", timeout: timeout) { () -> BrowserElement? in
            for element in try await findAll(css) where try await element.isDisplayed() { return element }
            return nil
        }
    }

    /// The first element matching `css` whose text contains `text`.
    public func waitFor(_ css: String, containing text: String, timeout: Duration = .seconds(15)) async throws -> BrowserElement {
        try await waitFor("\"\(css)\" holding \"\(text)\"", timeout: timeout) { () -> BrowserElement? in
            for element in try await findAll(css) where try await element.text().contains(text) { return element }
            return nil
        }
    }

    /// Waits until no element matches `css`.
    public func waitForAbsence(of css: String, timeout: Duration = .seconds(15)) async throws {
        try await waitUntil("no \"\(css)\"", timeout: timeout) { try await findAll(css).isEmpty }
    }

    /// Waits until `expression` (JavaScript) is truthy and returns its value.
    @discardableResult
    public func waitForScript(_ expression: String, timeout: Duration = .seconds(15)) async throws -> JSONValue {
        try await waitFor("script \(Self.abbreviate(expression)) to be truthy", timeout: timeout) { () -> JSONValue? in
            let value = try await execute("return (\(expression));")
            switch value {
            case .null, .bool(false), .int(0): return nil
            case .string(let text) where text.isEmpty: return nil
            default: return value
            }
        }
    }
}
