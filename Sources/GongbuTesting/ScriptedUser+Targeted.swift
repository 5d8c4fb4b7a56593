import Foundation

/// Acting on one particular message, as a person does in a Telegram client (a button of an
/// older message, the Pay button of one invoice), where the other actions take the newest one.
/// Exists for the playground of `gongbu demo`, whose chat windows show every message's buttons.
extension ScriptedUser {
    /// Presses the inline button with `callbackData` on the bot message `messageId`.
    @discardableResult
    public func press(messageId: Int, callbackData data: String) throws -> PressedButton {
        let chatId = chatId
        let user = profile
        let botId = bot.id
        let (pressed, resumptions) = try bot.state.withLock { state throws -> (PressedButton, [() -> Void]) in
            guard let message = state.chats[chatId]?.messages[messageId], message.fromBot else {
                throw ScriptedUserError.noSuchButton(label: data, available: [])
            }
            let buttons = message.chatMessage.buttons.flatMap { $0 }
            guard buttons.contains(where: { $0.callbackData == data }) else {
                throw ScriptedUserError.noSuchButton(label: data, available: buttons.compactMap(\.callbackData))
            }
            let id = state.nextQueryId()
            state.callbacks[id] = CallbackRecord(chatId: chatId)
            state.markAction(chatId: chatId)
            let query: JSONValue = [
                "id": .string(id), "from": user.json, "message": .object(message.json),
                "chat_instance": .string(String(botId &* 31 &+ chatId)), "data": .string(data),
            ]
            return (PressedButton(callbackQueryId: id, messageId: message.id, data: data), state.enqueue(kind: "callback_query", query))
        }
        resumptions.forEach { $0() }
        return pressed
    }

    /// Pays the invoice of bot message `messageId` (pre_checkout_query, the bot's answer, then
    /// successful_payment), like `pay()` does for the newest invoice.
    public func pay(messageId: Int, timeout: Duration? = nil) async throws -> PaymentOutcome {
        let chatId = chatId
        let link = try bot.state.withLock { state throws -> String in
            guard let terms = state.chats[chatId]?.messages[messageId]?.invoice else { throw ScriptedUserError.noInvoice }
            // Through the invoice-link path, which pays given terms; the link is private to this call.
            let link = "emulator-invoice:\(chatId):\(messageId):\(state.nextQueryId())"
            state.invoiceLinks[link] = terms
            return link
        }
        defer { bot.state.withLock { _ = $0.invoiceLinks.removeValue(forKey: link) } }
        return try await pay(invoiceLink: link, timeout: timeout)
    }
}
