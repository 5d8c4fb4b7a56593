import CourseModel
import Localization
import TelegramBotAPI

/// The editor's texts and recurring keyboards in the creator's language (`author.*` keys).
struct EditorWords: Sendable {
    let catalog: LocaleCatalog
    let locale: String

    func text(_ key: String, _ arguments: [String: String] = [:]) -> String {
        catalog.text(key, locale: locale, arguments)
    }

    func escaped(_ key: String, _ arguments: [String: String] = [:]) -> String {
        TelegramHTML.escape(text(key, arguments))
    }

    var cancelButton: InlineKeyboardButton { .callback(text("author.cancel"), data: EditorCallback.encode("ec", "x")) }

    var skipButton: InlineKeyboardButton { .callback(text("author.skip"), data: EditorCallback.encode("es", "x")) }

    /// A question to answer by message, with Cancel (and Skip when the answer is optional).
    func prompt(_ key: String, _ arguments: [String: String] = [:], skip: Bool = false) -> EditorReply {
        EditorReply(html: escaped(key, arguments), buttons: [skip ? [skipButton, cancelButton] : [cancelButton]])
    }

    /// ✏️ Steps / ➕ Add step / 💰 Price of a course.
    func courseButtons(hash: String) -> [[InlineKeyboardButton]] {
        [[
            .callback(text("author.steps"), data: EditorCallback.encode("eS", hash)),
            .callback(text("author.add_step"), data: EditorCallback.encode("eA", hash)),
            .callback(text("author.price"), data: EditorCallback.encode("eP", hash)),
        ]]
    }

    /// A step's title as shown to the creator (its type when it has none).
    func title(of step: Step) -> String {
        step.title ?? text("author.type_\(step.type.rawValue)")
    }

    static func icon(_ type: StepType) -> String {
        switch type {
        case .text: "📝"
        case .photo: "🖼"
        case .video: "🎬"
        case .document: "📄"
        case .audio: "🎧"
        case .quiz: "❓"
        case .assignment: "📮"
        }
    }

    /// "✅ Step 3 added: Title." with the course's buttons.
    func stepDone(_ key: String, _ course: Course, _ step: Step, hash: String) -> EditorReply {
        let number = (course.index(of: step.id) ?? 0) + 1
        return EditorReply(html: escaped(key, ["n": String(number), "title": title(of: step)]), buttons: courseButtons(hash: hash))
    }

    func priceText(_ price: Price) -> String {
        switch price {
        case .free: text("author.model_free")
        case .paid(let amount): "\(text("author.model_paid")) · \(amount) ⭐"
        case .freemium(let unlockAll): text("author.model_freemium") + (unlockAll.map { " · \($0) ⭐" } ?? "")
        case .subscription(let amount, let days): "\(text("author.model_subscription")) · \(amount) ⭐ / \(days)"
        }
    }
}
