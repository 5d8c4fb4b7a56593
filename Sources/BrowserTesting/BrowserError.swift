import Foundation

/// Why a browser step failed: which step (`start chromedriver`, `find element "#save"`, …) and
/// what chromedriver or the page said, so a failing browser test reads as a sentence.
public struct BrowserError: Error, CustomStringConvertible, Sendable {
    /// The step that failed, as the harness names it.
    public var step: String
    /// The WebDriver error code (`no such element`, `timeout`, …) when chromedriver gave one.
    public var code: String?
    public var message: String

    public init(step: String, code: String? = nil, message: String) {
        self.step = step
        self.code = code
        self.message = message
    }

    public var description: String {
        "browser: \(step) failed: " + (code.map { "\($0): " } ?? "") + message
    }
}
