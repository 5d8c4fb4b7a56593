import CourseModel
import SceneEngine
import Testing

@testable import CourseFlows

/// Assignments, course edits under a student's feet, HTML safety, callback-data size, speed.
@Suite struct AssignmentAndEditTests {
    static func assignmentCourse(review: Assignment.Review) -> Course {
        let assignment = Assignment(text: "Send a **screenshot**.", accept: [.text, .photo, .document], review: review)
        return Course(slug: "a", title: "A", steps: [Step(id: "work", content: .assignment(assignment)), Fixture.text("end")])
    }

    @Test func refusedKindsListTheAcceptedOnes() {
        var student = StudentDriver(Fixture.scene(Self.assignmentCourse(review: .auto)))
        student.press(CallbackData.start.encoded)
        #expect(student.allText.contains("Step 1/2 · Assignment"))
        #expect(student.allText.contains("Accepted: text, photo, document"))
        for kind in [Attachment.Kind.sticker, .voice, .audio, .video, .other] {
            student.event(.attachment(Attachment(kind: kind, fileId: "F")))
            #expect(student.allText.contains("not accepted here. Accepted: text, photo, document."))
            #expect(student.state.awaitingAssignment == "work")
            #expect(student.state.progress.done.isEmpty)
        }
        student.event(.attachment(Attachment(kind: .photo, fileId: "PHOTO-1")))
        #expect(student.allText.contains("Your work is accepted"))
        #expect(student.state.progress.done == ["work"])
        #expect(student.state.awaitingAssignment == nil)
        #expect(student.hasButton("Next"))
        // Further messages are not submissions.
        student.text("again")
        #expect(student.allText.contains("Use the buttons"))
    }

