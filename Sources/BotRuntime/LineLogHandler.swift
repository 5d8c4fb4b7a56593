import Foundation
import Logging
import Synchronization

/// One line per log event, as text or as a JSON object (`--log-format json`), with every known
/// bot token replaced by `123456:***` before the line leaves the process.
public struct LineLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    /// Where finished lines go (stderr in the CLI; a buffer in tests).
    public typealias Sink = @Sendable (String) -> Void

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let format: Format
    let secrets: [String]
    let sink: Sink

    public init(label: String, format: Format, level: Logger.Level = .info, secrets: [String] = [], sink: @escaping Sink = LineLogHandler.standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.secrets = secrets.filter { !$0.isEmpty }
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let time = ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        var line: String
        switch format {
        case .text:
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line = "\(time) \(event.level.rawValue.uppercased()) \(label): \(event.message)\(fields.isEmpty ? "" : " " + fields)"
            line = line.replacingOccurrences(of: "\n", with: "\\n")
        case .json:
            var object: [String: String] = ["time": time, "level": event.level.rawValue, "label": label, "message": "\(event.message)"]
            for (key, value) in merged where object[key] == nil { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        }
        for secret in secrets where line.contains(secret) {
            line = line.replacingOccurrences(of: secret, with: Self.redacted(secret))
        }
        sink(line)
    }

    static func redacted(_ secret: String) -> String {
        guard let colon = secret.firstIndex(of: ":") else { return "***" }
        return secret[..<colon] + ":***"
    }

    public static let standardError: Sink = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Collects log lines in memory (tests assert that no token reaches a log line).
public final class LogCapture: Sendable {
    private let lines = Mutex([String]())

    public init() {}

    public var sink: LineLogHandler.Sink {
        { [self] line in lines.withLock { $0.append(line) } }
    }

    public var all: [String] { lines.withLock { $0 } }
}
