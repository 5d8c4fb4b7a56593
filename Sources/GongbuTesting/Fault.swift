/// A failure the emulator injects into matching calls instead of answering normally.
///
/// Exists to test retry, backoff and error handling against realistic transport and
/// server failures.
public enum Fault: Sendable, Equatable {
    /// Answer with this error (e.g. 429 with retry_after, 500, 502).
    case status(code: Int, description: String, retryAfter: Int? = nil)
    /// Close the connection without a complete response.
    case dropConnection
    /// Wait this long, then answer normally.
    case delay(Duration)

    public static func tooManyRequests(retryAfter: Int) -> Fault {
        .status(code: 429, description: "Too Many Requests: retry after \(retryAfter)", retryAfter: retryAfter)
    }
    public static let internalServerError = Fault.status(code: 500, description: "Internal Server Error")
    public static let badGateway = Fault.status(code: 502, description: "Bad Gateway")

    var label: String {
        switch self {
        case .status(let code, let description, _): return "\(code) \(description)"
        case .dropConnection: return "dropped connection"
        case .delay(let duration): return "delay \(duration)"
        }
    }
}

/// Pending injected faults, consumed in order by matching calls.
struct FaultRule: Sendable {
    var fault: Fault
    var method: String?
    var token: String?
    var remaining: Int

    func matches(method: String, token: String) -> Bool {
        (self.method == nil || self.method!.lowercased() == method.lowercased())
            && (self.token == nil || self.token == token)
    }
}
