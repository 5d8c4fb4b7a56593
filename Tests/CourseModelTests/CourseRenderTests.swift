import CourseModel
import Manifests
import Testing

/// `render` writes course.yaml that reads back to the same course.
@Suite struct CourseRenderTests {
    func roundTrip(_ course: Course) throws -> Course {
        let yaml = CourseManifest.render(course: course)
        return try CourseManifest.parse(yaml: yaml, file: "rendered/course.yaml")
    }

    @Test func exampleCourseRoundTrips() throws {
        let root = Repository.root()
        let course = try CourseManifest.load(directory: root + "/courses/swift-basics", displayPath: "courses/swift-basics")
        #expect(try roundTrip(course) == course)
    }

    @Test func trickyValuesRoundTrip() throws {
        let course = Course(
            slug: "tricky", title: "yes", description: "", language: "no", category: "123", difficulty: 5,
            price: .subscription(amount: 99, periodDays: 30), creator: 987654321, durationMinutes: 5,
            steps: [
                Step(id: "t", title: "null", content: .text("line one\n  indented: true\n- not a list\n")),
                Step(id: "m", content: .media(MediaStep(kind: .audio, source: .url("https://example.org/a.mp3"), caption: "# not a comment", text: "${NOT_A_VAR}")), required: false),
                Step(id: "q", content: .quiz(Quiz(questions: [
                    Question(text: "Pick: one?", kind: .singleChoice(options: ["true", "1.5", " spaced ", "a, b"], correct: 2), explanation: "'quoted' \"both\"", native: true),
                    Question(text: "Many", kind: .multipleChoice(options: ["[x]", "{y}"], correct: [1, 0])),
                    Question(text: "Type", kind: .freeText(answers: ["~", "ёжик"])),
                ], passScore: 0, attempts: 1))),
                Step(id: "a", content: .assignment(Assignment(text: "Send", accept: [.voice, .video], review: .creator))),
            ])
        #expect(try roundTrip(course) == course)
    }

    @Test func freemiumPricesRoundTrip() throws {
        for price in [Price.freemium(unlockAll: nil), .freemium(unlockAll: 500), .paid(amount: 1), .free] {
            var steps = [Step(id: "a", content: .text("t"))]
            if case .freemium = price { steps.append(Step(id: "b", content: .text("paid"), paid: true, price: 25)) }
            let course = Course(slug: "p", title: "P", price: price, steps: steps)
            #expect(try roundTrip(course) == course)
        }
    }
}
