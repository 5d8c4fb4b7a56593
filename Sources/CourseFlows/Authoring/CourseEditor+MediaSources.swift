import CourseModel
import Foundation
import TelegramBotAPI

/// The course.yaml media sources besides an uploaded file, offered in a media step's menu:
/// its extra Markdown `text:` shown with the media ("📝 Text under the media", previewed like a
/// text step) and `url:` ("🔗 From a URL": Telegram fetches the file from an http(s) link).
/// `file_id:` is not offered: a file id belongs to one bot and the course may be taught by another.
extension CourseEditor {
    /// The verbs of the two menu buttons (course-bound: `<hash>.<step>`).
    static let mediaTextVerb = "eO"
    static let mediaURLVerb = "eY"

    /// The extra rows and details a media step's menu shows.
    func mediaMenu(_ media: MediaStep, argument: String, _ words: EditorWords) -> (rows: [[InlineKeyboardButton]], details: [String]) {
        let rows: [[InlineKeyboardButton]] = [[
            .callback(words.text("author_media.text_button"), data: EditorCallback.encode(Self.mediaTextVerb, argument)),
            .callback(words.text("author_media.url_button"), data: EditorCallback.encode(Self.mediaURLVerb, argument)),
        ]]
        var details: [String] = []
        if case .url(let url) = media.source { details.append(words.text("author_media.url_now", ["url": url])) }
        if let text = media.text, !text.isEmpty {
            let short = text.count > 60 ? String(text.prefix(60)) + "…" : text
            details.append(words.text("author_media.text_now", ["text": short]))
        }
        return (rows, details)
    }

    /// 📝 Text under the media / 🔗 From a URL pressed in a media step's menu.
    func mediaSourcePress(_ verb: String, index: Int, state: EditorState?, course authored: AuthoredCourse, words: EditorWords) -> EditorResult {
        let step = authored.course.steps[index]
        guard case .media(let media) = step.content else { return stale(state, words) }
        let slug = authored.course.slug
        if verb == Self.mediaTextVerb {
            var buttons: [[InlineKeyboardButton]] = [[words.cancelButton]]
            if media.text != nil {
                buttons.insert([.callback(words.text("author_media.remove_text"), data: EditorCallback.encode("es", "x"))], at: 0)
            }
            let reply = EditorReply(html: words.escaped("author_media.ask_text"), buttons: buttons)
            return EditorResult(state: EditorState(stage: .mediaText, slug: slug, stepId: step.id), replies: [reply])
        }
        return EditorResult(state: EditorState(stage: .mediaURL, slug: slug, stepId: step.id), replies: [words.prompt("author_media.ask_url")])
    }

    /// The creator's answer: the Markdown text (shown as a preview first) or the link.
    func mediaSourceText(_ text: String, state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        var state = state
        if state.stage == .mediaText {
            state.draft.text = text
            state.stage = .textPreview
            return EditorResult(state: state, replies: [preview(text, words)])
        }
        guard var authored = context.course, let stepId = state.stepId, let index = authored.course.index(of: stepId),
              case .media(var media) = authored.course.steps[index].content
        else { return stale(nil, words) }
        media.source = .url(text)
        media.kind = Self.mediaKind(ofURL: text) ?? media.kind
        authored.course.steps[index].content = .media(media)
        // The validator (the rules of `gongbu check`) refuses a link that is not http(s); the dialog then stays.
        return commit(authored, action: "step.edit", details: "\(stepId) url", state: nil, context: context, words: words,
                      done: stepMenu(authored, index: index, words, note: words.text("author.saved")), refusedState: state)
    }

    /// Saves (or, with nil, removes) a media step's text under the media.
    func saveMediaText(_ text: String?, state: EditorState, context: Context, words: EditorWords) -> EditorResult {
        guard var authored = context.course, let stepId = state.stepId, let index = authored.course.index(of: stepId),
              case .media(var media) = authored.course.steps[index].content
        else { return stale(nil, words) }
        media.text = text
        authored.course.steps[index].content = .media(media)
        return commit(authored, action: "step.edit", details: "\(stepId) media text", state: nil, context: context, words: words,
                      done: stepMenu(authored, index: index, words, note: words.text("author.saved")), refusedState: state)
    }

    /// The kind a link's file extension implies (nil: unknown, the step keeps its kind).
    static func mediaKind(ofURL text: String) -> MediaStep.Kind? {
        guard let path = URL(string: text)?.path, let dot = path.lastIndex(of: ".") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "jpg", "jpeg", "png", "webp": return .photo
        case "mp4", "mov", "webm": return .video
        case "mp3", "m4a", "ogg", "oga", "wav", "flac": return .audio
        case "pdf", "zip", "txt", "md", "doc", "docx", "epub", "csv": return .document
        default: return nil
        }
    }
}
