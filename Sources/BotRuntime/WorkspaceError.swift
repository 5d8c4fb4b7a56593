/// Why a web workspace operation (contract §9) was refused; the HTTP layer turns each case into
/// its status and `{"error": {"code", "message", "field"?}}`. Messages never hold a token or
/// another creator's data.
public enum WorkspaceError: Error, Sendable, Equatable {
    case unauthorized(String)
    case forbidden(String)
    case notFound(String)
    /// A value breaking a rule of `gongbu check` (its message), and the JSON field it is about.
    case invalid(String, field: String?)
    case conflict(String)
    case tooManyRequests(String)

    public var code: String {
        switch self {
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .invalid: "invalid"
        case .conflict: "conflict"
        case .tooManyRequests: "too_many_requests"
        }
    }

    public var message: String {
        switch self {
        case .unauthorized(let text), .forbidden(let text), .notFound(let text), .invalid(let text, _), .conflict(let text), .tooManyRequests(let text):
            text
        }
    }

    public var field: String? {
        if case .invalid(_, let field) = self { return field }
        return nil
    }
}
