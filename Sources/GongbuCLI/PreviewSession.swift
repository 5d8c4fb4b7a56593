import Foundation
import GongbuTesting

/// The conversation loop of `gongbu preview`: reads the creator's lines, acts as the student
/// in the emulator (send, press, answer a poll, send a file, pay), waits until the bot's
/// output settles, then prints what changed in the chat: new messages, edits and pop-ups.
struct PreviewSession {
    let bot: EmulatedBot
    let user: ScriptedUser
    let renderer: PreviewRenderer
    /// Echo each input line (`> 1`) so a piped transcript reads like a conversation.
    let echoesInput: Bool
    /// Show a `> ` prompt before reading (standard input is a terminal).
    let showsPrompt: Bool
    /// How long the chat must stay still, once the bot has started answering, to count as settled.
    var quietPeriod: Duration = .milliseconds(300)
    /// How long to wait for the bot's first reaction to an input before giving up on one.
    var replyTimeout: Duration = .seconds(3)

    /// What each message looked like when last printed, by message id.
    private var shown: [Int: String] = [:]
    /// Calls already looked at, for pop-ups and uploaded file names.
    private var seenCalls = 0
    /// Uploaded file name by file id.
    private var fileNames: [String: String] = [:]
    /// Polls the student answered, by message id.
    private var answeredPolls: Set<Int> = []

    init(bot: EmulatedBot, user: ScriptedUser, renderer: PreviewRenderer, echoesInput: Bool, showsPrompt: Bool) {
        self.bot = bot
        self.user = user
        self.renderer = renderer
        self.echoesInput = echoesInput
        self.showsPrompt = showsPrompt
    }

    /// Runs until `:quit` or the end of the input.
    mutating func run(lines: AsyncStream<String>) async {
        prompt()
        for await line in lines {
            if echoesInput { write("> \(line)") }
            let input = PreviewInput(line: line)
            if input == .quit { return }
            await perform(input)
            showChanges()
            prompt()
        }
        if showsPrompt { write("") }
    }

