import CourseModel
import SceneEngine
import Testing

@testable import CourseFlows

/// The example course from /start to completion, as a student sees it.
@Suite struct JourneyTests {
    @Test func swiftBasicsFromStartToCompletion() throws {
        let course = try Fixture.swiftBasics()
        var student = StudentDriver(Fixture.scene(course))

        student.command("start")
        #expect(student.allText.contains("<b>Swift Basics</b>"))
        #expect(student.allText.contains("10 steps"))
        #expect(student.allText.contains("30 min"))
        #expect(student.labels == ["Start"])

        student.press(label: "Start")
        #expect(student.answers.count == 1)
        #expect(student.allText.hasPrefix("<b>Step 1/10 · Welcome</b>"))
        #expect(student.allText.contains("<b>Swift Basics</b>"))
        #expect(!student.hasButton("Back"))
        #expect(student.hasButton("Next") && student.hasButton("Contents"))
        #expect(student.state.enrolled && student.state.startedAt != nil)

        student.press(label: "Next")
        guard case .send(let photo) = student.effects[1] else { Issue.record("no photo"); return }
        #expect(photo.media == Media(kind: .photo, source: .localFile("/srv/courses/swift-basics/media/swift-logo.png")))
        #expect(photo.text.hasPrefix("<b>Step 2/10 · Meet Swift</b>"))
        #expect(photo.text.contains("Swift is safe, fast and expressive."))
        #expect(student.hasButton("Back") && student.hasButton("Next"))

        for expected in ["Step 3/10", "Step 4/10", "Step 5/10", "Step 6/10", "Step 7/10"] {
            student.press(label: "Next")
            #expect(student.allText.contains(expected))
        }
        #expect(student.state.progress.doneCount(in: course) == 7)

        // The quiz: its card, then the first question.
        student.press(label: "Next")
        #expect(student.allText.contains("Step 8/10 · Check yourself"))
        #expect(student.allText.contains("4 questions · 70% to pass"))
        #expect(student.allText.contains("Question 1 of 4"))
        #expect(!student.hasButton("Next"))
        #expect(student.labels.suffix(3) == ["let", "var", "const"])

        student.press(label: "let", messageId: 100)
        #expect(student.answers.first?.text == "✅ Correct!")
        guard case .edit(messageId: 100, let verdict) = student.effects[1] else { Issue.record("no edit"); return }
        #expect(verdict.text.contains("✅ Correct!") && verdict.text.contains("<code>let</code> declares a constant"))
        #expect(verdict.buttons.isEmpty)
        #expect(student.allText.contains("Question 2 of 4"))
        #expect(student.labels == ["☐ Int", "☐ String", "☐ Number", "☐ Bool", "Submit"])

        // Multiple choice: toggles edit the buttons, Submit checks.
        student.press(label: "☐ Int", messageId: 101)
        #expect(student.effects.count == 2)
        guard case .editButtons(messageId: 101, _) = student.effects[1] else { Issue.record("no editButtons"); return }
        #expect(student.labels.first == "☑ Int")
        student.press(label: "☐ Number", messageId: 101)
        student.press(label: "☐ String", messageId: 101)
        student.press(label: "☑ Number", messageId: 101)
        student.press(label: "☐ Bool", messageId: 101)
        #expect(student.labels == ["☑ Int", "☑ String", "☐ Number", "☑ Bool", "Submit"])
        #expect(student.state.quizPass?.selected == [0, 1, 3])
        student.press(label: "Submit", messageId: 101)
        #expect(student.allText.contains("✅ Correct!"))

        // A native question goes as a Telegram quiz poll; its answer moves on.
        guard case .sendQuizPoll(let poll) = student.effects.last else { Issue.record("no poll"); return }
        #expect(poll.correctOptionId == 0 && poll.options == ["Hello, Ada!", "Hello, name!", "Ada"])
        student.event(.pollAnswer(pollId: "p1", optionIds: [0]))
        #expect(student.allText.contains("Question 4 of 4"))

        // Free text: trimmed and case-insensitive.
        student.text("  VAR \n")
        #expect(student.allText.contains("Your answer: VAR"))
        #expect(student.allText.contains("✅ Correct!"))
        #expect(student.allText.contains("Quiz passed!"))
        #expect(student.allText.contains("Your score: 100% (4 of 4)"))
        #expect(student.state.quizResults["basics-quiz"] == QuizRecord(scores: [4], questionCount: 4, passed: true))
        #expect(student.state.quizPass == nil)

        // The assignment, reviewed automatically.
        student.press(label: "Next")
        #expect(student.allText.contains("Step 9/10 · Your first program"))
        #expect(student.allText.contains("Accepted: text, document"))
        #expect(student.state.awaitingAssignment == "first-program")
        student.text("func double(_ x: Int) -> Int { x * 2 }")
        #expect(student.allText.contains("Your work is accepted"))
        #expect(student.state.progress.done.contains("first-program"))

        student.press(label: "Next")
        #expect(student.allText.contains("Step 10/10 · What next?"))
        #expect(!student.hasButton("Next"))
        #expect(student.allText.contains("Congratulations!"))
        #expect(student.allText.contains("You have finished «Swift Basics»"))
        #expect(student.state.progress.isComplete(course))
        let completedAt = student.state.completedAt
        #expect(completedAt != nil)

        // Completion is said once.
        student.press(label: "Back")
        #expect(!student.allText.contains("Congratulations!"))
        #expect(student.state.completedAt == completedAt)

        student.command("progress")
        #expect(student.allText.contains("10/10 steps done"))
        #expect(student.allText.contains("▰▰▰▰▰▰▰▰▰▰"))

        student.command("start")
        #expect(student.labels == ["Continue"])
    }

