import Foundation
import Logging
import Storage
import TelegramBotAPI
import TelegramClient

/// Downloads submitted files (getFile + downloadFile with the course bot's own client) into
/// `data/courses/<slug>/files/submissions/<user>-<step>-<id>.<ext>`, a background job woken by
/// the bot's commits: the submission row says `downloading` until the file is on disk, so a
/// crash or a network error only means another try later. Files over Telegram's 20 MB getFile limit are refused.
struct SubmissionDownloader: Sendable {
    static let maxBytes = 20 * 1_048_576
    static let maxAttempts = 5

    let store: CourseStore
    let client: any BotAPIClient
    /// The course bot's token, to redact from error texts (download URLs hold it).
    let token: BotToken
    let folder: String
    let logger: Logger
    let interval: Double
    /// Whether this bot downloads a submission (a course run by several bots: file_ids belong to
    /// the bot that received them, taken to be the one that talks with the student). nil: all.
    var owns: (@Sendable (SubmissionRecord) async -> Bool)? = nil
    /// Told after files were stored or given up on (their submissions can now go to the reviewers).
    var settled: (@Sendable () -> Void)? = nil

    /// One look at the files to download: downloads them; true when some still wait (a failed
    /// try, another bot's file, the next page), to look again after `interval`.
    func pass(stop: Signal) async -> Bool {
        do {
            let files = try await store.filesToDownload()
            for submission in files where !stop.isRung {
                if let owns, await !owns(submission) { continue }
                await download(submission)
            }
            if !files.isEmpty { settled?() }
            return !files.isEmpty
        } catch {
            logger.warning("could not read the submissions to download", metadata: ["error": "\(error)"])
            return true
        }
    }

    func download(_ submission: SubmissionRecord) async {
        guard let fileId = submission.fileId else { return }
        do {
            if let size = submission.fileSize, size > Self.maxBytes {
                try await store.fileDownloadFailed(submissionId: submission.id, error: "file too big (\(size) bytes)", giveUp: true)
                return
            }
            let file = try await client.call(GetFile(fileId: fileId))
            guard let path = file.filePath else { throw DownloadRefused(reason: "getFile returned no file_path") }
            if let size = file.fileSize, size > Self.maxBytes { throw DownloadRefused(reason: "file too big (\(size) bytes)") }
            let data = try await client.downloadFile(path: path)
            guard data.count <= Self.maxBytes else { throw DownloadRefused(reason: "file too big (\(data.count) bytes)") }
            let target = (folder as NSString).appendingPathComponent(Self.fileName(for: submission, telegramPath: path))
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: target), options: .atomic)
            try await store.fileStored(submissionId: submission.id, path: target)
            logger.info("stored a submitted file", metadata: ["submission": "\(submission.id)", "bytes": "\(data.count)"])
        } catch {
            let permanent = error is DownloadRefused || ((error as? BotAPIError).map { $0.code == 400 } ?? false)
            let attempts = (try? await store.downloadAttempts(submissionId: submission.id)) ?? 0
            let giveUp = permanent || attempts + 1 >= Self.maxAttempts
            logger.warning("could not download a submitted file", metadata: [
                "submission": "\(submission.id)", "error": "\(token.redact(String(describing: error)))", "giving_up": "\(giveUp)",
            ])
            try? await store.fileDownloadFailed(submissionId: submission.id, error: token.redact(String(describing: error)), giveUp: giveUp)
        }
    }

    /// `<user>-<step>-<id>.<ext>`: the step id and extension reduced to safe characters, the
    /// extension taken from Telegram's file path, else the student's file name, else the kind.
    static func fileName(for submission: SubmissionRecord, telegramPath: String) -> String {
        func safe(_ text: String, max: Int) -> String {
            String(text.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-") }
                .map(Character.init).prefix(max))
        }
        let candidates = [(telegramPath as NSString).pathExtension, ((submission.fileName ?? "") as NSString).pathExtension]
        let fallback = switch submission.kind {
        case "photo": "jpg"
        case "video": "mp4"
        case "voice": "ogg"
        default: "bin"
        }
        let ext = candidates.map { safe($0.lowercased(), max: 8) }.first { !$0.isEmpty } ?? fallback
        let step = safe(submission.stepId, max: 40)
        return "\(submission.userId)-\(step.isEmpty ? "step" : step)-\(submission.id).\(ext)"
    }

    struct DownloadRefused: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }
}
