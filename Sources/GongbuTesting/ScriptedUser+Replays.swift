import Foundation

/// What the crash loop needs beyond a student's ordinary actions: pressing a button of one
/// given message (a reviewer with many notifications), and Telegram delivering the same
/// `successful_payment` twice.
extension ScriptedUser {
    /// Presses the button labelled `label` on the bot message `messageId` (not the newest one).
    @discardableResult
    public func press(_ label: String, onMessage messageId: Int) throws -> PressedButton {
        let buttons = messages.first { $0.messageId == messageId }?.buttons.flatMap { $0 } ?? []
        guard let button = buttons.first(where: { $0.text == label }) else {
            throw ScriptedUserError.noSuchButton(label: label, available: buttons.map(\.text))
        }
        guard let data = button.callbackData else { throw ScriptedUserError.notACallbackButton(label: label) }
        return try press(messageId: messageId, callbackData: data)
    }

    /// Sends the `successful_payment` of `record` again, as a new message (Telegram redelivering
    /// a payment): the bot must credit it once.
    public func replaySuccessfulPayment(_ record: PaymentRecord) {
        let user = profile
        let payment: [String: JSONValue] = [
            "currency": .string(record.currency), "total_amount": .int(record.totalAmount),
            "invoice_payload": .string(record.invoicePayload),
            "telegram_payment_charge_id": .string(record.telegramPaymentChargeId),
            "provider_payment_charge_id": .string(record.providerPaymentChargeId),
        ]
        let (_, resumptions) = bot.state.withLock { $0.userMessage(user, content: ["successful_payment": .object(payment)]) }
        resumptions.forEach { $0() }
    }
}

extension ScriptedUser {
    /// Waits for a bot message in the chat, however old, that matches (unlike `waitForMessage`,
    /// which looks only at changes after the user's last action: a reviewer's notifications
    /// that came while it handled another one are still waiting).
    public func waitForAnyMessage(
        timeout: Duration = ScriptedUser.patience, matching predicate: @escaping @Sendable (ChatMessage) -> Bool
    ) async throws -> ChatMessage {
        let result = try await bot.wait(chatId: chatId, timeout: timeout) { state in
            state.chats[chatId]?.botMessages.lazy.map(\.chatMessage).first(where: predicate).map { .message($0) }
        } failure: { transcript in
            ScriptedUserError.timedOut(waitingFor: "a matching message", timeout: timeout, transcript: transcript)
        }
        guard case .message(let message) = result else { throw ScriptedUserError.unexpected }
        return message
    }
}
