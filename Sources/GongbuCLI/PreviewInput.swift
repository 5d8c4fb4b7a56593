import Foundation

/// One line a creator typed in `gongbu preview`, understood: a button number, a `:command` of
/// the preview itself, or a message for the bot.
enum PreviewInput: Equatable, Sendable {
    /// Presses button N (1-based) of the newest message that has buttons.
    case press(Int)
    /// Sends a text message (a `/command` included).
    case send(String)
    /// Sends the file at this path as a document.
    case file(String)
    /// Answers the newest open poll with these options (1-based).
    case poll([Int])
    /// Pays the newest invoice.
    case pay
    case help
    case quit
    /// Nothing to do (an empty line).
    case nothing
    /// A preview command used wrongly; the text says how to use it.
    case invalid(String)

    static let helpText = """
        Type what a student would:
          N            press button [N] of the newest message with buttons
          /command     send a command, e.g. /start, /progress, /help
          any text     send it as the student's message
          :send TEXT   send TEXT as is (e.g. a number)
          :file PATH   send a file as a document
          :poll N      answer the newest quiz poll with option N (several: :poll 1 3)
          :pay         pay the newest invoice
          :help        this list
          :quit        leave (so does end of input)
        """

    init(line raw: String) {
        let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.isEmpty {
            self = .nothing
            return
        }
        if let number = Int(line) {
            self = number > 0 ? .press(number) : .invalid("buttons are numbered from 1")
            return
        }
        guard line.hasPrefix(":") else {
            self = .send(raw.trimmingCharacters(in: .newlines))
            return
        }
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts[0].lowercased() {
        case ":quit", ":q", ":exit":
            self = .quit
        case ":help", ":h", ":?":
            self = .help
        case ":send":
            self = argument.isEmpty ? .invalid("usage: :send TEXT") : .send(argument)
        case ":file":
            self = argument.isEmpty ? .invalid("usage: :file PATH") : .file(Self.expandingTilde(argument))
        case ":pay":
            self = .pay
        case ":poll":
            let numbers = argument.split(whereSeparator: { $0 == " " || $0 == "," }).map { Int($0) }
            if numbers.isEmpty || numbers.contains(where: { ($0 ?? 0) < 1 }) {
                self = .invalid("usage: :poll N (options are numbered from 1)")
            } else {
                self = .poll(numbers.compactMap { $0 })
            }
        default:
            self = .invalid("unknown preview command \(parts[0]); :help lists them")
        }
    }

    static func expandingTilde(_ path: String) -> String {
        (path as NSString).expandingTildeInPath
    }
}

/// Lines of standard input as an async sequence, read on a thread of their own so a blocking
/// `readLine` never holds one of the few threads the runtime's tasks run on. Ctrl-C ends the
/// sequence like end of input does, so the preview still stops cleanly (and removes its data).
struct StandardInputLines {
    let lines: AsyncStream<String>
    private let interrupt: any DispatchSourceSignal

    init() {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let thread = Thread {
            while let line = readLine(strippingNewline: true) {
                continuation.yield(line)
            }
            continuation.finish()
        }
        thread.name = "gongbu-preview-stdin"
        thread.start()
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { continuation.finish() }
        interrupt.resume()
        self.lines = stream
        self.interrupt = interrupt
    }

    /// Stops listening for Ctrl-C.
    func close() {
        interrupt.cancel()
    }
}
