import Foundation

/// Sending, editing and deleting messages, with Telegram's validation and flood limits.
extension BotState {
    static let textLimit = 4096
    static let captionLimit = 1024

    static var now: Int { Int(Date().timeIntervalSince1970) }

    /// The private chat named by `chat_id`; 400 if unknown, 403 if the user blocked the bot.
    func resolveChat(_ p: RequestParameters) throws(BotAPIError) -> Int64 {
        guard let raw = p["chat_id"], !(raw.stringValue ?? "").isEmpty else { throw .badRequest("chat_id is empty") }
        guard let id = raw.intValue, let chat = chats[id] else { throw .badRequest("chat not found") }
        if chat.blocked { throw .forbidden("bot was blocked by the user") }
        return id
    }

    /// Takes one message from the chat's and the bot's token buckets, or throws 429.
    mutating func takeFloodToken(chatId: Int64) throws(BotAPIError) {
        guard let limits = rateLimits else { return }
        let now = ContinuousClock.now
        var chatBucket = chats[chatId]?.bucket ?? TokenBucket(limit: limits.perChat, now: now)
        var bot = botBucket ?? TokenBucket(limit: limits.perBot, now: now)
        chatBucket.refill(now: now)
        bot.refill(now: now)
        let wait = max(chatBucket.secondsUntilAvailable(), bot.secondsUntilAvailable())
        if wait > 0 {
            chats[chatId]?.bucket = chatBucket
            botBucket = bot
            throw .tooManyRequests(retryAfter: max(1, Int(wait.rounded(.up))))
        }
        chatBucket.tokens -= 1
        bot.tokens -= 1
        chats[chatId]?.bucket = chatBucket
        botBucket = bot
    }

