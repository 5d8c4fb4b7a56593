import Foundation

/// Why a database could not be opened or used, with the file it concerns.
///
/// Raised instead of crashing when the data directory is unwritable or a database is corrupt.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unwritableDirectory = "unwritable-directory"
        case corruptDatabase = "corrupt-database"
        case migrationFailed = "migration-failed"
        case queryFailed = "query-failed"
    }

    public var code: Code
    public var path: String
    public var message: String

    public init(code: Code, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
