import Foundation

/// A quiz step: questions asked once per pass; `passScore` percent to pass; `attempts` passes at most.
public struct Quiz: Sendable, Equatable, Codable {
    public var questions: [Question]
    /// Percent of questions right to pass (default 100).
    public var passScore: Int
    /// Passes allowed; nil = unlimited.
    public var attempts: Int?

    public init(questions: [Question], passScore: Int = 100, attempts: Int? = nil) {
        self.questions = questions
        self.passScore = passScore
        self.attempts = attempts
    }

    /// Whether `correctCount` of this quiz's questions reaches the pass score.
    public func passes(correctCount: Int) -> Bool {
        guard !questions.isEmpty else { return true }
        return correctCount * 100 >= passScore * questions.count
    }
}

/// One quiz question: choice (single or multiple) or free text.
public struct Question: Sendable, Equatable, Codable {
    public enum Kind: Sendable, Equatable, Codable {
        case singleChoice(options: [String], correct: Int)
        case multipleChoice(options: [String], correct: [Int])
        /// Accepted answers, compared trimmed and case-insensitive.
        case freeText(answers: [String])
    }

    public var text: String
    public var kind: Kind
    public var explanation: String?
    /// Ask with Telegram's native quiz poll (single choice only).
    public var native: Bool

    public init(text: String, kind: Kind, explanation: String? = nil, native: Bool = false) {
        self.text = text
        self.kind = kind
        self.explanation = explanation
        self.native = native
    }

    /// Whether a free-text answer is accepted (trimmed, case-insensitive).
    public func accepts(text answer: String) -> Bool {
        guard case .freeText(let answers) = kind else { return false }
        let normalized = answer.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return answers.contains { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == normalized }
    }

    /// Whether a set of chosen option indices is right.
    public func accepts(choices: Set<Int>) -> Bool {
        switch kind {
        case .singleChoice(_, let correct): choices == [correct]
        case .multipleChoice(_, let correct): choices == Set(correct)
        case .freeText: false
        }
    }
}

/// An assignment step: the student's next message of an accepted kind is their work.
public struct Assignment: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        case text, photo, document, voice, video
    }

    public enum Review: String, Sendable, Equatable, Codable {
        case auto, creator
    }

    /// Markdown instructions.
    public var text: String
    public var accept: [Kind]
    public var review: Review

    public init(text: String, accept: [Kind] = [.text], review: Review = .auto) {
        self.text = text
        self.accept = accept
        self.review = review
    }
}