    @Test func mediaStepsResolveFilesAgainstTheCourseFolder() throws {
        let course = try Fixture.swiftBasics()
        let scene = CourseBotScene(course: course, courseDirectory: "/data/c/", rendering: Fixture.rendering)
        var student = StudentDriver(scene)
        student.press(CallbackData.open(StepReference(index: 0, stepId: "welcome")).encoded)
        student.press(label: "Next")
        guard case .send(let message) = student.effects.last else { Issue.record("no media"); return }
        #expect(message.media?.source == .localFile("/data/c/media/swift-logo.png"))
    }

    @Test func longCaptionSendsMediaThenText() {
        let long = String(repeating: "Word ", count: 400)
        let media = MediaStep(kind: .video, source: .fileId("FILE-1"), caption: "Short caption", text: long)
        let course = Course(slug: "m", title: "M", steps: [Step(id: "v", content: .media(media)), Fixture.text("t")])
        var student = StudentDriver(Fixture.scene(course))
        student.press(CallbackData.start.encoded)
        #expect(student.effects.count == 3)
        guard case .send(let first) = student.effects[1], case .send(let second) = student.effects[2] else { return }
        #expect(first.media == Media(kind: .video, source: .fileId("FILE-1")))
        #expect(first.text.contains("Step 1/2 · Video") && first.text.contains("Short caption"))
        #expect(first.buttons.isEmpty)
        #expect(second.media == nil && second.text.contains("Word Word"))
        #expect(second.buttons.flatMap { $0 }.contains { $0.label.contains("Next") })
    }

    @Test func longTextIsSplitWithButtonsOnTheLastPart() {
        let long = (1...300).map { "Paragraph number \($0) is here." }.joined(separator: "\n\n")
        let course = Course(slug: "l", title: "L", steps: [Fixture.text("a", long), Fixture.text("b")])
        var student = StudentDriver(Fixture.scene(course))
        student.press(CallbackData.start.encoded)
        let sends = student.effects.compactMap { if case .send(let m) = $0 { m } else { nil } }
        #expect(sends.count >= 3)
        #expect(sends.dropLast().allSatisfy { $0.buttons.isEmpty })
        #expect(!sends.last!.buttons.isEmpty)
    }
}
