import Foundation
import Testing
import Localization
import TelegramBotAPI

@Suite("TemplateRenderer")
struct TemplateRendererTests {
    /// The real `Templates/`, loaded once; a broken file fails the tests that use it instead of crashing.
    static let loaded = Result { try TemplateRenderer(directory: RepositoryPaths.templates) }
    var renderer: TemplateRenderer { get throws { try Self.loaded.get() } }

    @Test func shipsEveryTemplate() throws {
        let expected = ["welcome", "step", "progress", "contents", "completion", "error", "quiz_question", "quiz_result", "assignment_prompt"]
        for name in expected {
            #expect(try renderer.templateNames.contains(name), "\(name)")
        }
    }

    @Test func welcomeCard() throws {
        let catalog = try LocaleCatalogTests.catalog()
        let html = try renderer.render("welcome", [
            "title": "Swift <Basics> & more",
            "description": MarkdownRenderer().render("Learn **Swift** in ten short steps."),
            "steps": catalog.text("welcome.steps", locale: "ru", ["steps": catalog.plural("steps", count: 10, locale: "ru")]),
            "duration": catalog.text("welcome.duration", locale: "ru", ["duration": catalog.plural("minutes", count: 40, locale: "ru")]),
            "rating": "",
            "price": "250 ⭐",
        ])
        #expect(html == """
            <b>Swift &lt;Basics&gt; &amp; more</b>

            Learn <b>Swift</b> in ten short steps.

            📚 10 шагов · ⏱ 40 минут · 250 ⭐
            """)
    }

    @Test func stepWithOptionalPartsMissing() throws {
        let html = try renderer.render("step", ["header": "Step 1/3 · Welcome"])
        #expect(html == "<b>Step 1/3 · Welcome</b>")
        let full = try renderer.render("step", [
            "header": "Step 1/3 · Welcome", "body": "<i>hi</i>",
            "progress": "\(ProgressBar.bar(done: 1, total: 3)) 1/3 steps done",
        ])
        #expect(full == "<b>Step 1/3 · Welcome</b>\n\n<i>hi</i>\n\n<i>▰▰▰▱▱▱▱▱▱▱ 1/3 steps done</i>")
    }

    @Test func contentsMarksEachStep() throws {
        let html = try renderer.render("contents", [
            "title": "Contents",
            "steps": [
                ["mark": "✅", "number": 1, "title": "Welcome"],
                ["mark": "▶️", "number": 2, "title": "Variables & constants", "current": true],
                ["mark": "🔒", "number": 3, "title": "Quiz"],
            ] as [[String: Any]],
        ])
        #expect(html == "<b>Contents</b>\n\n✅ 1. Welcome\n▶️ 2. <b>Variables &amp; constants</b>\n🔒 3. Quiz")
    }

    @Test func quizQuestionWithAndWithoutOptions() throws {
        let plain = try renderer.render("quiz_question", [
            "counter": "Question 1 of 2", "question": "Which keyword?", "hint": "Choose an answer:",
        ])
        #expect(plain == "<i>Question 1 of 2</i>\n\nWhich keyword?\n\nChoose an answer:")
        let answered = try renderer.render("quiz_question", [
            "header": "Step 3/10 · Constants", "counter": "Question 1 of 2", "question": "Which keyword?",
            "options": [["letter": "A", "text": "let"], ["letter": "B", "text": "var"]] as [[String: Any]],
            "verdict": "❌ Wrong.", "correct_answer": "Correct answer: let", "explanation": "<code>let</code> declares a constant.",
        ])
        #expect(answered == """
            <b>Step 3/10 · Constants</b>
            <i>Question 1 of 2</i>

            Which keyword?

            <b>A.</b> let
            <b>B.</b> var

            <b>❌ Wrong.</b>
            Correct answer: let

            💡 <code>let</code> declares a constant.
            """)
    }

    @Test func everyTemplateRendersValidHTMLWithHostileText() throws {
        let hostile = "<script>&\"'</b>"
        let context: [String: Any] = [
            "title": hostile, "description": "<b>ok</b>", "steps": hostile, "duration": hostile, "rating": hostile,
            "price": hostile, "note": hostile, "header": hostile, "body": "<i>ok</i>", "progress": hostile, "bar": hostile,
            "done": hostile, "current": hostile, "score": hostile, "completed": hostile, "text": hostile, "next": hostile,
            "icon": hostile, "message": hostile, "hint": hostile, "counter": hostile, "question": "q", "verdict": hostile,
            "correct_answer": hostile, "explanation": "e", "attempts": hostile, "passed": false, "prompt": hostile,
            "accepts": hostile, "status": hostile, "comment": hostile, "course": hostile, "heading": hostile,
            "options": [["letter": hostile, "text": hostile]] as [[String: Any]],
        ]
        for name in try renderer.templateNames {
            let html = try renderer.render(name, context)
            #expect(!html.isEmpty)
            #expect(HTMLValidator.problem(in: html) == nil, "\(name): \(html)")
            #expect(!html.contains("<script>"))
        }
    }

    @Test func courseTemplatesOverrideByName() throws {
        let course = try RepositoryPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: course) }
        let templates = course.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "🚀 {{title}}!".write(to: templates.appendingPathComponent("welcome.mustache"), atomically: true, encoding: .utf8)

        let overridden = try renderer.overriding(with: templates)
        #expect(try overridden.render("welcome", ["title": "Swift"]) == "🚀 Swift!")
        #expect(overridden.origin(of: "welcome") == templates.appendingPathComponent("welcome.mustache").path)
        // Templates the course does not override are the shared ones.
        #expect(try overridden.render("step", ["header": "H"]) == "<b>H</b>")
        // The shared renderer is unchanged.
        #expect(try renderer.render("welcome", ["title": "Swift", "steps": "1"]).hasPrefix("<b>Swift</b>"))
        // The same through the initializer, and a course without a folder overrides nothing.
        let direct = try TemplateRenderer(directory: RepositoryPaths.templates, overrides: templates)
        #expect(try direct.render("welcome", ["title": "X"]) == "🚀 X!")
        let none = try renderer.overriding(with: course.appendingPathComponent("missing"))
        #expect(none.templateNames == (try renderer).templateNames)
    }

    @Test func brokenTemplateNamesItsFile() throws {
        let directory = try RepositoryPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "line one\n{{#open}}never closed".write(to: directory.appendingPathComponent("broken.mustache"), atomically: true, encoding: .utf8)
        do {
            _ = try renderer.overriding(with: directory)
            Issue.record("a broken template loaded")
        } catch let error as LocalizationError {
            #expect(error.code == .invalidTemplate)
            #expect(error.file.hasSuffix("broken.mustache"))
            #expect(error.description.contains("broken.mustache"))
        }
        #expect(throws: LocalizationError.self) { try TemplateRenderer(directory: directory.appendingPathComponent("nope")) }
    }

    @Test func unknownTemplateThrows() throws {
        do {
            _ = try renderer.render("no_such_template", [:])
            Issue.record("rendered a missing template")
        } catch let error as LocalizationError {
            #expect(error.code == .missingTemplate)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func inMemoryTemplatesAndPartials() throws {
        let renderer = try TemplateRenderer(sources: ["outer": "[{{> inner}}]", "inner": "{{name}}"])
        #expect(try renderer.render("outer", ["name": "a&b"]) == "[a&amp;b]")
    }

    @Test func progressBar() {
        #expect(ProgressBar.bar(done: 3, total: 10) == "▰▰▰▱▱▱▱▱▱▱")
        #expect(ProgressBar.bar(done: 0, total: 10) == "▱▱▱▱▱▱▱▱▱▱")
        #expect(ProgressBar.bar(done: 1, total: 100) == "▰▱▱▱▱▱▱▱▱▱")
        #expect(ProgressBar.bar(done: 99, total: 100) == "▰▰▰▰▰▰▰▰▰▱")
        #expect(ProgressBar.bar(done: 5, total: 5, width: 5) == "▰▰▰▰▰")
        #expect(ProgressBar.bar(done: 1, total: 0, width: 3) == "▱▱▱")
    }
}

@Suite("TemplateRenderer layout")
struct TemplateLayoutTests {
    @Test func blankLinesCollapseOutsideCodeOnly() throws {
        let renderer = try TemplateRenderer(sources: ["t": "{{{a}}}\n\n{{#missing}}x{{/missing}}\n\n{{{b}}}\n"])
        #expect(try renderer.render("t", ["a": "A", "b": "B"]) == "A\n\nB")
        let code = "<pre>one\n\n\n\ntwo</pre>"
        #expect(try renderer.render("t", ["a": code, "b": "B"]) == "\(code)\n\nB")
    }
}
