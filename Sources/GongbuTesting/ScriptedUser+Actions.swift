import Foundation

/// Button presses, payments and poll answers.
extension ScriptedUser {
    /// A callback query the user sent by pressing a button.
    public struct PressedButton: Sendable, Equatable {
        public var callbackQueryId: String
        public var messageId: Int
        public var data: String
    }

    /// How a payment attempt ended.
    public enum PaymentOutcome: Sendable, Equatable {
        /// The bot accepted the pre-checkout query; the successful_payment was sent.
        case paid(PaymentRecord)
        /// The bot answered ok=false.
        case refused(errorMessage: String?)
        /// The bot did not answer the pre-checkout query in time.
        case notAnswered
    }

    /// Presses the inline button labelled `label` on the newest message that has one,
    /// sending a callback_query with the button's data.
    @discardableResult
    public func press(_ label: String) throws -> PressedButton {
        let chatId = chatId
        let user = profile
        let botId = bot.id
        let (pressed, resumptions) = try bot.state.withLock { state throws -> (PressedButton, [() -> Void]) in
            let candidates = state.chats[chatId]?.botMessages ?? []
            var labels: [String] = []
            for message in candidates.reversed() {
                let buttons = message.chatMessage.buttons.flatMap { $0 }
                labels.append(contentsOf: buttons.map(\.text))
                guard let button = buttons.first(where: { $0.text == label }) else { continue }
                guard let data = button.callbackData else { throw ScriptedUserError.notACallbackButton(label: label) }
                let id = state.nextQueryId()
                state.callbacks[id] = CallbackRecord(chatId: chatId)
                state.markAction(chatId: chatId)
                let query: JSONValue = [
                    "id": .string(id), "from": user.json, "message": .object(message.json),
                    "chat_instance": .string(String(botId &* 31 &+ chatId)), "data": .string(data),
                ]
                return (PressedButton(callbackQueryId: id, messageId: message.id, data: data), state.enqueue(kind: "callback_query", query))
            }
            throw ScriptedUserError.noSuchButton(label: label, available: labels)
        }
        resumptions.forEach { $0() }
        return pressed
    }

    /// Presses a button and waits for the bot's answerCallbackQuery.
    public func press(_ label: String, waitingForAnswer timeout: Duration) async throws -> CallbackAnswer {
        try await waitForCallbackAnswer(press(label), timeout: timeout)
    }

    /// Waits until the bot answers the callback query of `pressed`.
    public func waitForCallbackAnswer(_ pressed: PressedButton, timeout: Duration = ScriptedUser.patience) async throws -> CallbackAnswer {
        let id = pressed.callbackQueryId
        let result = try await bot.wait(chatId: chatId, timeout: timeout) { state in
            state.callbacks[id]?.answer.map { .callbackAnswer($0) }
        } failure: { transcript in
            ScriptedUserError.timedOut(waitingFor: "answerCallbackQuery for \"\(pressed.data)\"", timeout: timeout, transcript: transcript)
        }
        guard case .callbackAnswer(let answer) = result else { throw ScriptedUserError.unexpected }
        return answer
    }

    /// Pays the newest invoice in the chat: pre_checkout_query, wait for the bot's answer,
    /// then successful_payment if it said ok.
    public func pay(timeout: Duration? = nil) async throws -> PaymentOutcome {
        let chatId = chatId
        let terms = try bot.state.withLock { state throws -> InvoiceTerms in
            guard let terms = state.chats[chatId]?.botMessages.last(where: { $0.invoice != nil })?.invoice else {
                throw ScriptedUserError.noInvoice
            }
            return terms
        }
        return try await pay(terms, timeout: timeout)
    }

    /// Pays an invoice link made by createInvoiceLink (subscriptions included).
    public func pay(invoiceLink link: String, timeout: Duration? = nil) async throws -> PaymentOutcome {
        guard let terms = bot.state.withLock({ $0.invoiceLinks[link] }) else { throw ScriptedUserError.unknownInvoiceLink }
        return try await pay(terms, timeout: timeout)
    }

    private func pay(_ terms: InvoiceTerms, timeout: Duration?) async throws -> PaymentOutcome {
        let chatId = chatId
        let user = profile
        let (queryId, resumptions) = bot.state.withLock { state -> (String, [() -> Void]) in
            let id = state.nextQueryId()
            state.preCheckouts[id] = PreCheckoutRecord(chatId: chatId, terms: terms)
            state.markAction(chatId: chatId)
            let query: JSONValue = [
                "id": .string(id), "from": user.json, "currency": .string(terms.currency),
                "total_amount": .int(terms.totalAmount), "invoice_payload": .string(terms.payload),
            ]
            return (id, state.enqueue(kind: "pre_checkout_query", query))
        }
        resumptions.forEach { $0() }
        let limit = timeout ?? bot.preCheckoutTimeout
        let answer: PreCheckoutAnswer
        do {
            let result = try await bot.wait(chatId: chatId, timeout: limit) { state in
                state.preCheckouts[queryId]?.answer.map { .preCheckout($0) }
            } failure: { transcript in
                ScriptedUserError.timedOut(waitingFor: "answerPreCheckoutQuery", timeout: limit, transcript: transcript)
            }
            guard case .preCheckout(let value) = result else { throw ScriptedUserError.unexpected }
            answer = value
        } catch ScriptedUserError.timedOut {
            return .notAnswered
        }
        guard answer.ok else { return .refused(errorMessage: answer.errorMessage) }
        let (record, paidResumptions) = bot.state.withLock { $0.chargePayment(user: user, terms: terms) }
        paidResumptions.forEach { $0() }
        return .paid(record)
    }

