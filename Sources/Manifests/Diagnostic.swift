/// One problem found in a configuration or course file, with where it is.
///
/// `gongbu check` prints these as `FILE:LINE:COL: message`, the form editors and CI
/// annotate; FILE is the path as the user wrote it (command line or bots.yaml).
public struct Diagnostic: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Errors fail `gongbu check` and loading; warnings are reported and do not.
    public enum Severity: String, Sendable, Equatable, Hashable {
        case error, warning
    }

    /// The file as the user wrote it (command line, bots.yaml), not resolved.
    public var file: String
    /// 1-based; 0 when the problem has no position (an unreadable file).
    public var line: Int
    /// 1-based, counted in Unicode scalars; 0 when the problem has no position.
    public var column: Int
    public var message: String
    public var severity: Severity

    public init(file: String, line: Int, column: Int, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.severity = severity
    }

    public var isError: Bool { severity == .error }

    /// `FILE:LINE:COL: message`; warnings read `FILE:LINE:COL: warning: message`.
    public var description: String {
        let place = line > 0 ? "\(file):\(line):\(max(column, 1))" : file
        switch severity {
        case .error: return "\(place): \(message)"
        case .warning: return "\(place): warning: \(message)"
        }
    }
}

/// The diagnostics of a file that could not be loaded: at least one error, maybe warnings.
public struct DiagnosticsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var errors: [Diagnostic] { diagnostics.filter(\.isError) }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

extension Array where Element == Diagnostic {
    /// Whether any of these fails the load (warnings do not).
    var containsError: Bool { contains(where: \.isError) }
}