    @Test func creatorReviewKeepsTheSubmissionPending() {
        var student = StudentDriver(Fixture.scene(Self.assignmentCourse(review: .creator)))
        student.press(CallbackData.start.encoded)
        student.event(.attachment(Attachment(kind: .document, fileId: "DOC-1", fileName: "main.swift", caption: "here")))
        #expect(student.allText.contains("awaits review"))
        #expect(student.state.pendingSubmissions["work"] == Submission(
            kind: .document, text: "here", fileId: "DOC-1", fileName: "main.swift", submittedAt: student.state.pendingSubmissions["work"]!.submittedAt))
        #expect(student.state.progress.done.isEmpty)
        #expect(!student.hasButton("Next"))
        // The step card now says it awaits review, and the next step stays locked.
        student.press(CallbackData.open(StepReference(index: 0, stepId: "work")).encoded)
        #expect(student.allText.contains("Your work awaits review"))
        #expect(student.state.awaitingAssignment == nil)
        student.press(CallbackData.open(StepReference(index: 1, stepId: "end")).encoded)
        #expect(student.answers.first?.text == "Finish the previous steps first.")
    }

    @Test func courseEditKeepsProgressAndOldButtonsDegradePolitely() {
        let original = Course(slug: "e", title: "E", steps: ["a", "b", "c", "d"].map { Fixture.text($0, title: $0.uppercased()) })
        var student = StudentDriver(Fixture.scene(original))
        student.press(CallbackData.start.encoded)
        student.press(label: "Next")
        let nextFromB = Self.data(student, "Next")
        let backFromB = Self.data(student, "Back")
        student.press(label: "Next")
        #expect(student.state.progress.done == ["a", "b", "c"])
        let openC = CallbackData.open(StepReference(index: 2, stepId: "c")).encoded

        // The creator removes "b" and moves "c" first.
        let edited = Course(slug: "e", title: "E", steps: ["c", "a", "d", "e"].map { Fixture.text($0, title: $0.uppercased()) })
        student.scene = Fixture.scene(edited)
        student.command("progress")
        #expect(student.allText.contains("2/4 steps done"))
        let before = student.state
        for stale in [nextFromB, backFromB] {
            student.press(stale)
            #expect(student.answers.first?.text == "This button is no longer active.")
            #expect(student.effects.count == 1)
            #expect(student.state == before)
        }
        // An old button naming a step that moved finds it by id.
        student.press(openC)
        #expect(student.allText.contains("Step 1/4 · C"))
        student.press(label: "Next")
        #expect(student.allText.contains("Step 2/4 · A"))
        student.press(label: "Next")
        #expect(student.allText.contains("Step 3/4 · D"))
    }

    static func data(_ student: StudentDriver, _ label: String) -> String {
        student.keyboard.first { $0.label.contains(label) }.flatMap(StudentDriver.data) ?? ""
    }

    @Test func markdownWithSpecialCharactersStaysValidHTML() {
        let nasty = "a < b && c > d <script>alert('x')</script> **bold <i>** `x<y` [link](javascript:alert(1)) &amp; & ;"
        let question = Question(
            text: nasty, kind: .singleChoice(options: ["<b>", "a & b", "x > y"], correct: 0), explanation: nasty)
        let assignment = Assignment(text: nasty)
        let course = Course(
            slug: "h", title: "T <&> \"q\"", description: nasty,
            steps: [
                Fixture.text("t", nasty, title: "<b>Title</b> & co"),
                Step(id: "m", title: "<m>", content: .media(MediaStep(kind: .photo, source: .url("https://x.test/a.png"), caption: nasty, text: nasty))),
                Fixture.quiz("q", [question]), Step(id: "w", title: "&", content: .assignment(assignment)),
            ])
        var student = StudentDriver(Fixture.scene(course))  // checkWire validates every message's HTML
        student.command("start")
        #expect(student.allText.contains("T &lt;&amp;&gt; &quot;q&quot;"))
        student.press(label: "Start")
        #expect(student.allText.contains("&lt;b&gt;Title&lt;/b&gt; &amp; co"))
        #expect(!student.allText.contains("<script>"))
        student.press(label: "Next")
        student.press(label: "Next")
        #expect(student.labels.contains("<b>"))
        student.press(label: "a & b")
        student.press(label: "Retry")
        student.press(label: "<b>")
        student.press(label: "Next")
        student.command("contents")
        student.command("progress")
        #expect(student.texts.allSatisfy(TelegramHTMLCheck.isValid))
    }

    @Test func everyButtonOfEveryStepFitsIn64Bytes() {
        let longId = String(repeating: "very-long-step-identifier-", count: 10)
        let options = (0..<12).map { "Option number \($0) that is rather long indeed" }
        var steps: [Step] = (0..<120).map { Fixture.text("\(longId)\($0)") }
        steps.append(Fixture.quiz(longId + "quiz", [
            Question(text: "Q", kind: .singleChoice(options: options, correct: 3)),
            Question(text: "M", kind: .multipleChoice(options: options, correct: [1, 2])),
        ]))
        let course = Course(slug: "big", title: "Big", steps: steps)
        var student = StudentDriver(Fixture.scene(course))
        var seen = 0
        student.press(CallbackData.start.encoded)
        for _ in 0..<120 {
            seen += student.keyboard.count
            student.press(label: "Next")
        }
        student.press(label: "A")
        student.press(label: "☐ B")
        seen += student.keyboard.count
        student.command("contents")
        student.command("language")
        seen += student.keyboard.count
        #expect(seen > 300)  // checkWire has checked each one: ≤ 64 bytes and decodable
        #expect(student.state.progress.doneCount(in: course) == 120)
    }

    @Test func handlingAStepIsFast() throws {
        let course = try Fixture.swiftBasics()
        let scene = Fixture.scene(course)
        var state = StudentState()
        let user = ChatUser(id: 1, languageCode: "ru")
        let next = CallbackData.next(StepReference(index: 2, stepId: "constants")).encoded
        _ = scene.handle(ChatEvent(updateId: 0, chatId: 1, user: user, kind: .callback(queryId: "q", data: CallbackData.start.encoded, messageId: 1)), state: &state, now: 0)
        let rounds = 2_000
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for round in 0..<rounds {
                var copy = state
                _ = scene.handle(ChatEvent(updateId: Int64(round), chatId: 1, user: user, kind: .callback(queryId: "q", data: next, messageId: 1)), state: &copy, now: 0)
            }
        }
        let perUpdate = elapsed / rounds
        print("CourseBotScene: one Next press takes \(perUpdate)")
        // Debug builds are several times slower than release; this bounds gross regressions only.
        #expect(perUpdate < .milliseconds(2))
    }
}