    /// Answers the newest open poll in the chat (poll_answer for non-anonymous polls).
    public func answerPoll(optionIds: [Int]) throws {
        let chatId = chatId
        let user = profile
        let resumptions = try bot.state.withLock { state throws -> [() -> Void] in
            guard let message = state.chats[chatId]?.botMessages.last(where: { $0.json["poll"]?["is_closed"] == false }),
                case .object(var poll)? = message.json["poll"], let pollId = poll["id"]?.stringValue,
                var options = poll["options"]?.arrayValue
            else { throw ScriptedUserError.noPoll }
            guard optionIds.allSatisfy({ options.indices.contains($0) }) else { throw ScriptedUserError.noPoll }
            for index in optionIds {
                options[index] = options[index].merging(["voter_count": .int((options[index]["voter_count"]?.intValue ?? 0) + 1)])
            }
            poll["options"] = .array(options)
            poll["total_voter_count"] = .int((poll["total_voter_count"]?.intValue ?? 0) + 1)
            var updated = message
            updated.json["poll"] = .object(poll)
            state.chats[chatId]?.messages[message.id] = updated
            state.markAction(chatId: chatId)
            if poll["is_anonymous"] == false {
                return state.enqueue(kind: "poll_answer", [
                    "poll_id": .string(pollId), "user": user.json,
                    "option_ids": .array(optionIds.map { .int(Int64($0)) }),
                    "option_persistent_ids": .array(optionIds.map { .string("\(pollId)-\($0)") }),
                ])
            }
            return state.enqueue(kind: "poll", .object(poll))
        }
        resumptions.forEach { $0() }
    }
}

extension BotState {
    /// Records a Stars charge and sends the successful_payment message.
    mutating func chargePayment(user: UserProfile, terms: InvoiceTerms) -> (PaymentRecord, [() -> Void]) {
        let number = payments.count + 1
        let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        let random = String((0..<16).map { _ in letters.randomElement()! })
        let now = Self.now
        let record = PaymentRecord(
            telegramPaymentChargeId: "stxEMU\(number)\(random)", providerPaymentChargeId: "\(user.id)_\(number)",
            userId: user.id, currency: terms.currency, totalAmount: terms.totalAmount, invoicePayload: terms.payload,
            subscriptionExpirationDate: terms.subscriptionPeriod.map { now + $0 }, date: Date(), refunded: false)
        payments.append(record)
        var payment: [String: JSONValue] = [
            "currency": .string(record.currency), "total_amount": .int(record.totalAmount),
            "invoice_payload": .string(record.invoicePayload),
            "telegram_payment_charge_id": .string(record.telegramPaymentChargeId),
            "provider_payment_charge_id": .string(record.providerPaymentChargeId),
        ]
        if let expiration = record.subscriptionExpirationDate {
            payment["subscription_expiration_date"] = .int(Int64(expiration))
            payment["is_recurring"] = true
            payment["is_first_recurring"] = true
        }
        let (_, resumptions) = userMessage(user, content: ["successful_payment": .object(payment)])
        return (record, resumptions)
    }
}

/// Why a scripted user could not do what the test asked.
public enum ScriptedUserError: Error, CustomStringConvertible, Equatable {
    case noSuchButton(label: String, available: [String])
    case notACallbackButton(label: String)
    case timedOut(waitingFor: String, timeout: Duration, transcript: [ChatMessage])
    case noInvoice
    case unknownInvoiceLink
    case noPoll
    case unexpected

    public var description: String {
        switch self {
        case .noSuchButton(let label, let available):
            return "no inline button \"\(label)\" in the chat; buttons available: "
                + (available.isEmpty ? "none" : available.map { "\"\($0)\"" }.joined(separator: ", "))
        case .notACallbackButton(let label):
            return "button \"\(label)\" has no callback_data (url or other button)"
        case .timedOut(let what, let timeout, let transcript):
            return "timed out after \(timeout) waiting for \(what); chat so far:\n"
                + (transcript.isEmpty ? "  (no bot messages)" : transcript.map { "  \($0)" }.joined(separator: "\n"))
        case .noInvoice: return "no invoice in the chat to pay"
        case .unknownInvoiceLink: return "unknown invoice link"
        case .noPoll: return "no open poll with those options in the chat"
        case .unexpected: return "unexpected wait result"
        }
    }
}
