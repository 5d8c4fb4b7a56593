import Foundation

/// Reads a manifest (bots.yaml, course.yaml) as UTF-8 text, so a byte that is not UTF-8 (a
/// Latin-1 `é`, an overlong `C0 AF`) is reported as `FILE:LINE:COL: not valid UTF-8` at the first
/// bad byte, like every other problem of the file, instead of a bare "cannot read file".
enum ManifestText {
    enum Failure: Error, Equatable {
        /// The file could not be read at all (missing, a folder, no permission).
        case unreadable
        /// The first byte that is not UTF-8, as a 1-based line and column (in Unicode scalars).
        case notUTF8(line: Int, column: Int)
    }

    static let notUTF8Message = "not valid UTF-8"

    static func read(_ path: String) -> Result<String, Failure> {
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(.unreadable) }
        return decode(data)
    }

    /// The text, or the position of the first byte that does not begin a valid UTF-8 scalar
    /// (overlong forms and surrogates included, as Swift's decoder refuses them).
    static func decode(_ data: Data) -> Result<String, Failure> {
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        var line = 1, column = 1
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let encoded):
                if encoded.count == 1, encoded.first == 0x0A { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                return .success(String(decoding: data, as: UTF8.self))
            case .error:
                return .failure(.notUTF8(line: line, column: column))
            }
        }
    }

    /// The diagnostic for a failure: the position and reason for bad bytes, `unreadable` else.
    static func diagnostic(_ failure: Failure, file: String, unreadable: String) -> Diagnostic {
        switch failure {
        case .unreadable: Diagnostic(file: file, line: 0, column: 0, message: unreadable)
        case .notUTF8(let line, let column): Diagnostic(file: file, line: line, column: column, message: notUTF8Message)
        }
    }
}