    /// Applies `parse_mode` to a text or caption and checks its length.
    func format(_ raw: String, parseMode: String?, entities: JSONValue?, isCaption: Bool) throws(BotAPIError) -> (String, [JSONValue]) {
        var text = raw
        var parsedEntities = entities?.structured?.arrayValue ?? []
        switch parseMode?.lowercased() {
        case nil, "":
            break
        case "html":
            switch TelegramHTML.parse(raw) {
            case .success(let parsed):
                text = parsed.text
                parsedEntities = parsed.entities
            case .failure(let error):
                throw .badRequest("can't parse entities: " + error.message)
            }
        case "markdown", "markdownv2":
            break
        default:
            throw .badRequest("unsupported parse_mode")
        }
        if !isCaption, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .badRequest("message text is empty")
        }
        if text.utf16.count > (isCaption ? Self.captionLimit : Self.textLimit) {
            throw .badRequest(isCaption ? "message caption is too long" : "message is too long")
        }
        return (text, parsedEntities)
    }

    /// Validates `reply_markup`; returns an inline keyboard to attach to the message, if any.
    func inlineKeyboard(_ p: RequestParameters) throws(BotAPIError) -> JSONValue? {
        guard let raw = p["reply_markup"] else { return nil }
        guard let markup = raw.structured, case .object(let members) = markup.withoutNulls else {
            throw .badRequest("can't parse reply keyboard markup JSON object")
        }
        guard let keyboard = members["inline_keyboard"], !keyboard.isNull else { return nil }
        guard let rows = keyboard.arrayValue else {
            throw .badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array")
        }
        var buttonCount = 0
        var normalizedRows: [JSONValue] = []
        for row in rows {
            guard let buttons = row.arrayValue else {
                throw .badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays")
            }
            var normalizedRow: [JSONValue] = []
            for rawButton in buttons {
                // Telegram ignores null fields and answers with the normalized markup.
                let button = JSONValue.object((rawButton.objectValue ?? [:]).filter { !$0.value.isNull })
                guard let text = button["text"]?.stringValue else {
                    throw .badRequest("can't parse inline keyboard button: Field \"text\" must be of type String")
                }
                if text.isEmpty { throw .badRequest("BUTTON_TEXT_INVALID") }
                let actions = ["callback_data", "url", "web_app", "login_url", "switch_inline_query",
                               "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                               "copy_text", "callback_game", "pay"]
                guard actions.contains(where: { button[$0] != nil }) else {
                    throw .badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
                }
                if let data = button["callback_data"] {
                    let bytes = data.stringValue?.utf8.count ?? 0
                    if bytes < 1 || bytes > 64 { throw .badRequest("BUTTON_DATA_INVALID") }
                }
                if let url = button["url"]?.stringValue {
                    let lower = url.lowercased()
                    guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("tg://"),
                        URL(string: url) != nil
                    else { throw .badRequest("BUTTON_URL_INVALID") }
                }
                buttonCount += 1
                normalizedRow.append(button)
            }
            normalizedRows.append(.array(normalizedRow))
        }
        return buttonCount == 0 ? nil : ["inline_keyboard": .array(normalizedRows)]
    }

    /// Appends a bot message to a chat and wakes scripted users waiting for it.
    mutating func appendBotMessage(chatId: Int64, content: [String: JSONValue], bot: EmulatedBot, p: RequestParameters,
                                   resumptions: inout [() -> Void], invoice: InvoiceTerms? = nil) throws(BotAPIError) -> JSONValue {
        guard var chat = chats[chatId] else { throw .badRequest("chat not found") }
        var json = content
        json["message_id"] = .int(Int64(chat.nextMessageId))
        json["from"] = bot.userJSON
        json["chat"] = chat.user.privateChatJSON
        json["date"] = .int(Int64(Self.now))
        let replyTo = p.structured("reply_parameters")?["message_id"]?.intValue ?? p.int("reply_to_message_id")
        if let replyTo {
            if let original = chat.messages[Int(replyTo)] {
                var quoted = original.json
                quoted["reply_to_message"] = nil
                json["reply_to_message"] = .object(quoted)
            } else if p.structured("reply_parameters")?["allow_sending_without_reply"]?.boolValue != true {
                throw .badRequest("message to be replied not found")
            }
        }
        var stored = StoredMessage(id: chat.nextMessageId, fromBot: true, json: json, changeSeq: nextChange())
        stored.invoice = invoice
        chat.messages[stored.id] = stored
        chat.order.append(stored.id)
        chat.nextMessageId += 1
        chats[chatId] = chat
        resumptions += satisfiedWaiters(chatId: chatId)
        return .object(json)
    }

    mutating func sendMessage(_ p: RequestParameters, bot: EmulatedBot, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        let chatId = try resolveChat(p)
        guard let raw = p.string("text") else { throw .badRequest("message text is empty") }
        let (text, entities) = try format(raw, parseMode: p.string("parse_mode"), entities: p["entities"], isCaption: false)
        let keyboard = try inlineKeyboard(p)
        let replyKeyboard = try replyKeyboardChange(p)
        try takeFloodToken(chatId: chatId)
        var content: [String: JSONValue] = ["text": .string(text)]
        if !entities.isEmpty { content["entities"] = .array(entities) }
        if let keyboard { content["reply_markup"] = keyboard }
        let message = try appendBotMessage(chatId: chatId, content: content, bot: bot, p: p, resumptions: &resumptions)
        if let replyKeyboard { chats[chatId]?.replyKeyboard = replyKeyboard.rows }
        return message
    }

    /// The bot's own message named by `chat_id` + `message_id`.
    func messageToEdit(_ p: RequestParameters) throws(BotAPIError) -> (Int64, StoredMessage) {
        if p["chat_id"] == nil, p["inline_message_id"] != nil { throw .badRequest("MESSAGE_ID_INVALID") }
        let chatId = try resolveChat(p)
        guard let messageId = p.int("message_id") else { throw .badRequest("message identifier is not specified") }
        guard let message = chats[chatId]?.messages[Int(messageId)] else { throw .badRequest("message to edit not found") }
        guard message.fromBot else { throw .badRequest("message can't be edited") }
        return (chatId, message)
    }

    static let notModified = BotAPIError.badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")

    mutating func storeEdit(chatId: Int64, _ message: StoredMessage, resumptions: inout [() -> Void]) -> JSONValue {
        var edited = message
        edited.json["edit_date"] = .int(Int64(Self.now))
        edited.changeSeq = nextChange()
        chats[chatId]?.messages[edited.id] = edited
        resumptions += satisfiedWaiters(chatId: chatId)
        return .object(edited.json)
    }

    mutating func editMessageText(_ p: RequestParameters, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        var (chatId, message) = try messageToEdit(p)
        guard let raw = p.string("text") else { throw .badRequest("message text is empty") }
        guard message.json["text"] != nil else { throw .badRequest("there is no text in the message to edit") }
        let (text, entities) = try format(raw, parseMode: p.string("parse_mode"), entities: p["entities"], isCaption: false)
        let keyboard = try inlineKeyboard(p)
        let newEntities: JSONValue? = entities.isEmpty ? nil : .array(entities)
        if message.json["text"] == .string(text), message.json["entities"] == newEntities, message.json["reply_markup"] == keyboard {
            throw Self.notModified
        }
        try takeFloodToken(chatId: chatId)
        message.json["text"] = .string(text)
        message.json["entities"] = newEntities
        message.json["reply_markup"] = keyboard
        return storeEdit(chatId: chatId, message, resumptions: &resumptions)
    }

    mutating func editMessageCaption(_ p: RequestParameters, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        var (chatId, message) = try messageToEdit(p)
        guard ChatMessage.Media.allCases.contains(where: { $0 != .poll && $0 != .invoice && message.json[$0.rawValue] != nil }) else {
            throw .badRequest("there is no caption in the message to edit")
        }
        let (caption, entities) = try format(p.string("caption") ?? "", parseMode: p.string("parse_mode"), entities: p["caption_entities"], isCaption: true)
        let keyboard = try inlineKeyboard(p)
        let newCaption: JSONValue? = caption.isEmpty ? nil : .string(caption)
        let newEntities: JSONValue? = entities.isEmpty ? nil : .array(entities)
        if message.json["caption"] == newCaption, message.json["caption_entities"] == newEntities, message.json["reply_markup"] == keyboard {
            throw Self.notModified
        }
        try takeFloodToken(chatId: chatId)
        message.json["caption"] = newCaption
        message.json["caption_entities"] = newEntities
        message.json["reply_markup"] = keyboard
        return storeEdit(chatId: chatId, message, resumptions: &resumptions)
    }

    mutating func editMessageReplyMarkup(_ p: RequestParameters, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        var (chatId, message) = try messageToEdit(p)
        let keyboard = try inlineKeyboard(p)
        if message.json["reply_markup"] == keyboard { throw Self.notModified }
        try takeFloodToken(chatId: chatId)
        message.json["reply_markup"] = keyboard
        return storeEdit(chatId: chatId, message, resumptions: &resumptions)
    }

    mutating func deleteMessage(_ p: RequestParameters, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        let chatId = try resolveChat(p)
        guard let messageId = p.int("message_id") else { throw .badRequest("message identifier is not specified") }
        guard chats[chatId]?.messages.removeValue(forKey: Int(messageId)) != nil else {
            throw .badRequest("message to delete not found")
        }
        chats[chatId]?.order.removeAll { $0 == Int(messageId) }
        _ = nextChange()
        resumptions += satisfiedWaiters(chatId: chatId)
        return true
    }

    mutating func sendChatAction(_ p: RequestParameters) throws(BotAPIError) -> JSONValue {
        _ = try resolveChat(p)
        let actions: Set<String> = ["typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
                                    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"]
        guard let action = p.string("action"), actions.contains(action) else {
            throw .badRequest("wrong parameter action in request")
        }
        return true
    }

    mutating func answerCallbackQuery(_ p: RequestParameters, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        guard let id = p.string("callback_query_id"), let record = callbacks[id], record.answer == nil else {
            throw .badRequest("query is too old and response timeout expired or query ID is invalid")
        }
        if let text = p.string("text"), text.count > 200 { throw .badRequest("MESSAGE_TOO_LONG") }
        callbacks[id]?.answer = CallbackAnswer(text: p.string("text"), showAlert: p.bool("show_alert"), url: p.string("url"))
        resumptions += satisfiedWaiters(chatId: record.chatId)
        return true
    }
}

