/// What an inline button of a course bot means, packed into Telegram's 64-byte `callback_data`.
///
/// Buttons outlive the process and the course version that drew them, so the data is
/// versioned (`v1|…`), names steps by a short stable hash of their id (with the index as a
/// hint), and is validated on the way back: anything this version did not write decodes to `nil`.
public enum CallbackData: Sendable, Equatable {
    /// Start / Continue on the welcome card.
    case start
    case contents
    /// Open a step (from Contents).
    case open(StepReference)
    /// Go to the step after this one.
    case next(StepReference)
    /// Go to the step before this one.
    case back(StepReference)
    /// Answer a single-choice question with an option.
    case answer(StepReference, pass: Int, question: Int, option: Int)
    /// Toggle an option of a multiple-choice question.
    case toggle(StepReference, pass: Int, question: Int, option: Int)
    /// Submit the options chosen for a multiple-choice question.
    case submit(StepReference, pass: Int, question: Int)
    /// Start a new pass of a quiz.
    case retry(StepReference)
    /// Switch the student's language.
    case language(String)
    /// Buy the whole course (`c`), everything of a freemium course (`a`), a plan (`p`).
    case buy(String)
    /// Buy one paid step of a freemium course.
    case buyStep(StepReference)

    /// The current wire version.
    public static let version = "v1"
    /// Largest number any numeric field may hold (keeps the data short and bounded).
    static let maxNumber = 99_999

    /// The data to put on a button; always at most 64 UTF-8 bytes.
    public var encoded: String {
        let fields: [String]
        switch self {
        case .start: fields = ["s"]
        case .contents: fields = ["c"]
        case .open(let step): fields = ["o"] + step.fields
        case .next(let step): fields = ["n"] + step.fields
        case .back(let step): fields = ["b"] + step.fields
        case .answer(let step, let pass, let question, let option):
            fields = ["a"] + step.fields + [Self.field(pass), Self.field(question), Self.field(option)]
        case .toggle(let step, let pass, let question, let option):
            fields = ["t"] + step.fields + [Self.field(pass), Self.field(question), Self.field(option)]
        case .submit(let step, let pass, let question):
            fields = ["m"] + step.fields + [Self.field(pass), Self.field(question)]
        case .retry(let step): fields = ["r"] + step.fields
        case .language(let code): fields = ["l", Self.isLanguageCode(code) ? code : "en"]
        case .buy(let what): fields = ["p", ["c", "a", "p"].contains(what) ? what : "c"]
        case .buyStep(let step): fields = ["p", "s"] + step.fields
        }
        return ([Self.version] + fields).joined(separator: "|")
    }

    /// Decodes button data; `nil` for anything this version did not write.
    public init?(decoding data: String) {
        guard data.utf8.count <= 64, data.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        let parts = data.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts[0] == Self.version else { return nil }
        let rest = Array(parts.dropFirst(2))
        let step = rest.count >= 2 ? StepReference(indexField: rest[0], hashField: rest[1]) : nil
        let numbers = rest.dropFirst(2).map(Self.number)
        switch (parts[1], rest.count) {
        case ("s", 0): self = .start
        case ("c", 0): self = .contents
        case ("o", 2): guard let step else { return nil }; self = .open(step)
        case ("n", 2): guard let step else { return nil }; self = .next(step)
        case ("b", 2): guard let step else { return nil }; self = .back(step)
        case ("r", 2): guard let step else { return nil }; self = .retry(step)
        case ("a", 5), ("t", 5):
            guard let step, let pass = numbers[0], let question = numbers[1], let option = numbers[2] else { return nil }
            self = parts[1] == "a"
                ? .answer(step, pass: pass, question: question, option: option)
                : .toggle(step, pass: pass, question: question, option: option)
        case ("m", 4):
            guard let step, let pass = numbers[0], let question = numbers[1] else { return nil }
            self = .submit(step, pass: pass, question: question)
        case ("p", 1):
            guard ["c", "a", "p"].contains(rest[0]) else { return nil }
            self = .buy(rest[0])
        case ("p", 3):
            guard rest[0] == "s", let step = StepReference(indexField: rest[1], hashField: rest[2]) else { return nil }
            self = .buyStep(step)
        case ("l", 1):
            guard Self.isLanguageCode(rest[0]) else { return nil }
            self = .language(rest[0])
        default: return nil
        }
    }

    static func isLanguageCode(_ code: String) -> Bool {
        (1...16).contains(code.utf8.count)
            && code.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }
    }

    static func field(_ number: Int) -> String { String(min(max(number, 0), maxNumber)) }

    /// A bounded, canonical decimal number (no sign, no leading zeros).
    static func number(_ field: String) -> Int? {
        guard (1...5).contains(field.utf8.count), field.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            field == "0" || field.utf8.first != 0x30, let value = Int(field), value <= maxNumber
        else { return nil }
        return value
    }
}

/// A step named on a button: its index when the button was drawn (a hint) and a short stable
/// hash of its id (the truth), so a button survives the course being reordered.
public struct StepReference: Sendable, Equatable {
    public var index: Int
    public var hash: String

    public init(index: Int, stepId: String) {
        self.index = min(max(index, 0), CallbackData.maxNumber)
        self.hash = Self.hash(of: stepId)
    }

    init?(indexField: String, hashField: String) {
        guard let index = CallbackData.number(indexField), hashField.utf8.count == 8,
            hashField.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else { return nil }
        self.index = index
        self.hash = hashField
    }

    var fields: [String] { [String(index), hash] }

    /// FNV-1a (32 bits) of the id in 8 lowercase hex digits: stable across runs and platforms.
    public static func hash(of stepId: String) -> String {
        var value: UInt32 = 2_166_136_261
        for byte in stepId.utf8 {
            value ^= UInt32(byte)
            value = value &* 16_777_619
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The step's position now, given the hashes of the course's step ids in order: the hinted
    /// index when its hash matches, else the first step hashing the same; nil when it is gone.
    public func resolve(in stepHashes: [String]) -> Int? {
        if stepHashes.indices.contains(index), stepHashes[index] == hash { return index }
        return stepHashes.firstIndex(of: hash)
    }
}
