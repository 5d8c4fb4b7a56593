import CourseModel
import SceneEngine
import Testing

@testable import CourseFlows

/// A quiz answer counts only when pressed on the question's own message: the same answer data
/// pressed on another message (a photo step's, stale or forged) changes nothing and edits nothing.
@Suite struct QuizPressOriginTests {
    static let course = Course(slug: "q", title: "Q", steps: [
        Fixture.text("photo", title: "Photo"), Fixture.quiz("qz", [Fixture.letQuestion]),
    ])
    static let answer = CallbackData.answer(StepReference(index: 1, stepId: "qz"), pass: 1, question: 0, option: 0).encoded
    static let next = CallbackData.next(StepReference(index: 0, stepId: "photo")).encoded

    /// A student with question 1 of the quiz asked, on message 20.
    static func asked() -> (CourseBotScene, StudentState) {
        let scene = Fixture.scene(course)
        var state = StudentState()
        state.progress.done.insert("photo")
        let user = ChatUser(id: 42, firstName: "Ada", languageCode: "en")
        let open = CallbackData.open(StepReference(index: 1, stepId: "qz")).encoded
        _ = scene.handle(ChatEvent(updateId: 1, chatId: 42, user: user, kind: .callback(queryId: "q1", data: open, messageId: 5)),
                         state: &state, now: 1_000)
        #expect(state.quizPass == QuizPass(stepId: "qz", number: 1))
        return (scene, state)
    }

    static func press(_ scene: CourseBotScene, _ state: inout StudentState, messageId: Int, pressed: PressedMessage?) -> [Effect] {
        let user = ChatUser(id: 42, firstName: "Ada", languageCode: "en")
        let event = ChatEvent(updateId: 2, chatId: 42, user: user, kind: .callback(queryId: "q2", data: answer, messageId: messageId),
                              pressed: pressed)
        return scene.handle(event, state: &state, now: 1_001)
    }

    @Test func answerDataPressedOnAPhotoMessageIsRefusedAndEditsNothing() {
        var (scene, state) = Self.asked()
        let before = state
        // The photo step's own message: media (no text), with only its Next button on it.
        let effects = Self.press(scene, &state, messageId: 11, pressed: PressedMessage(hasText: false, callbackData: [Self.next]))
        #expect(state == before)
        #expect(effects == [.answerCallback(queryId: "q2", text: "You have already answered this question.", alert: false)])
    }

    @Test func answerDataOnAMediaMessageThatCarriesItIsStillNotTheQuestion() {
        var (scene, state) = Self.asked()
        let before = state
        let effects = Self.press(scene, &state, messageId: 11, pressed: PressedMessage(hasText: false, callbackData: [Self.answer]))
        #expect(state == before)
        #expect(effects.count == 1)
    }

    @Test func answerDataOnATextMessageWithoutThatButtonIsRefused() {
        var (scene, state) = Self.asked()
        let before = state
        let effects = Self.press(scene, &state, messageId: 12, pressed: PressedMessage(hasText: true, callbackData: [Self.next]))
        #expect(state == before)
        #expect(effects.count == 1)
    }

    @Test func theSamePressOnTheQuestionIsAcceptedAndEditsThatMessage() {
        var (scene, state) = Self.asked()
        let effects = Self.press(scene, &state, messageId: 20, pressed: PressedMessage(hasText: true, callbackData: [Self.answer]))
        #expect(effects.first == .answerCallback(queryId: "q2", text: "✅ Correct!", alert: false))
        guard case .edit(messageId: 20, let verdict) = effects.dropFirst().first else {
            Issue.record("no edit of the question: \(effects)")
            return
        }
        #expect(verdict.media == nil && verdict.text.contains("✅ Correct!"))
        #expect(state.progress.done.contains("qz"))
    }

    @Test func aVerdictNeverEditsTheTextOfAPressedMediaMessage() {
        let scene = Fixture.scene(Self.course)
        let user = ChatUser(id: 42, firstName: "Ada", languageCode: "en")
        // Even when the reducer has nothing else to go on, the verdict aimed at a pressed media message is sent anew.
        let turn = Turn(scene: scene, event: ChatEvent(updateId: 3, chatId: 42, user: user,
            kind: .callback(queryId: "q3", data: Self.answer, messageId: 11), pressed: PressedMessage(hasText: false, callbackData: [Self.answer])), now: 1)
        let effects = turn.edit(11, "<b>verdict</b>")
        #expect(effects == [.send(OutgoingMessage(text: "<b>verdict</b>"))])
        #expect(turn.edit(20, "<b>verdict</b>") == [.edit(messageId: 20, OutgoingMessage(text: "<b>verdict</b>"))])
    }
}
