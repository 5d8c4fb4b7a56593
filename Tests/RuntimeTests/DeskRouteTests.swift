@testable import BotRuntime
import SceneEngine
import Testing

/// The manager bot's routing as a pure function: what goes to the desk as a job, what stays
/// with the scene, and what both see.
@Suite("Desk routing")
struct DeskRouteTests {
    static func event(_ kind: ChatEvent.Kind) -> ChatEvent {
        ChatEvent(updateId: 1, chatId: 501, user: ChatUser(id: 501), kind: kind)
    }

    static func route(_ kind: ChatEvent.Kind, editing: Bool = false, writing: Bool = false) -> DeskRoute {
        DeskRoute.of(event(kind), editing: editing, writingBroadcast: writing)
    }

    @Test("creators' commands, desk buttons and managed bots go to the desk; /start to both, the desk answering")
    func commands() {
        for command in ["courses", "connect", "disconnect", "broadcast", "newcourse", "cancel"] {
            #expect(Self.route(.command(command, arguments: "")) == .desk, "/\(command)")
        }
        #expect(Self.route(.command("start", arguments: "")) == .both(sceneAnswers: false))
        #expect(Self.route(.command("reviews", arguments: "")) == .scene)
        #expect(Self.route(.managedBot(botId: 77, username: "x_bot")) == .desk)
        #expect(Self.route(.callback(queryId: "q", data: DeskCallback.encode("pub", "abc"), messageId: 3)) == .desk)
        #expect(Self.route(.callback(queryId: "q", data: ReviewCallback.version + "|a|abc|1", messageId: 3)) == .both(sceneAnswers: true))
        #expect(Self.route(.callback(queryId: "q", data: "other", messageId: 3)) == .scene)
    }

    @Test("a pasted token always goes to the desk; other texts only in a dialog or while writing a broadcast")
    func texts() {
        let token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
        #expect(Self.route(.text(token)) == .desk)
        #expect(Self.route(.text("my token is \(token), thanks")) == .desk)
        #expect(Self.route(.text("a review comment")) == .scene)
        #expect(Self.route(.text("Swift Basics"), editing: true) == .desk)
        #expect(Self.route(.text("Hello students"), writing: true) == .desk)
        let photo = Attachment(kind: .photo, fileId: "f")
        #expect(Self.route(.attachment(photo)) == .scene)
        #expect(Self.route(.attachment(photo), editing: true) == .desk)
        #expect(Self.route(.attachment(photo), writing: true) == .scene, "a broadcast is text only")
    }

    @Test("a message holding a token is marked for deletion, however it came")
    func tokensDeleted() {
        let token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
        #expect(DeskRoute.holdsToken(Self.event(.text(token))))
        #expect(DeskRoute.holdsToken(Self.event(.text("here: \(token)"))))
        #expect(DeskRoute.holdsToken(Self.event(.command("connect", arguments: token))))
        #expect(!DeskRoute.holdsToken(Self.event(.command("connect", arguments: ""))))
        #expect(!DeskRoute.holdsToken(Self.event(.text("12:30 tomorrow"))))
    }
}
