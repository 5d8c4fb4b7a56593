import Foundation

/// Telegram Stars invoices, pre-checkout answers and refunds.
extension BotState {
    static let subscriptionPeriod = 2_592_000

    /// Reads and checks the terms shared by sendInvoice and createInvoiceLink.
    func invoiceTerms(_ p: RequestParameters, allowSubscription: Bool) throws(BotAPIError) -> InvoiceTerms {
        guard let title = p.string("title"), (1...32).contains(title.count) else { throw .badRequest("INVOICE_TITLE_INVALID") }
        guard let description = p.string("description"), (1...255).contains(description.count) else {
            throw .badRequest("INVOICE_DESCRIPTION_INVALID")
        }
        guard let payload = p.string("payload"), (1...128).contains(payload.utf8.count) else {
            throw .badRequest("INVOICE_PAYLOAD_INVALID")
        }
        guard let currency = p.string("currency"), !currency.isEmpty else { throw .badRequest("CURRENCY_INVALID") }
        let providerToken = p.string("provider_token") ?? ""
        if currency == "XTR" {
            if !providerToken.isEmpty { throw .badRequest("PAYMENT_PROVIDER_INVALID") }
        } else {
            throw .badRequest(providerToken.isEmpty ? "PAYMENT_PROVIDER_INVALID" : "CURRENCY_INVALID")
        }
        guard let prices = p.structured("prices")?.arrayValue, !prices.isEmpty else {
            throw .badRequest("can't parse prices JSON object")
        }
        var total: Int64 = 0
        for price in prices {
            guard price["label"]?.stringValue != nil, let amount = price["amount"]?.intValue else {
                throw .badRequest("can't parse prices JSON object")
            }
            total += amount
        }
        if prices.count != 1 { throw .badRequest("STARS_INVOICE_INVALID") }
        if total <= 0 || total > 100_000 { throw .badRequest("CURRENCY_TOTAL_AMOUNT_INVALID") }
        var period: Int?
        if let raw = p.int("subscription_period") {
            guard allowSubscription else { throw .badRequest("SUBSCRIPTION_PERIOD_INVALID") }
            guard raw == Int64(Self.subscriptionPeriod) else { throw .badRequest("SUBSCRIPTION_PERIOD_INVALID") }
            if total > 10_000 { throw .badRequest("SUBSCRIPTION_PRICE_INVALID") }
            period = Int(raw)
        }
        return InvoiceTerms(title: title, description: description, payload: payload, currency: currency,
                            totalAmount: total, subscriptionPeriod: period)
    }

    mutating func sendInvoice(_ p: RequestParameters, bot: EmulatedBot, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        let chatId = try resolveChat(p)
        let terms = try invoiceTerms(p, allowSubscription: false)
        let keyboard = try inlineKeyboard(p)
        try takeFloodToken(chatId: chatId)
        var content: [String: JSONValue] = [
            "invoice": [
                "title": .string(terms.title), "description": .string(terms.description),
                "start_parameter": .string(p.string("start_parameter") ?? ""), "currency": .string(terms.currency),
                "total_amount": .int(terms.totalAmount),
            ],
        ]
        if let keyboard { content["reply_markup"] = keyboard }
        return try appendBotMessage(chatId: chatId, content: content, bot: bot, p: p, resumptions: &resumptions, invoice: terms)
    }

    mutating func createInvoiceLink(_ p: RequestParameters) throws(BotAPIError) -> JSONValue {
        let terms = try invoiceTerms(p, allowSubscription: true)
        let link = "https://t.me/$EMU\(nextQueryId())"
        invoiceLinks[link] = terms
        return .string(link)
    }

    mutating func answerPreCheckoutQuery(_ p: RequestParameters, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        guard let id = p.string("pre_checkout_query_id"), let record = preCheckouts[id], record.answer == nil else {
            throw .badRequest("QUERY_ID_INVALID")
        }
        guard let ok = p["ok"]?.boolValue else { throw .badRequest("parameter \"ok\" is required") }
        let message = p.string("error_message")
        if !ok, (message ?? "").isEmpty { throw .badRequest("ERROR_MESSAGE_EMPTY") }
        preCheckouts[id]?.answer = PreCheckoutAnswer(ok: ok, errorMessage: message)
        resumptions += satisfiedWaiters(chatId: record.chatId)
        return true
    }

    mutating func refundStarPayment(_ p: RequestParameters, resumptions: inout [() -> Void]) throws(BotAPIError) -> JSONValue {
        guard let userId = p.int("user_id") else { throw .badRequest("USER_ID_INVALID") }
        guard let chargeId = p.string("telegram_payment_charge_id"),
            let index = payments.firstIndex(where: { $0.telegramPaymentChargeId == chargeId && $0.userId == userId })
        else { throw .badRequest("CHARGE_NOT_FOUND") }
        if payments[index].refunded { throw .badRequest("CHARGE_ALREADY_REFUNDED") }
        payments[index].refunded = true
        let payment = payments[index]
        if var chat = chats[userId] {
            let message: JSONValue = [
                "message_id": .int(Int64(chat.nextMessageId)), "from": chat.user.json, "chat": chat.user.privateChatJSON,
                "date": .int(Int64(Self.now)),
                "refunded_payment": [
                    "currency": .string(payment.currency), "total_amount": .int(payment.totalAmount),
                    "invoice_payload": .string(payment.invoicePayload),
                    "telegram_payment_charge_id": .string(payment.telegramPaymentChargeId),
                    "provider_payment_charge_id": .string(payment.providerPaymentChargeId),
                ],
            ]
            chat.nextMessageId += 1
            chats[userId] = chat
            resumptions += enqueue(kind: "message", message)
        }
        return true
    }
}
