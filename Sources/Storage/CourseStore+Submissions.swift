import Foundation
import GRDB

/// A stored assignment submission and where its review stands.
public struct SubmissionRecord: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case pending, approved, rejected
    }

    public var id: Int64
    public var userId: Int64
    public var chatId: Int64
    public var userName: String
    public var stepId: String
    public var kind: String
    public var text: String?
    public var fileId: String?
    public var fileName: String?
    public var fileSize: Int?
    /// The downloaded file, under `data/courses/<slug>/files/submissions/`.
    public var localPath: String?
    /// nil (no file), `downloading`, `stored` or `failed`.
    public var fileStatus: String?
    public var status: Status
    public var comment: String?
    public var reviewerId: Int64?
    public var createdAt: Double
    public var decidedAt: Double?
    public var notifiedAt: Double?

    init(row: Row) {
        id = row["id"]
        userId = row["user_id"]
        chatId = row["chat_id"]
        userName = row["user_name"]
        stepId = row["step_id"]
        kind = row["kind"]
        text = row["text"]
        fileId = row["file_id"]
        fileName = row["file_name"]
        fileSize = row["file_size"]
        localPath = row["local_path"]
        fileStatus = row["file_status"]
        status = Status(rawValue: row["status"]) ?? .pending
        comment = row["comment"]
        reviewerId = row["reviewer_id"]
        createdAt = row["created_at"]
        decidedAt = row["decided_at"]
        notifiedAt = row["notified_at"]
    }
}

/// What became of a verdict applied to a course database.
public enum VerdictOutcome: String, Sendable, Equatable {
    case applied
    /// Another verdict came first (a second reviewer, a replay): nothing changed.
    case alreadyDecided = "already_decided"
    case unknownSubmission = "unknown_submission"
}

extension CourseStore {
    static let submissionColumns = """
        id, user_id, chat_id, user_name, step_id, kind, text, file_id, file_name, file_size, local_path, file_status,
        status, comment, reviewer_id, created_at, decided_at, notified_at
        """

    private func fetchSubmissions(_ whereClause: String, _ arguments: StatementArguments = []) async throws -> [SubmissionRecord] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.submissionColumns) FROM submissions \(whereClause)", arguments: arguments)
                .map(SubmissionRecord.init(row:))
        }
    }

    /// Every submission, oldest first (tests, export).
    public func submissions() async throws -> [SubmissionRecord] {
        try await fetchSubmissions("ORDER BY id")
    }

    public func submission(id: Int64) async throws -> SubmissionRecord? {
        try await fetchSubmissions("WHERE id = ?", [id]).first
    }

    /// Submissions waiting for a creator's verdict, oldest first.
    public func pendingSubmissions() async throws -> [SubmissionRecord] {
        guard database.isOpen else { return [] }  // closed only when quiet; any write reopens it
        return try await fetchSubmissions("WHERE status = 'pending' ORDER BY id")
    }

    /// Pending submissions not yet sent to every reviewer whose file (if any) is no longer downloading.
    public func submissionsToNotify() async throws -> [SubmissionRecord] {
        guard database.isOpen else { return [] }
        return try await fetchSubmissions("WHERE status = 'pending' AND notified_at IS NULL AND (file_status IS NULL OR file_status <> 'downloading') ORDER BY id")
    }

    /// Every reviewer was sent the submission.
    public func markNotified(submissionId: Int64, now: Double) async throws {
        try await queue.write { db in
            try db.execute(sql: "UPDATE submissions SET notified_at = ? WHERE id = ? AND notified_at IS NULL", arguments: [now, submissionId])
        }
    }

    /// Submitted files still to download, oldest first.
    public func filesToDownload(limit: Int = 20) async throws -> [SubmissionRecord] {
        guard database.isOpen else { return [] }
        return try await fetchSubmissions("WHERE file_status = 'downloading' ORDER BY id LIMIT ?", [limit])
    }

    /// The file is on disk at `path`.
    public func fileStored(submissionId: Int64, path: String) async throws {
        try await queue.write { db in
            try db.execute(sql: "UPDATE submissions SET file_status = 'stored', local_path = ?, download_error = NULL WHERE id = ?", arguments: [path, submissionId])
        }
    }

    /// A download failed: tried again later unless `giveUp` (then reviewers get the submission without its file).
    public func fileDownloadFailed(submissionId: Int64, error: String, giveUp: Bool) async throws {
        try await queue.write { db in
            try db.execute(sql: """
                UPDATE submissions SET download_attempts = download_attempts + 1, download_error = ?,
                    file_status = CASE WHEN ? THEN 'failed' ELSE file_status END
                WHERE id = ?
                """, arguments: [error, giveUp, submissionId])
        }
    }

    /// How many times a file download was tried.
    public func downloadAttempts(submissionId: Int64) async throws -> Int {
        try await queue.read { db in
            try Int.fetchOne(db, sql: "SELECT download_attempts FROM submissions WHERE id = ?", arguments: [submissionId]) ?? 0
        }
    }

    /// Applies a reviewer's verdict in one transaction: the submission row is decided (only while
    /// pending, so a verdict counts once), and `student` turns the student's stored chat state
    /// (of bot `botId`) into the batch to write — their new state, messages and progress.
    public func applyVerdict(
        submissionId: Int64, approved: Bool, comment: String?, reviewerId: Int64, botId: Int64, now: Double,
        student: @Sendable (SubmissionRecord, Data?) -> BatchCommit
    ) async throws -> VerdictOutcome {
        try await queue.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.submissionColumns) FROM submissions WHERE id = ?", arguments: [submissionId]) else {
                return .unknownSubmission
            }
            let submission = SubmissionRecord(row: row)
            guard submission.status == .pending else { return .alreadyDecided }
            try db.execute(sql: """
                UPDATE submissions SET status = ?, comment = ?, reviewer_id = ?, decided_at = ? WHERE id = ?
                """, arguments: [approved ? "approved" : "rejected", comment, reviewerId, now, submissionId])
            let state = try Data.fetchOne(db, sql: "SELECT state FROM chat_states WHERE bot_id = ? AND chat_id = ?", arguments: [botId, submission.chatId])
            try ChatStore.write(student(submission, state), now: now, db: db)
            return .applied
        }
    }

    /// The locale a student last used (stored with their enrollment).
    public func studentLocale(userId: Int64) async throws -> String? {
        try await queue.read { db in
            try String.fetchOne(db, sql: "SELECT locale FROM enrollments WHERE user_id = ?", arguments: [userId])
        }
    }
}
