import Foundation
import GongbuTesting

/// Turns the bot's messages, as the emulator stored them, into terminal text for
/// `gongbu preview`: plain text with its entities applied (ANSI styles on a terminal, nothing
/// when piped), media as `[photo: media/swift-logo.png]`, polls and invoices spelled out, and
/// inline buttons numbered so a creator can press them by typing the number.
struct PreviewRenderer: Sendable {
    /// Whether to style bold, italic, code and links with ANSI escapes (stdout is a terminal).
    var styled: Bool
    /// Uploaded file name → the path as written in course.yaml (`swift-logo.png` → `media/swift-logo.png`).
    var mediaPaths: [String: String] = [:]

    /// The message as lines, without its buttons; `fileNames` maps file ids to uploaded names.
    func body(of message: ChatMessage, fileNames: [String: String]) -> String {
        var lines: [String] = []
        if let media = message.media {
            switch media {
            case .poll:
                lines.append(contentsOf: pollLines(message.json["poll"]))
            case .invoice:
                lines.append(invoiceLine(message.json["invoice"]))
            default:
                lines.append(mediaLine(kind: media, json: message.json, fileNames: fileNames))
            }
        }
        if let text = message.text {
            lines.append(styledText(text, entities: message.json["entities"]))
        } else if let caption = message.caption {
            lines.append(styledText(caption, entities: message.json["caption_entities"]))
        }
        return lines.joined(separator: "\n")
    }

    /// `[1] Next ▶️  [2] 📋 Contents`, one line per keyboard row, numbered across rows.
    func buttonLines(of message: ChatMessage) -> [String] {
        var number = 0
        return message.buttons.map { row in
            row.map { button in
                number += 1
                let label = button.url.map { "\(button.text) 🔗 \($0)" } ?? button.text
                return "[\(number)] \(label)"
            }.joined(separator: "  ")
        }
    }

    // MARK: Media, polls, invoices

    func mediaLine(kind: ChatMessage.Media, json: JSONValue, fileNames: [String: String]) -> String {
        let object = json[kind.rawValue]
        let file = kind == .photo ? object?.arrayValue?.last : object
        let uploaded = file?["file_id"]?.stringValue.flatMap { fileNames[$0] } ?? file?["file_name"]?.stringValue
        guard let uploaded else { return "[\(kind.rawValue)]" }
        return "[\(kind.rawValue): \(mediaPaths[uploaded] ?? uploaded)]"
    }

    func pollLines(_ poll: JSONValue?) -> [String] {
        let isQuiz = poll?["type"]?.stringValue == "quiz"
        let question = poll?["question"]?.stringValue ?? ""
        var lines = ["📊 \(isQuiz ? "Quiz" : "Poll"): \(question)"]
        let options = poll?["options"]?.arrayValue ?? []
        for (index, option) in options.enumerated() {
            lines.append("  (\(index + 1)) \(option["text"]?.stringValue ?? "")")
        }
        if poll?["is_closed"]?.boolValue == true {
            lines.append("  (closed)")
        } else {
            lines.append(poll?["allows_multiple_answers"]?.boolValue == true ? "  answer with :poll N [M…]" : "  answer with :poll N")
        }
        return lines
    }

    /// What the student sees after answering: the choice, right or wrong for a quiz, the explanation.
    func pollAnswerLines(_ poll: JSONValue, chosen: [Int]) -> [String] {
        let options = (poll["options"]?.arrayValue ?? []).map { $0["text"]?.stringValue ?? "" }
        func named(_ indices: [Int]) -> String {
            indices.filter { options.indices.contains($0) }.map { "(\($0 + 1)) \(options[$0])" }.joined(separator: ", ")
        }
        var lines = ["🗳 You chose \(named(chosen))"]
        if poll["type"]?.stringValue == "quiz", let correct = poll["correct_option_ids"]?.arrayValue?.compactMap(\.intValue).map(Int.init) {
            lines.append(Set(correct) == Set(chosen) ? "✅ Right" : "❌ Wrong; the right answer: \(named(correct))")
        }
        if let explanation = poll["explanation"]?.stringValue, !explanation.isEmpty {
            lines.append("💡 \(explanation)")
        }
        return lines
    }

    func invoiceLine(_ invoice: JSONValue?) -> String {
        let title = invoice?["title"]?.stringValue ?? ""
        let amount = invoice?["total_amount"]?.intValue ?? 0
        let currency = invoice?["currency"]?.stringValue ?? ""
        let price = currency == "XTR" ? "\(amount) ⭐" : "\(amount) \(currency)"
        return "🧾 Invoice: \(title) · \(price) (pay with :pay)"
    }

    // MARK: Entities

    /// The text with its entities applied: ANSI styles when `styled`, and a link's URL after
    /// its text either way (the terminal cannot hide it behind the words).
    func styledText(_ text: String, entities: JSONValue?) -> String {
        let units = Array(text.utf16)
        // Per UTF-16 offset: the ANSI codes active there, and link URLs ending there.
        var codes = [[String]](repeating: [], count: units.count)
        var linkEnds: [Int: [String]] = [:]
        for entity in entities?.arrayValue ?? [] {
            guard let offset = entity["offset"]?.intValue.map(Int.init), let length = entity["length"]?.intValue.map(Int.init),
                offset >= 0, length > 0, offset + length <= units.count
            else { continue }
            if let code = Self.ansiCode(entity["type"]?.stringValue) {
                for index in offset..<(offset + length) where !codes[index].contains(code) { codes[index].append(code) }
            }
            if entity["type"]?.stringValue == "text_link", let url = entity["url"]?.stringValue {
                linkEnds[offset + length, default: []].append(url)
            }
        }
        if !styled { codes = codes.map { _ in [] } }
        guard codes.contains(where: { !$0.isEmpty }) || !linkEnds.isEmpty else { return text }
        var result: [UInt16] = []
        result.reserveCapacity(units.count)
        var active: [String] = []
        for index in 0...units.count {
            let wanted = index < units.count ? codes[index] : []
            let urls = linkEnds[index] ?? []
            if wanted != active || !urls.isEmpty {
                if !active.isEmpty { result.append(contentsOf: "\u{1B}[0m".utf16) }
                for url in urls { result.append(contentsOf: " <\(url)>".utf16) }
                if !wanted.isEmpty { result.append(contentsOf: "\u{1B}[\(wanted.joined(separator: ";"))m".utf16) }
                active = wanted
            }
            if index < units.count { result.append(units[index]) }
        }
        return String(decoding: result, as: UTF16.self)
    }

    /// The SGR code of an entity type, if it has a terminal style.
    static func ansiCode(_ type: String?) -> String? {
        switch type {
        case "bold": "1"
        case "italic": "3"
        case "underline", "text_link", "url": "4"
        case "strikethrough": "9"
        case "code", "pre": "36"
        case "spoiler": "2"
        default: nil
        }
    }
}
