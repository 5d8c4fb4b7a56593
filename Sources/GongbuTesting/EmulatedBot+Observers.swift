import Foundation

/// One message of a private chat as a chat window shows it: the user's own messages too, with
/// the full Message object (edits applied).
public struct ChatEntry: Sendable, Equatable {
    public var messageId: Int
    /// Sent by the bot (false: by the user).
    public var fromBot: Bool
    /// The Message object, edits applied.
    public var json: JSONValue
    /// The bot's change counter when the message was last created or edited: a larger value
    /// than last seen means the message is new or edited.
    public var changeSeq: Int

    /// The bot's view of the message (text, caption, media kind, inline buttons).
    public var chatMessage: ChatMessage { ChatMessage(messageId: messageId, json: json) }
}

/// A callback query of the chat the bot answered, with the answer (pop-up or alert text).
public struct AnsweredCallback: Sendable, Equatable {
    public var callbackQueryId: String
    public var answer: CallbackAnswer
}

/// Everything a chat window shows of one private chat, at one moment.
public struct ChatSnapshot: Sendable, Equatable {
    /// User and bot messages in the order they were sent (deleted ones removed).
    public var entries: [ChatEntry]
    /// The reply keyboard the bot shows, rows of KeyboardButton objects; nil when none.
    public var replyKeyboard: [[JSONValue]]?
    /// Answered callback queries of the chat, oldest first.
    public var callbackAnswers: [AnsweredCallback]
    /// Changes whenever anything above changes.
    public var version: ChatVersion
}

/// A cheap fingerprint of a chat's state, to wait for its next change.
public struct ChatVersion: Sendable, Equatable {
    var newestChange: Int
    var messageCount: Int
    var answeredCallbacks: Int
    var answeredPreCheckouts: Int
    var keyboardRows: Int
}

/// Watching a chat from outside, the way a Telegram client's chat window does: its whole
/// transcript (user messages included), reply keyboard and pop-up answers, and a wait for its
/// next change. Exists for the playground of `gongbu demo`, which streams chats to a browser.
extension EmulatedBot {
    /// The chat with `chatId` as a window shows it now (empty when the chat is unknown).
    public func snapshot(chatId: Int64) -> ChatSnapshot {
        state.withLock { $0.snapshot(chatId: chatId) }
    }

    /// Waits until the chat's version differs from `version` (a message sent, edited or deleted,
    /// a callback or pre-checkout query answered, the keyboard changed); nil after `timeout`.
    /// Changes the bot makes wake it at once; after a change made from outside (a user message),
    /// call `notifyObservers(chatId:)`.
    public func waitForChange(chatId: Int64, from version: ChatVersion, timeout: Duration) async -> ChatVersion? {
        do {
            _ = try await wait(chatId: chatId, timeout: timeout) { state in
                state.chatVersion(chatId: chatId) != version ? .messages([]) : nil
            } failure: { _ in
                EmulatorError.stopped
            }
            return state.withLock { $0.chatVersion(chatId: chatId) }
        } catch {
            return nil
        }
    }

    /// Wakes the waiters of a chat so they look at it again (after a user's message, which does
    /// not wake them by itself).
    public func notifyObservers(chatId: Int64) {
        let resumptions = state.withLock { $0.satisfiedWaiters(chatId: chatId) }
        resumptions.forEach { $0() }
    }

    /// A file the emulated server holds (uploaded by the bot or sent by a user), by file id.
    public func file(id: String) -> (data: Data, fileName: String?, mimeType: String?)? {
        state.withLock { state in state.files[id].map { ($0.data, $0.fileName, $0.mimeType) } }
    }

    /// The users with a private chat with this bot, by id.
    public var chatUserIds: [Int64] {
        state.withLock { Array($0.chats.keys).sorted() }
    }
}

extension BotState {
    func chatVersion(chatId: Int64) -> ChatVersion {
        guard let chat = chats[chatId] else {
            return ChatVersion(newestChange: 0, messageCount: 0, answeredCallbacks: 0, answeredPreCheckouts: 0, keyboardRows: -1)
        }
        return ChatVersion(
            newestChange: chat.messages.values.map(\.changeSeq).max() ?? 0,
            messageCount: chat.order.count,
            answeredCallbacks: callbacks.values.filter { $0.chatId == chatId && $0.answer != nil }.count,
            answeredPreCheckouts: preCheckouts.values.filter { $0.chatId == chatId && $0.answer != nil }.count,
            keyboardRows: chat.replyKeyboard?.count ?? -1)
    }

    func snapshot(chatId: Int64) -> ChatSnapshot {
        let chat = chats[chatId]
        let entries = (chat?.order ?? []).compactMap { id -> ChatEntry? in
            guard let message = chat?.messages[id] else { return nil }
            return ChatEntry(messageId: message.id, fromBot: message.fromBot, json: .object(message.json), changeSeq: message.changeSeq)
        }
        // Query ids are increasing numbers of the same width: their order is the order of the presses.
        let answered = callbacks.filter { $0.value.chatId == chatId && $0.value.answer != nil }
            .sorted { ($0.key.count, $0.key) < ($1.key.count, $1.key) }
            .map { AnsweredCallback(callbackQueryId: $0.key, answer: $0.value.answer!) }
        return ChatSnapshot(
            entries: entries, replyKeyboard: chat?.replyKeyboard, callbackAnswers: answered, version: chatVersion(chatId: chatId))
    }
}
