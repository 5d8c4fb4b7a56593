/// Polls and quizzes.
extension BotState {
    mutating func sendPoll(_ p: RequestParameters, bot: EmulatedBot, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        let chatId = try resolveChat(p)
        guard let question = p.string("question"), (1...300).contains(question.count) else {
            throw .badRequest("poll question must be non-empty")
        }
        let options = (p.structured("options")?.arrayValue ?? []).map { $0["text"]?.stringValue ?? $0.stringValue ?? "" }
        guard (1...12).contains(options.count) else { throw .badRequest("poll must have at least 1 option and at most 12 options") }
        guard options.allSatisfy({ (1...100).contains($0.count) }) else { throw .badRequest("poll options length must not exceed 100") }
        let type = p.string("type") ?? "regular"
        guard type == "regular" || type == "quiz" else { throw .badRequest("wrong poll type specified") }
        var correct: [Int64] = p.structured("correct_option_ids")?.arrayValue?.compactMap(\.intValue) ?? []
        if correct.isEmpty, let single = p.int("correct_option_id") { correct = [single] }
        if type == "quiz" {
            if correct.isEmpty { throw .badRequest("QUIZ_CORRECT_ANSWERS_EMPTY") }
            if correct.contains(where: { $0 < 0 || $0 >= Int64(options.count) }) { throw .badRequest("QUIZ_CORRECT_ANSWER_INVALID") }
        }
        if let explanation = p.string("explanation"), explanation.count > 200 { throw .badRequest("explanation is too long") }
        let keyboard = try inlineKeyboard(p)
        try takeFloodToken(chatId: chatId)
        let pollId = nextQueryId()
        var poll: [String: JSONValue] = [
            "id": .string(pollId), "question": .string(question),
            "options": .array(options.enumerated().map { index, text in
                ["persistent_id": .string("\(pollId)-\(index)"), "text": .string(text), "voter_count": 0]
            }),
            "total_voter_count": 0, "is_closed": .bool(p.bool("is_closed")),
            "is_anonymous": .bool(p["is_anonymous"]?.boolValue ?? true), "type": .string(type),
            "allows_multiple_answers": .bool(p.bool("allows_multiple_answers")),
            "allows_revoting": .bool(p["allows_revoting"]?.boolValue ?? (type != "quiz")), "members_only": false,
        ]
        if type == "quiz" { poll["correct_option_ids"] = .array(correct.map { .int($0) }) }
        if let explanation = p.string("explanation") { poll["explanation"] = .string(explanation) }
        var content: [String: JSONValue] = ["poll": .object(poll)]
        if let keyboard { content["reply_markup"] = keyboard }
        let message = try appendBotMessage(chatId: chatId, content: content, bot: bot, p: p, resumptions: &resumptions)
        polls[pollId] = PollRecord(chatId: chatId, messageId: Int(message["message_id"]?.intValue ?? 0), optionCount: options.count)
        return message
    }

    mutating func stopPoll(_ p: RequestParameters, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        let chatId = try resolveChat(p)
        guard let messageId = p.int("message_id"), var message = chats[chatId]?.messages[Int(messageId)],
            case .object(var poll)? = message.json["poll"]
        else { throw .badRequest("message with poll to stop not found") }
        if poll["is_closed"] == true { throw .badRequest("poll has already been closed") }
        let keyboard = try inlineKeyboard(p)
        try takeFloodToken(chatId: chatId)
        poll["is_closed"] = true
        message.json["poll"] = .object(poll)
        message.json["reply_markup"] = keyboard
        message.changeSeq = nextChange()
        chats[chatId]?.messages[message.id] = message
        resumptions += satisfiedWaiters(chatId: chatId)
        return .object(poll)
    }
}
