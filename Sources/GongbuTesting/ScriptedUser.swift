import Foundation

/// A Telegram user scripted by a test: sends texts, files, button presses, payments and
/// poll answers to one bot, and reads the chat the way the user would see it.
///
/// Exists so end-to-end tests read like conversations ("send /start, press Begin, expect
/// the first lesson") while the bot under test talks real HTTP to the emulator.
public struct ScriptedUser: Sendable {
    /// How long a wait for the bot lasts by default: long, since the whole suite runs in parallel
    /// on as few as two cores; a wait for something that never comes still fails, only later.
    public static let patience = Duration.seconds(60)

    public let bot: EmulatedBot
    let profile: UserProfile

    public var id: Int64 { profile.id }
    /// The private chat with the bot (same as the user id).
    public var chatId: Int64 { profile.id }
    public var firstName: String { profile.firstName }
    public var languageCode: String? { profile.languageCode }

    init(bot: EmulatedBot, profile: UserProfile) {
        self.bot = bot
        self.profile = profile
    }

    // MARK: Sending

    /// Sends a text; a leading "/command" gets a bot_command entity. Returns the message id.
    @discardableResult
    public func send(_ text: String) -> Int {
        var content: [String: JSONValue] = ["text": .string(text)]
        if text.hasPrefix("/") {
            let command = text.prefix { !$0.isWhitespace }
            content["entities"] = [["offset": 0, "length": .int(Int64(command.utf16.count)), "type": "bot_command"]]
        }
        return sendMessage(content)
    }

    /// Sends a photo (the bot gets a new file id it can download with getFile).
    @discardableResult
    public func sendPhoto(data: Data, caption: String? = nil) -> Int {
        sendFile(kind: .photo, data: data, fileName: nil, mimeType: "image/jpeg", caption: caption)
    }

    @discardableResult
    public func sendDocument(data: Data, fileName: String, mimeType: String, caption: String? = nil) -> Int {
        sendFile(kind: .document, data: data, fileName: fileName, mimeType: mimeType, caption: caption)
    }

    @discardableResult
    public func sendVoice(data: Data, caption: String? = nil) -> Int {
        sendFile(kind: .voice, data: data, fileName: nil, mimeType: "audio/ogg", caption: caption)
    }

    /// Sends a static WEBP sticker (the bot can download it with getFile); a sticker has no caption.
    @discardableResult
    public func sendSticker(emoji: String = "👍", data: Data = Data("RIFF-WEBP-sticker".utf8)) -> Int {
        let file = bot.state.withLock { $0.storeFile(kind: .document, data: data, fileName: "sticker.webp", mimeType: "image/webp") }
        let sticker: JSONValue = [
            "file_id": .string(file.fileId), "file_unique_id": .string(file.uniqueId), "type": "regular",
            "width": 512, "height": 512, "is_animated": false, "is_video": false, "emoji": .string(emoji),
            "set_name": "GongbuTestStickers", "file_size": .int(Int64(data.count)),
        ]
        return sendMessage(["sticker": sticker])
    }

    private func sendFile(kind: ChatMessage.Media, data: Data, fileName: String?, mimeType: String, caption: String?) -> Int {
        let file = bot.state.withLock { $0.storeFile(kind: kind, data: data, fileName: fileName, mimeType: mimeType) }
        var content: [String: JSONValue] = [kind.rawValue: BotState.mediaJSON(kind: kind, file: file)]
        if let caption { content["caption"] = .string(caption) }
        return sendMessage(content)
    }

    private func sendMessage(_ content: [String: JSONValue]) -> Int {
        let (messageId, resumptions) = bot.state.withLock { $0.userMessage(profile, content: content) }
        resumptions.forEach { $0() }
        return messageId
    }

    /// Blocks the bot: its sends to this chat answer 403 until `unblock()` or the user writes again.
    public func block() {
        bot.state.withLock { $0.chats[chatId]?.blocked = true }
    }

    public func unblock() {
        bot.state.withLock { $0.chats[chatId]?.blocked = false }
    }

    // MARK: Reading

    /// The bot's messages in this chat, oldest first, edits applied, deleted ones removed.
    public var messages: [ChatMessage] { bot.transcript(chatId: chatId) }

    public var lastMessage: ChatMessage? { messages.last }

    /// Waits for a bot message, created or edited since the user's last action, that matches.
    public func waitForMessage(
        timeout: Duration = ScriptedUser.patience,
        matching predicate: @escaping @Sendable (ChatMessage) -> Bool
    ) async throws -> ChatMessage {
        try await waitForMessage(description: "a matching message", timeout: timeout, predicate)
    }

    /// Waits for a bot message, created or edited since the user's last action, whose text
    /// or caption contains `text`.
    public func waitForMessage(containing text: String, timeout: Duration = ScriptedUser.patience) async throws -> ChatMessage {
        try await waitForMessage(description: "a message containing \"\(text)\"", timeout: timeout) { $0.body.contains(text) }
    }

    private func waitForMessage(description: String, timeout: Duration, _ predicate: @escaping @Sendable (ChatMessage) -> Bool)
        async throws -> ChatMessage
    {
        let chatId = chatId
        let since = bot.state.withLock { $0.chats[chatId]?.lastActionSeq ?? 0 }
        let result = try await bot.wait(chatId: chatId, timeout: timeout) { state in
            guard let chat = state.chats[chatId] else { return nil }
            for message in chat.botMessages where message.changeSeq > since {
                let snapshot = message.chatMessage
                if predicate(snapshot) { return .message(snapshot) }
            }
            return nil
        } failure: { transcript in
            ScriptedUserError.timedOut(waitingFor: description, timeout: timeout, transcript: transcript)
        }
        guard case .message(let message) = result else { throw ScriptedUserError.unexpected }
        return message
    }

    /// Waits until the chat holds at least `count` bot messages; returns them all.
    @discardableResult
    public func waitForMessageCount(_ count: Int, timeout: Duration = ScriptedUser.patience) async throws -> [ChatMessage] {
        let chatId = chatId
        let result = try await bot.wait(chatId: chatId, timeout: timeout) { state in
            guard let messages = state.chats[chatId]?.botMessages, messages.count >= count else { return nil }
            return .messages(messages.map(\.chatMessage))
        } failure: { transcript in
            ScriptedUserError.timedOut(waitingFor: "\(count) messages", timeout: timeout, transcript: transcript)
        }
        guard case .messages(let messages) = result else { throw ScriptedUserError.unexpected }
        return messages
    }
}

extension BotState {
    /// Stores a message the user sent and enqueues it for the bot.
    mutating func userMessage(_ user: UserProfile, content: [String: JSONValue]) -> (Int, [() -> Void]) {
        if chats[user.id] == nil { chats[user.id] = ChatState(user: user) }
        var chat = chats[user.id]!
        // Writing to a bot you blocked unblocks it first (Telegram's "Restart" button).
        chat.blocked = false
        var json = content
        json["message_id"] = .int(Int64(chat.nextMessageId))
        json["from"] = user.json
        json["chat"] = user.privateChatJSON
        json["date"] = .int(Int64(Self.now))
        chat.lastActionSeq = changeSeq
        let stored = StoredMessage(id: chat.nextMessageId, fromBot: false, json: json, changeSeq: nextChange())
        chat.messages[stored.id] = stored
        chat.order.append(stored.id)
        chat.nextMessageId += 1
        chats[user.id] = chat
        return (stored.id, enqueue(kind: "message", .object(json)))
    }

    /// Marks the user's latest action: later waits look only at changes after it.
    mutating func markAction(chatId: Int64) {
        chats[chatId]?.lastActionSeq = changeSeq
    }
}