    mutating func perform(_ input: PreviewInput) async {
        let before = activity
        switch input {
        case .nothing, .quit:
            return
        case .help:
            write(PreviewInput.helpText)
            return
        case .invalid(let problem):
            warn(problem)
            return
        case .send(let text):
            user.send(text)
        case .press(let number):
            guard press(number) else { return }
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                warn("cannot read \(path)")
                return
            }
            let name = (path as NSString).lastPathComponent
            user.sendDocument(data: data, fileName: name, mimeType: Self.mimeType(of: name))
        case .poll(let numbers):
            guard answerPoll(numbers) else { return }
        case .pay:
            do {
                switch try await user.pay(timeout: .seconds(10)) {
                case .paid: break
                case .refused(let message): warn("the bot refused the payment" + (message.map { ": \($0)" } ?? ""))
                case .notAnswered: warn("the bot did not answer the pre-checkout query")
                }
            } catch {
                warn("\(error)")
                return
            }
        }
        await settle(since: before)
    }

    /// Presses button `number` of the newest message with buttons; false when there is none.
    func press(_ number: Int) -> Bool {
        guard let message = user.messages.last(where: { !$0.buttons.isEmpty }) else {
            warn("no buttons to press yet")
            return false
        }
        let buttons = message.buttons.flatMap { $0 }
        guard buttons.indices.contains(number - 1) else {
            warn("no button [\(number)]: the newest buttons are [1]–[\(buttons.count)]; to send \(number) as text: :send \(number)")
            return false
        }
        let button = buttons[number - 1]
        guard button.callbackData != nil else {
            write("🔗 \(button.text) opens \(button.url ?? "a link") outside the chat")
            return false
        }
        do {
            try user.press(button.text)
            return true
        } catch {
            warn("\(error)")
            return false
        }
    }

    /// Answers the newest open poll and shows what Telegram would: the choice, whether a quiz
    /// answer is right, the explanation. False when there is nothing to answer.
    mutating func answerPoll(_ numbers: [Int]) -> Bool {
        guard let message = user.messages.last(where: { $0.json["poll"]?["is_closed"]?.boolValue == false }),
            let poll = message.json["poll"]
        else {
            warn("no open poll to answer")
            return false
        }
        let count = poll["options"]?.arrayValue?.count ?? 0
        guard numbers.allSatisfy({ (1...max(count, 1)).contains($0) }), count > 0 else {
            warn("the poll's options are (1)–(\(count))")
            return false
        }
        guard numbers.count == 1 || poll["allows_multiple_answers"]?.boolValue == true else {
            warn("this poll takes one answer")
            return false
        }
        guard !answeredPolls.contains(message.messageId) || poll["allows_revoting"]?.boolValue == true else {
            warn("you already answered this poll")
            return false
        }
        do {
            try user.answerPoll(optionIds: numbers.map { $0 - 1 })
        } catch {
            warn("\(error)")
            return false
        }
        answeredPolls.insert(message.messageId)
        write("")
        for line in renderer.pollAnswerLines(poll, chosen: numbers.map { $0 - 1 }) { write(line) }
        return true
    }

    // MARK: Waiting for the bot

    /// How many calls, other than getUpdates, the bot has made: every send, edit and answer counts.
    var activity: Int {
        bot.calls.reduce(0) { $0 + ($1.method.lowercased() == "getupdates" ? 0 : 1) }
    }

    /// Waits until the bot took the update, answered, and then stayed quiet for `quietPeriod`
    /// (or made no call at all within `replyTimeout`).
    func settle(since before: Int) async {
        let clock = ContinuousClock()
        let start = clock.now
        while bot.pendingUpdateCount > 0, clock.now - start < .seconds(10) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let fetched = clock.now
        var last = before
        var lastChange: ContinuousClock.Instant?
        while true {
            let current = activity
            if current != last {
                last = current
                lastChange = clock.now
            }
            if let lastChange {
                if clock.now - lastChange >= quietPeriod { return }
            } else if clock.now - fetched >= replyTimeout {
                return
            }
            try? await Task.sleep(for: .milliseconds(25))
        }
    }

    /// Waits until the bot's worker is polling the emulator; false after `timeout`.
    func waitUntilPolling(timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        while !bot.isPolling {
            if clock.now - start >= timeout { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    // MARK: Printing

    /// Prints pop-ups (answerCallbackQuery texts), then every new or changed message in chat order.
    mutating func showChanges() {
        let calls = bot.calls
        if seenCalls < calls.count {
            for call in calls[seenCalls...] {
                note(call)
            }
            seenCalls = calls.count
        }
        var printedAny = false
        let messages = user.messages
        for message in messages {
            let body = renderer.body(of: message, fileNames: fileNames)
            let buttons = renderer.buttonLines(of: message)
            let rendered = ([body] + buttons.map { "  " + $0 }).joined(separator: "\n")
            guard shown[message.messageId] != rendered else { continue }
            let isEdit = shown[message.messageId] != nil
            shown[message.messageId] = rendered
            write("")
            if isEdit { write("✏️ (edited)") }
            write(rendered)
            printedAny = true
        }
        let present = Set(messages.map(\.messageId))
        for id in shown.keys.sorted() where !present.contains(id) {
            shown[id] = nil
            write("\n🗑 (a message was deleted)")
            printedAny = true
        }
        if printedAny { write("") }
    }

    /// Looks at one call the bot made: remembers uploaded file names, prints pop-up texts.
    mutating func note(_ call: RecordedCall) {
        for kind in ["photo", "video", "audio", "document", "voice"] {
            guard let name = call.parameters[kind]?["upload"]?.stringValue, let result = call.result else { continue }
            let media = result[kind]
            let file = kind == "photo" ? media?.arrayValue?.last : media
            if let id = file?["file_id"]?.stringValue { fileNames[id] = name }
        }
        if call.method.lowercased() == "answercallbackquery", call.succeeded,
            let text = call.parameters["text"]?.stringValue, !text.isEmpty
        {
            let alert = call.parameters["show_alert"]?.boolValue == true
            write("\n💬 \(alert ? "(alert)" : "(pop-up)") \(text)")
        }
    }

    func prompt() {
        if showsPrompt { FileHandle.standardOutput.write(Data("> ".utf8)) }
    }

    func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func warn(_ problem: String) {
        write("⚠️ \(problem)")
    }

    static func mimeType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "swift", "txt", "md", "py", "js", "c", "h", "java", "kt", "rs", "go": "text/plain"
        case "pdf": "application/pdf"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "zip": "application/zip"
        case "json": "application/json"
        default: "application/octet-stream"
        }
    }
}
