import CourseModel
import Yams

extension CourseManifest {
    static let questionKeys = ["question", "options", "correct", "answers", "explanation", "native"]

    /// Telegram's limits for a native quiz poll (sendPoll).
    enum PollLimits {
        static let question = 300
        static let options = 12
        static let option = 100
        static let explanation = 200
    }
}

extension ManifestReader {
    mutating func quiz(_ fields: Fields, context: String) -> Quiz? {
        var quiz = Quiz(questions: [])
        var valid = true
        if let node = fields["pass_score"], let score = int(node, "pass_score") {
            if (0...100).contains(score) {
                quiz.passScore = score
            } else {
                error("pass_score must be a percent between 0 and 100, got \(score)", at: node)
                valid = false
            }
        }
        if let node = fields["attempts"], let attempts = int(node, "attempts") {
            if attempts >= 1 {
                quiz.attempts = attempts
            } else {
                error("attempts must be at least 1 (omit it for unlimited), got \(attempts)", at: node)
                valid = false
            }
        }
        guard let node = require(fields, "questions", in: context), let items = list(node, "questions") else { return nil }
        if items.isEmpty {
            error("questions must not be empty", at: node)
            return nil
        }
        for (index, item) in items.enumerated() {
            if let question = question(item, context: "question \(index + 1) of \(context)") {
                quiz.questions.append(question)
            } else {
                valid = false
            }
        }
        return valid ? quiz : nil
    }

    private mutating func question(_ node: Node, context: String) -> Question? {
        guard let fields = fields(node, in: context, allowed: CourseManifest.questionKeys) else { return nil }
        let textNode = require(fields, "question", in: context)
        var prompt = textNode.flatMap { text($0, "question") }
        if let value = prompt, value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error("question must not be empty", at: textNode)
            prompt = nil
        }
        let explanation = string(fields, "explanation")
        let native = bool(fields, "native") ?? false
        let hasOptions = fields.has("options"), hasAnswers = fields.has("answers")

        var kind: Question.Kind?
        switch (hasOptions, hasAnswers) {
        case (false, false):
            error("\(context) needs options (with correct) or answers (free text)", at: fields.node)
        case (true, true):
            error("\(context) takes options or answers, not both", at: fields.entries["answers"]?.key)
        case (false, true):
            if fields.has("correct") {
                error("correct is only used with options", at: fields.entries["correct"]?.key)
            }
            kind = freeText(fields)
        case (true, false):
            kind = choiceKind(fields, context: context)
        }
        guard let prompt, let kind else { return nil }
        let question = Question(text: prompt, kind: kind, explanation: explanation, native: native)
        if native, !checkNative(question, fields: fields) { return nil }
        return question
    }

    private mutating func freeText(_ fields: Fields) -> Question.Kind? {
        guard let node = fields["answers"], let items = list(node, "answers") else { return nil }
        let answers = items.compactMap { text($0, "an answer") }
        guard answers.count == items.count else { return nil }
        guard !answers.isEmpty, answers.allSatisfy({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            error("answers must list at least one non-empty accepted answer", at: node)
            return nil
        }
        return .freeText(answers: answers)
    }

    private mutating func choiceKind(_ fields: Fields, context: String) -> Question.Kind? {
        guard let node = fields["options"], let items = list(node, "options") else { return nil }
        let options = items.compactMap { text($0, "an option") }
        guard options.count == items.count else { return nil }
        if options.count < 2 {
            error("options must list at least 2 choices, got \(options.count)", at: node)
        }
        for (item, option) in zip(items, options) where option.trimmingCharacters(in: .whitespaces).isEmpty {
            error("an option must not be empty", at: item)
        }
        guard let correctNode = require(fields, "correct", in: context) else { return nil }
        if case .sequence(let sequence) = correctNode {
            let nodes = Array(sequence)
            guard !nodes.isEmpty else {
                error("correct must list at least one option index", at: correctNode)
                return nil
            }
            var indices: [Int] = []
            for indexNode in nodes {
                guard let index = int(indexNode, "correct"), checkIndex(index, node: indexNode, count: options.count) else { continue }
                if indices.contains(index) {
                    error("correct lists option \(index) twice", at: indexNode)
                    continue
                }
                indices.append(index)
            }
            guard indices.count == nodes.count, options.count >= 2 else { return nil }
            return .multipleChoice(options: options, correct: indices)
        }
        guard let index = int(correctNode, "correct"), checkIndex(index, node: correctNode, count: options.count),
              options.count >= 2
        else { return nil }
        return .singleChoice(options: options, correct: index)
    }

    private mutating func checkIndex(_ index: Int, node: Node, count: Int) -> Bool {
        guard !(0..<count).contains(index) else { return true }
        error("correct index \(index) is out of range: there are \(count) options, numbered 0 to \(count - 1)", at: node)
        return false
    }

    /// A native quiz poll is single choice and within sendPoll's limits.
    private mutating func checkNative(_ question: Question, fields: Fields) -> Bool {
        let nativeNode = fields["native"]
        guard case .singleChoice(let options, _) = question.kind else {
            error("native: true is only for single-choice questions (one correct index)", at: nativeNode)
            return false
        }
        typealias Limits = CourseManifest.PollLimits
        var problems: [String] = []
        if question.text.count > Limits.question { problems.append("the question is over \(Limits.question) characters") }
        if options.count > Limits.options { problems.append("there are more than \(Limits.options) options") }
        if options.contains(where: { $0.count > Limits.option }) { problems.append("an option is over \(Limits.option) characters") }
        if (question.explanation?.count ?? 0) > Limits.explanation {
            problems.append("the explanation is over \(Limits.explanation) characters")
        }
        guard problems.isEmpty else {
            error("native: true cannot be sent as a Telegram quiz poll: " + problems.joined(separator: ", "), at: nativeNode)
            return false
        }
        return true
    }

    mutating func assignment(_ fields: Fields, context: String) -> Assignment? {
        let instructions = stepText(fields, context: context)
        var accept: [Assignment.Kind] = [.text]
        var valid = true
        if let node = fields["accept"], let items = list(node, "accept") {
            let names = Assignment.Kind.allCases.map(\.rawValue)
            var kinds: [Assignment.Kind] = []
            for item in items {
                guard let name = choice(item, "accept", names), let kind = Assignment.Kind(rawValue: name) else {
                    valid = false
                    continue
                }
                if kinds.contains(kind) {
                    error("accept lists \(name) twice", at: item)
                    valid = false
                } else {
                    kinds.append(kind)
                }
            }
            if items.isEmpty {
                error("accept must list at least one of \(names.joined(separator: ", "))", at: node)
                valid = false
            }
            accept = kinds
        }
        var review = Assignment.Review.auto
        if let node = fields["review"], let name = choice(node, "review", ["auto", "creator"]) {
            review = Assignment.Review(rawValue: name) ?? .auto
        } else if fields.has("review") {
            valid = false
        }
        guard let instructions, valid else { return nil }
        return Assignment(text: instructions, accept: accept, review: review)
    }
}
