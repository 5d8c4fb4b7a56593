import CourseModel
import Foundation
import Manifests
import Testing

@testable import CourseFlows

/// A media step's other course.yaml sources in the pure editor: the Markdown `text:` shown
/// with the media (previewed, saved, removed) and `url:` (validated like `gongbu check`).
@Suite("Course editor: media text and URL")
struct CourseEditorMediaSourceTests {
    typealias Creator = CourseEditorTests.Creator

    /// A new course whose step s2 is a photo from `media/a.jpg` captioned "Look".
    static func withPhoto(locale: String = "en") -> Creator {
        var creator = CourseEditorTests.newCourse(locale: locale)
        creator.press("et", "media")
        creator.send(.media(.photo, path: "media/a.jpg", caption: "Look"))
        return creator
    }

    static func media(_ creator: Creator, _ stepId: String = "s2") -> MediaStep? {
        guard case .media(let media)? = creator.course?.course.step(stepId)?.content else { return nil }
        return media
    }

    @Test("a media step's menu offers 📝 Text under the media and 🔗 From a URL; other steps do not")
    func menu() throws {
        var creator = Self.withPhoto()
        creator.press("ee", "s2")
        let hash = EditorCallback.hash(of: try #require(creator.course).course.slug)
        #expect(creator.data("📝 Text under the media") == "mc:eO:\(hash).s2")
        #expect(creator.data("🔗 From a URL") == "mc:eY:\(hash).s2")
        creator.press("ee", "s1")
        #expect(creator.data("📝 Text under the media") == nil && creator.data("🔗 From a URL") == nil)
        // A text step's id on a media button is stale, not a crash.
        creator.press("eO", "s1")
        #expect(creator.last.toast != nil && creator.last.replies.isEmpty && creator.state == nil && creator.last.change == nil)
    }

    @Test("text under the media is Markdown previewed like a text step, saved on ✅ Save, replaced by a new text, removed with 🗑 No text")
    func mediaText() throws {
        var creator = Self.withPhoto()
        creator.press("eO", "s2")
        #expect(creator.state?.stage == .mediaText && creator.html.contains("shown with the media"))
        #expect(creator.data("🗑 No text") == nil, "nothing to remove yet")
        creator.send(.text("Use **let** here."))
        #expect(creator.state?.stage == .textPreview && creator.last.change == nil)
        #expect(creator.html.contains("Preview") && creator.html.contains("<b>let</b>") && !creator.html.contains("**"))
        creator.send(.text("Use **var** here."))
        #expect(creator.html.contains("<b>var</b>"))
        creator.press("ey")
        guard case .updated(_, "step.edit", "s2 media text")? = creator.last.change else { Issue.record("not saved"); return }
        #expect(Self.media(creator) == MediaStep(kind: .photo, source: .file("media/a.jpg"), caption: "Look", text: "Use **var** here."))
        #expect(creator.state == nil && creator.html.contains("Saved") && creator.html.contains("Text under the media: Use **var** here."))
        #expect(CourseEditorEditTests.valid(creator))
        // The step is still a media step: the save did not turn it into a text step.
        #expect(creator.course?.course.step("s2")?.type == .photo)

        creator.press("eO", "s2")
        #expect(creator.data("🗑 No text") != nil)
        creator.press("es")
        #expect(Self.media(creator)?.text == nil && creator.state == nil && !creator.html.contains("Text under the media:"))
    }

    @Test("🔗 From a URL replaces the file by an http(s) link (kind from its extension); a link gongbu check refuses keeps the dialog")
    func fromURL() throws {
        var creator = Self.withPhoto()
        creator.press("eY", "s2")
        #expect(creator.state?.stage == .mediaURL && creator.html.contains("https://"))
        creator.send(.text("ftp://example.org/a.jpg"))
        #expect(creator.last.change == nil && creator.state?.stage == .mediaURL)
        #expect(creator.html.contains("url must be an http(s) URL"))
        #expect(Self.media(creator)?.source == .file("media/a.jpg"))
        creator.send(.text("not a link"))
        #expect(creator.last.change == nil && creator.state?.stage == .mediaURL)

        creator.send(.text("https://example.org/files/intro.mp4"))
        guard case .updated(_, "step.edit", "s2 url")? = creator.last.change else { Issue.record("not saved"); return }
        #expect(Self.media(creator) == MediaStep(kind: .video, source: .url("https://example.org/files/intro.mp4"), caption: "Look"))
        #expect(creator.state == nil && creator.html.contains("From: https://example.org/files/intro.mp4"))
        #expect(CourseEditorEditTests.valid(creator))

        // No known extension: the step keeps its kind.
        creator.press("eY", "s2")
        creator.send(.text("https://example.org/stream?id=7"))
        #expect(Self.media(creator) == MediaStep(kind: .video, source: .url("https://example.org/stream?id=7"), caption: "Look"))
        // A new file replaces the link again.
        creator.press("eM", "s2")
        creator.send(.media(.photo, path: "media/b.jpg", caption: nil))
        #expect(Self.media(creator)?.source == .file("media/b.jpg"))
    }

    @Test("a sticker where the editor wants media is refused like a voice message; media text and URL prompts are in Russian for ru")
    func stickerAndRussian() throws {
        var creator = Self.withPhoto(locale: "ru")
        creator.press("et", "media")
        creator.send(.unsupported(kind: "sticker"))
        #expect(creator.state?.stage == .media && creator.html.contains("не могут быть шагом") && creator.last.change == nil)
        creator.press("ee", "s2")
        #expect(creator.data("📝 Текст под медиа") != nil && creator.data("🔗 По ссылке") != nil)
        creator.press("eY", "s2")
        #expect(creator.html.contains("Пришлите ссылку"))
    }

    @Test("the kind a link implies comes from its path's extension, not its query")
    func kindOfURL() {
        #expect(CourseEditor.mediaKind(ofURL: "https://e.org/a.PNG") == .photo)
        #expect(CourseEditor.mediaKind(ofURL: "https://e.org/a.mp3?x=1.mp4") == .audio)
        #expect(CourseEditor.mediaKind(ofURL: "https://e.org/notes.pdf") == .document)
        #expect(CourseEditor.mediaKind(ofURL: "https://e.org/watch") == nil)
    }
}
