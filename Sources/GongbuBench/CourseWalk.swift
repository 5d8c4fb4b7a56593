import Foundation
import GongbuTesting

/// The way every benchmark student goes through the example course, the same for Gongbu and for
/// the aiogram peer: each action is something a student does and the bot message that shows the
/// bot's whole answer to it (the last message that answer sends, or the edit it makes).
///
/// Exists so both bots are driven by one script: they only have to agree on texts and labels.
enum CourseWalk {
    struct Action: Sendable {
        let name: String
        let perform: @Sendable (ScriptedUser) throws -> Void
        let done: @Sendable (ChatMessage) -> Bool
    }

    static func send(_ text: String, expecting wanted: String) -> Action {
        Action(name: "send \(text.prefix(20))", perform: { _ = $0.send(text) }, done: { $0.body.contains(wanted) })
    }

    static func press(_ label: String, expecting wanted: String) -> Action {
        Action(name: "press \(label)", perform: { _ = try $0.press(label) }, done: { $0.body.contains(wanted) })
    }

    static func toggle(_ option: String) -> Action {
        Action(name: "toggle \(option)", perform: { _ = try $0.press("☐ " + option) }, done: { $0.buttonLabels.contains("☑ " + option) })
    }

    /// 20 updates per student, from /start to the completion message and /progress.
    static let actions: [Action] = {
        var actions = [send("/start", expecting: "Swift Basics"), press("Start", expecting: "Step 1/10")]
        for step in 2...7 { actions.append(press("Next ▶️", expecting: "Step \(step)/10")) }
        actions += [
            press("Next ▶️", expecting: "Question 1 of 4"),
            press("let", expecting: "Question 2 of 4"),
            toggle("Int"), toggle("String"), toggle("Bool"),
            Action(name: "press Submit", perform: { _ = try $0.press("Submit") }, done: { $0.media == .poll }),
            Action(name: "answer the poll", perform: { try $0.answerPoll(optionIds: [0]) }, done: { $0.body.contains("Question 4 of 4") }),
            send("var", expecting: "Quiz passed!"),
            press("Next ▶️", expecting: "Step 9/10"),
            send("func double(_ x: Int) -> Int { x * 2 }\nprint(double(21))", expecting: "Your work is accepted"),
            press("Next ▶️", expecting: "Congratulations!"),
            send("/progress", expecting: "Your progress"),
        ]
        return actions
    }()

    /// Does action `index` and waits: returns the time to the first bot message or edit after it.
    static func step(_ index: Int, of user: ScriptedUser, timeout: Duration) async throws -> Duration {
        let action = actions[index]
        let started = ContinuousClock.now
        try action.perform(user)
        _ = try await user.waitForMessage(timeout: timeout) { _ in true }
        let firstReply = ContinuousClock.now - started
        _ = try await user.waitForMessage(timeout: timeout, matching: action.done)
        return firstReply
    }
}

/// The figures a course-load run reports on one line, `RESULT key=value …`.
struct ResultLine {
    var values: [String: Double] = [:]

    init() {}

    init?(_ line: String, prefix: String = "RESULT ") {
        guard line.hasPrefix(prefix) else { return nil }
        for pair in line.dropFirst(prefix.count).split(separator: " ") {
            let parts = pair.split(separator: "=")
            if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
        }
    }

    subscript(_ key: String) -> Double {
        get { values[key] ?? 0 }
        set { values[key] = newValue }
    }

    func line(prefix: String = "RESULT ") -> String {
        prefix + values.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.4f", $0.value))" }.joined(separator: " ")
    }
}

extension Array where Element == Duration {
    /// The p-th quantile in milliseconds (0 when empty).
    func percentileMilliseconds(_ p: Double) -> Double {
        guard !isEmpty else { return 0 }
        let sorted = self.sorted()
        return sorted[Swift.min(sorted.count - 1, Int(Double(sorted.count) * p))].seconds * 1000
    }
}
