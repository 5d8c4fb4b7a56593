import CourseModel
import Foundation
import Manifests
import Testing

@Suite struct CourseManifestTests {
    /// Writes `yaml` as course.yaml (plus `files`) in a temp course folder and loads it.
    static func load(_ yaml: String, files: [String: String] = [:]) throws -> Result<Course, DiagnosticsError> {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("demo/course.yaml", yaml)
        for (path, text) in files { try folder.write("demo/" + path, text) }
        return Result { () throws(DiagnosticsError) in
            try CourseManifest.load(directory: folder.path + "/demo", displayPath: "courses/demo")
        }
    }

    /// The diagnostics as `LINE:COL: message`, checking FILE is the display path.
    static func errors(_ yaml: String, files: [String: String] = [:]) throws -> [String] {
        guard case .failure(let error) = try load(yaml, files: files) else {
            Issue.record("expected diagnostics, the course loaded")
            return []
        }
        #expect(error.diagnostics.allSatisfy { $0.file == "courses/demo/course.yaml" })
        return error.diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
    }

    @Test func exampleCourseLoads() throws {
        let root = Repository.root()
        let course = try CourseManifest.load(directory: root + "/courses/swift-basics", displayPath: "courses/swift-basics")
        #expect(course.slug == "swift-basics")
        #expect(course.language == "en")
        #expect(course.price == .free)
        #expect(course.steps.count >= 8)
        let types = Set(course.steps.map(\.type))
        #expect(types == Set(StepType.allCases))
        #expect(Set(course.steps.map(\.id)).count == course.steps.count)

        let photo = try #require(course.steps.first { $0.type == .photo })
        guard case .media(let media) = photo.content else { Issue.record("photo is not media"); return }
        #expect(media.source == .file("media/swift-logo.png"))
        for step in course.steps {
            if case .media(let media) = step.content, case .file(let path) = media.source {
                #expect(FileManager.default.isReadableFile(atPath: CourseManifest.mediaPath(path, inCourse: root + "/courses/swift-basics")))
            }
        }

        let quizStep = try #require(course.steps.first { $0.type == .quiz })
        guard case .quiz(let quiz) = quizStep.content else { Issue.record("not a quiz"); return }
        let kinds = quiz.questions.map { question -> String in
            switch question.kind {
            case .singleChoice: "single"
            case .multipleChoice: "multiple"
            case .freeText: "text"
            }
        }
        #expect(Set(kinds) == ["single", "multiple", "text"])

        let assignmentStep = try #require(course.steps.first { $0.type == .assignment })
        guard case .assignment(let assignment) = assignmentStep.content else { Issue.record("not an assignment"); return }
        #expect(assignment.review == .auto)
    }

    @Test func everyFieldIsRead() throws {
        let yaml = """
            slug: demo-course
            title: Demo
            description: A demo.
            language: pt-br
            category: testing
            difficulty: 3
            creator: 424242
            duration_minutes: 45
            price:
              model: freemium
              amount: 300
            steps:
              - id: intro
                type: text
                title: Hello
                text: "**Hi**"
              - id: pic
                type: photo
                file: media/a.png
                caption: A picture
                text: More words
                required: false
              - id: clip
                type: video
                file_id: BAACAgIAAxkBAAI
              - id: link
                type: document
                url: https://example.org/file.pdf
              - id: quiz
                type: quiz
                pass_score: 50
                attempts: 2
                questions:
                  - question: Pick one
                    options: [a, b]
                    correct: 1
                    native: yes
                    explanation: Because.
                  - question: Pick many
                    options: [a, b, c]
                    correct: [0, 2]
                  - question: Say it
                    answers: [Yes, yep]
              - id: homework
                type: assignment
                text: Do it.
                accept: [photo, voice]
                review: creator
                paid: true
                price: 40

            """
        let course = try Self.load(yaml, files: ["media/a.png": "png"]).get()
        #expect(course == Course(
            slug: "demo-course", title: "Demo", description: "A demo.", language: "pt-br", category: "testing",
            difficulty: 3, price: .freemium(unlockAll: 300), creator: 424242, durationMinutes: 45,
            steps: [
                Step(id: "intro", title: "Hello", content: .text("**Hi**")),
                Step(id: "pic", content: .media(MediaStep(kind: .photo, source: .file("media/a.png"), caption: "A picture", text: "More words")), required: false),
                Step(id: "clip", content: .media(MediaStep(kind: .video, source: .fileId("BAACAgIAAxkBAAI")))),
                Step(id: "link", content: .media(MediaStep(kind: .document, source: .url("https://example.org/file.pdf")))),
                Step(id: "quiz", content: .quiz(Quiz(questions: [
                    Question(text: "Pick one", kind: .singleChoice(options: ["a", "b"], correct: 1), explanation: "Because.", native: true),
                    Question(text: "Pick many", kind: .multipleChoice(options: ["a", "b", "c"], correct: [0, 2])),
                    Question(text: "Say it", kind: .freeText(answers: ["Yes", "yep"])),
                ], passScore: 50, attempts: 2))),
                Step(id: "homework", content: .assignment(Assignment(text: "Do it.", accept: [.photo, .voice], review: .creator)), paid: true, price: 40),
            ]))
    }

    @Test func defaultsOfQuizAndAssignment() throws {
        let yaml = """
            slug: d
            title: D
            steps:
              - id: q
                type: quiz
                questions:
                  - question: Q
                    answers: [a]
              - id: a
                type: assignment
                text: Send it

            """
        let course = try Self.load(yaml).get()
        #expect(course.price == .free)
        #expect(course.language == "en")
        #expect(course.steps[0].content == .quiz(Quiz(questions: [Question(text: "Q", kind: .freeText(answers: ["a"]))], passScore: 100, attempts: nil)))
        #expect(course.steps[1].content == .assignment(Assignment(text: "Send it", accept: [.text], review: .auto)))
    }

    @Test func displayPathMayNameTheFileItself() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("course.yaml", "slug: d\ntitle: D\nsteps:\n  - id: p\n    type: photo\n    file: gone.png\n")
        for shown in ["courses/d", "courses/d/course.yaml"] {
            #expect(throws: DiagnosticsError([Diagnostic(
                file: "courses/d/course.yaml", line: 6, column: 11,
                message: "media file 'gone.png' not found (looked for courses/d/gone.png)")])) {
                try CourseManifest.load(directory: folder.path, displayPath: shown)
            }
        }
    }

    @Test func missingCourseYamlIsADiagnostic() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        #expect(throws: DiagnosticsError([Diagnostic(file: "x/course.yaml", line: 0, column: 0, message: "no course.yaml in the course folder")])) {
            try CourseManifest.load(directory: folder.path, displayPath: "x")
        }
    }
}
