/// Why a locale catalog or a template could not be loaded, with the file and, when known, the line
/// and column, so `gongbu check` can print `FILE:LINE:COL: message` and a creator can fix the file.
public struct LocalizationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for callers that react differently to each case.
    public enum Code: String, Sendable {
        /// A file or directory could not be read.
        case unreadable
        /// A YAML file is not valid YAML.
        case invalidYAML
        /// A YAML file is valid YAML but not a catalog (lists, empty values, non-text keys).
        case invalidCatalog
        /// A Mustache template does not parse.
        case invalidTemplate
        /// A template was asked for by a name no file provides.
        case missingTemplate
    }

    public let code: Code
    /// The file at fault, as given to the loader.
    public let file: String
    /// 1-based line, when known.
    public let line: Int?
    /// 1-based column, when known.
    public let column: Int?
    public let message: String

    public init(code: Code, file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE:COL: message` (line and column left out when unknown).
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(message)"
    }
}
