import CourseModel
import Foundation
import Localization
import Manifests
import SceneEngine
import Testing

@testable import CourseFlows

/// Shared fixtures: the repository's real Locales/ and Templates/, the example course.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let rendering: CourseRendering = {
        let catalog = try! LocaleCatalog(directory: root.appendingPathComponent("Locales"))
        let templates = try! TemplateRenderer(directory: root.appendingPathComponent("Templates"))
        return CourseRendering(catalog: catalog, templates: templates)
    }()

    static var swiftBasicsDirectory: String { root.appendingPathComponent("courses/swift-basics").path }

    static func swiftBasics() throws -> Course {
        try CourseManifest.load(directory: swiftBasicsDirectory, displayPath: "courses/swift-basics")
    }

    static func scene(_ course: Course, published: Bool = true) -> CourseBotScene {
        CourseBotScene(course: course, courseDirectory: "/srv/courses/\(course.slug)", rendering: rendering, published: published)
    }

    static func text(_ id: String, _ text: String = "Some text.", title: String? = nil) -> Step {
        Step(id: id, title: title, content: .text(text))
    }

    static func quiz(
        _ id: String, _ questions: [Question], passScore: Int = 100, attempts: Int? = nil, required: Bool = true
    ) -> Step {
        Step(id: id, title: "Quiz \(id)", content: .quiz(Quiz(questions: questions, passScore: passScore, attempts: attempts)),
             required: required)
    }

    static let letQuestion = Question(
        text: "Which keyword declares a constant?", kind: .singleChoice(options: ["let", "var", "const"], correct: 0),
        explanation: "`let` declares a constant.")
}

/// A scripted student: sends events to a scene, keeps the state, and reads the effects back.
struct StudentDriver {
    var scene: CourseBotScene
    var state: StudentState
    var user: ChatUser
    var updateId: Int64 = 0
    var effects: [Effect] = []
    /// The buttons of the latest effects that had any (a toast-only answer leaves them as they were).
    var keyboard: [Button] = []

    init(_ scene: CourseBotScene, languageCode: String? = "en", state: StudentState = StudentState()) {
        self.scene = scene
        self.state = state
        self.user = ChatUser(id: 42, firstName: "Ada", languageCode: languageCode)
    }

    @discardableResult
    mutating func event(_ kind: ChatEvent.Kind) -> [Effect] {
        updateId += 1
        let event = ChatEvent(updateId: updateId, chatId: 42, user: user, kind: kind)
        effects = scene.handle(event, state: &state, now: 1_000 + Double(updateId))
        for effect in effects { Self.checkWire(effect) }
        if !Self.buttons(effects).isEmpty { keyboard = Self.buttons(effects) }
        return effects
    }

    @discardableResult mutating func command(_ name: String) -> [Effect] { event(.command(name, arguments: "")) }
    @discardableResult mutating func text(_ text: String) -> [Effect] { event(.text(text)) }
    @discardableResult mutating func press(_ data: String, messageId: Int? = 7) -> [Effect] {
        event(.callback(queryId: "q\(updateId + 1)", data: data, messageId: messageId))
    }

    /// Presses the button whose label contains `label` among the latest buttons.
    @discardableResult mutating func press(label: String, messageId: Int? = 7) -> [Effect] {
        guard let data = keyboard.first(where: { $0.label.contains(label) }).flatMap(Self.data) else {
            Issue.record("no button \(label) in \(keyboard.map(\.label))")
            return []
        }
        return press(data, messageId: messageId)
    }

    // MARK: Reading effects

    var texts: [String] {
        effects.compactMap {
            switch $0 {
            case .send(let message), .edit(_, let message): message.text
            default: nil
            }
        }
    }

    var allText: String { texts.joined(separator: "\n") }

    var labels: [String] { Self.buttons(effects).map(\.label) }

    var answers: [(text: String?, alert: Bool)] {
        effects.compactMap { if case .answerCallback(_, let text, let alert) = $0 { (text, alert) } else { nil } }
    }

    func hasButton(_ label: String) -> Bool { labels.contains { $0.contains(label) } }

    static func buttons(_ effects: [Effect]) -> [Button] {
        effects.flatMap { effect -> [Button] in
            switch effect {
            case .send(let message), .edit(_, let message): message.buttons.flatMap { $0 }
            case .editButtons(_, let buttons): buttons.flatMap { $0 }
            default: []
            }
        }
    }

    static func data(_ button: Button) -> String? {
        if case .callback(let data) = button.action { data } else { nil }
    }

    /// Every effect obeys the wire rules: callback data ≤ 64 bytes and decodable, text within
    /// Telegram's limits and valid HTML.
    static func checkWire(_ effect: Effect) {
        switch effect {
        case .send(let message), .edit(_, let message):
            let limit = message.media == nil ? 4096 : 1024
            #expect(TelegramHTMLCheck.visibleLength(message.text) <= limit)
            #expect(TelegramHTMLCheck.isValid(message.text), "invalid HTML: \(message.text)")
            #expect(message.media != nil || !message.text.isEmpty)
            for button in message.buttons.flatMap({ $0 }) { checkButton(button) }
        case .editButtons(_, let buttons):
            for button in buttons.flatMap({ $0 }) { checkButton(button) }
        default: break
        }
    }

    static func checkButton(_ button: Button) {
        guard let data = data(button) else { return }
        #expect(data.utf8.count <= 64, "\(data)")
        #expect(CallbackData(decoding: data) != nil, "\(data)")
    }
}
