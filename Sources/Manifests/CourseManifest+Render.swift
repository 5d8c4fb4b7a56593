import CourseModel
import Foundation
import Yams

extension CourseManifest {
    /// course.yaml text for `course`, that `load` reads back to the same course
    /// (for export and for courses built in the manager bot). Defaults are left out.
    public static func render(course: Course) -> String {
        var top = MappingBuilder()
        top.add("slug", .string(course.slug))
        top.add("title", .string(course.title))
        if !course.description.isEmpty { top.add("description", .string(course.description)) }
        top.add("language", .string(course.language))
        if let category = course.category { top.add("category", .string(category)) }
        if let difficulty = course.difficulty { top.add("difficulty", .int(difficulty)) }
        if let minutes = course.durationMinutes { top.add("duration_minutes", .int(minutes)) }
        if let creator = course.creator { top.add("creator", .int(Int(creator))) }
        if let price = renderPrice(course.price) { top.add("price", price) }
        top.add("steps", Node(course.steps.map(renderStep), Tag(.seq), .block))
        // Serializing a tree of plain strings cannot fail; fall back to an empty document if it ever does.
        return (try? Yams.serialize(node: top.node, width: -1, allowUnicode: true)) ?? ""
    }

    private static func renderPrice(_ price: Price) -> Node? {
        var fields = MappingBuilder()
        switch price {
        case .free:
            return nil
        case .paid(let amount):
            fields.add("model", .string("paid"))
            fields.add("amount", .int(amount))
        case .freemium(let unlockAll):
            fields.add("model", .string("freemium"))
            if let unlockAll { fields.add("amount", .int(unlockAll)) }
        case .subscription(let amount, let periodDays):
            fields.add("model", .string("subscription"))
            fields.add("amount", .int(amount))
            fields.add("period_days", .int(periodDays))
        }
        return fields.node
    }

    private static func renderStep(_ step: Step) -> Node {
        var fields = MappingBuilder()
        fields.add("id", .string(step.id))
        fields.add("type", .string(step.type.rawValue))
        if let title = step.title { fields.add("title", .string(title)) }
        switch step.content {
        case .text(let text):
            fields.add("text", .string(text))
        case .media(let media):
            switch media.source {
            case .file(let path): fields.add("file", .string(path))
            case .fileId(let id): fields.add("file_id", .string(id))
            case .url(let url): fields.add("url", .string(url))
            }
            if let caption = media.caption { fields.add("caption", .string(caption)) }
            if let text = media.text { fields.add("text", .string(text)) }
        case .quiz(let quiz):
            if quiz.passScore != 100 { fields.add("pass_score", .int(quiz.passScore)) }
            if let attempts = quiz.attempts { fields.add("attempts", .int(attempts)) }
            fields.add("questions", Node(quiz.questions.map(renderQuestion), Tag(.seq), .block))
        case .assignment(let assignment):
            fields.add("text", .string(assignment.text))
            if assignment.accept != [.text] { fields.add("accept", .flowList(assignment.accept.map(\.rawValue))) }
            if assignment.review != .auto { fields.add("review", .string(assignment.review.rawValue)) }
        }
        if !step.required { fields.add("required", .bool(false)) }
        if step.paid { fields.add("paid", .bool(true)) }
        if let price = step.price { fields.add("price", .int(price)) }
        return fields.node
    }

    private static func renderQuestion(_ question: Question) -> Node {
        var fields = MappingBuilder()
        fields.add("question", .string(question.text))
        switch question.kind {
        case .singleChoice(let options, let correct):
            fields.add("options", .flowList(options))
            fields.add("correct", .int(correct))
        case .multipleChoice(let options, let correct):
            fields.add("options", .flowList(options))
            fields.add("correct", Node(correct.map { Node.int($0) }, Tag(.seq), .flow))
        case .freeText(let answers):
            fields.add("answers", .flowList(answers))
        }
        if let explanation = question.explanation { fields.add("explanation", .string(explanation)) }
        if question.native { fields.add("native", .bool(true)) }
        return fields.node
    }
}

/// Keeps keys in the order they are added.
private struct MappingBuilder {
    var pairs: [(Node, Node)] = []

    mutating func add(_ key: String, _ value: Node) {
        pairs.append((Node(key), value))
    }

    var node: Node { Node(pairs, Tag(.map), .block) }
}

extension Node {
    /// A string scalar that reads back as the same text: multi-line text as a literal
    /// block, text that YAML would read as something else (null, a number, a bool) quoted.
    fileprivate static func string(_ text: String) -> Node {
        if text.contains("\n"), !text.hasPrefix(" "), !text.contains(where: { $0 == "\r" || $0 == "\t" }) {
            return Node(text, Tag(.str), .literal)
        }
        return Node(text, Tag(.str), needsQuotes(text) ? .doubleQuoted : .any)
    }

    fileprivate static func int(_ value: Int) -> Node { Node(String(value), Tag(.int), .plain) }

    fileprivate static func bool(_ value: Bool) -> Node { Node(value ? "true" : "false", Tag(.bool), .plain) }

    fileprivate static func flowList(_ items: [String]) -> Node {
        Node(items.map { Node.string($0) }, Tag(.seq), .flow)
    }

    private static func needsQuotes(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return text.isEmpty || text != text.trimmingCharacters(in: .whitespaces)
            || ["~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"].contains(lowered)
            || Double(text) != nil || text.hasPrefix("${")
    }
}
