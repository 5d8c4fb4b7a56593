import Foundation
import GRDB

/// An authored course's definition as stored: course.yaml text and the next step number.
public struct AuthoredSource: Sendable, Equatable {
    public var yaml: String
    /// The number of the next generated step id (`s<n>`); only grows, so ids are never reused.
    public var nextStep: Int

    public init(yaml: String, nextStep: Int) {
        self.yaml = yaml
        self.nextStep = nextStep
    }
}

extension CourseStore {
    /// The definition an applied action replaced (see `saveAuthoredSource`); nil when the action
    /// was not applied here.
    public func sourceBefore(actionKey: String) async throws -> AuthoredSource? {
        try await queue.read { db in
            guard let value = try String.fetchOne(db, sql: "SELECT value FROM applied_actions WHERE action_key = ?", arguments: [actionKey]),
                let newline = value.firstIndex(of: "\n"), let next = Int(value[..<newline])
            else { return nil }
            return AuthoredSource(yaml: String(value[value.index(after: newline)...]), nextStep: next)
        }
    }

    /// The course.yaml text of a course built in the manager bot (nil: not authored here).
    public func authoredSource() async throws -> AuthoredSource? {
        try await queue.read { db in
            try Row.fetchOne(db, sql: "SELECT yaml, next_step FROM course_source WHERE id = 1").map {
                AuthoredSource(yaml: $0["yaml"], nextStep: $0["next_step"])
            }
        }
    }

    /// Replaces the authored definition. With an `actionKey` (a desk job's step), the change is
    /// marked applied in the same transaction, keeping the definition it replaced (a replay of
    /// the job redoes its decision from it); false, and nothing written, when it already was.
    @discardableResult
    public func saveAuthoredSource(_ source: AuthoredSource, actionKey: String? = nil, now: Double) async throws -> Bool {
        try await queue.write { db in
            if let actionKey {
                let previous = try Row.fetchOne(db, sql: "SELECT yaml, next_step FROM course_source WHERE id = 1").map { row -> String in
                    let yaml: String = row["yaml"]
                    let next: Int = row["next_step"]
                    return "\(next)\n\(yaml)"
                }
                guard try JobTables.markApplied(actionKey, value: previous ?? "", now: now, db: db) else { return false }
            }
            try db.execute(sql: """
                INSERT INTO course_source (id, yaml, next_step, updated_at) VALUES (1, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET yaml = excluded.yaml, next_step = excluded.next_step, updated_at = excluded.updated_at
                """, arguments: [source.yaml, source.nextStep, now])
            return true
        }
    }
}
