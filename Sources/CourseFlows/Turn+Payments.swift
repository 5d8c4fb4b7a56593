import CourseModel
import SceneEngine
import TelegramBotAPI

/// Selling in a course bot (contract §4, §8 Prices): **Buy · 250 ⭐** buttons, invoices with an
/// authenticated payload, the pre-checkout check, crediting each `successful_payment` once (by
/// its charge id), refunds, `/paysupport` and `/terms`.
extension Turn {
    var payments: CoursePayments? { scene.payments }

    /// Whether this bot takes payments (a priced course with payments configured).
    var sells: Bool { payments != nil && course.price != .free }

    func buyButton(_ item: PurchaseItem, price: Int, _ words: Words) -> Button {
        let data: CallbackData = switch item {
        case .course: .buy("c")
        case .all: .buy("a")
        case .plan: .buy("p")
        case .step(let id): .buyStep(reference(course.index(of: id) ?? 0))
        }
        return button(words.plain(item == .all ? "button.buy_all" : "button.buy", ["price": String(price)]), data)
    }

    /// The buttons of the welcome card for a course on sale: Buy (paid, subscription) instead
    /// of Start, or Start plus "unlock everything" (freemium); nil when nothing is offered.
    func welcomeOffer(_ state: StudentState, _ words: Words, start: Button) -> [[Button]]? {
        guard payments != nil, !state.progress.ownsCourse else { return nil }
        switch course.price {
        case .paid(let amount): return [[buyButton(.course, price: amount, words)]]
        case .subscription(let amount, _): return [[buyButton(.plan, price: amount, words)]]
        case .freemium(let amount?): return [[start], [buyButton(.all, price: amount, words)]]
        case .freemium(nil), .free: return nil
        }
    }

    /// What the student is offered for a step closed by its price: the prompt and Buy buttons
    /// (nil when the step is not for sale, e.g. payments are not configured).
    func offer(_ index: Int, _ state: StudentState) -> [Effect]? {
        guard payments != nil else { return nil }
        let words = words(state)
        let step = steps[index]
        var rows: [[Button]] = []
        let text: String
        switch course.price {
        case .paid(let amount):
            text = words("payment.buy_prompt", ["price": String(amount)])
            rows.append([buyButton(.course, price: amount, words)])
        case .subscription(let amount, _):
            text = words("payment.subscribe_prompt", ["price": String(amount), "days": words.plain("days", count: 30)])
            rows.append([buyButton(.plan, price: amount, words)])
        case .freemium(let all):
            guard let price = PurchaseItem.step(step.id).price(in: course) else { return nil }
            text = words("payment.buy_step", ["price": String(price)])
            rows.append([buyButton(.step(step.id), price: price, words)])
            if let all { rows.append([buyButton(.all, price: all, words)]) }
        case .free:
            return nil
        }
        rows.append([button(words.plain("button.contents"), .contents)])
        return send("<b>\(TelegramHTML.escape(stepHeader(index, words)))</b>\n\n\(text)", buttons: rows)
    }

    /// A Buy press: the invoice, unless it is owned already or not for sale.
    func buy(_ item: PurchaseItem, state: inout StudentState) -> (String?, [Effect]) {
        let words = words(state)
        guard let payments, let price = item.price(in: course), item != .plan || payments.currency == "XTR" else {
            return (words.plain("error.stale_button"), [])
        }
        guard !item.isOwned(state.progress) else { return (words.plain("payment.already_paid"), []) }
        state.invoiceCounter += 1
        let nonce = String(state.invoiceCounter, radix: 36) + String(UInt64(max(event.updateId, 0)), radix: 36)
        let payload = InvoicePayload(item: item, userId: event.user.id, nonce: nonce)
            .encoded(slug: course.slug, signer: payments.signer)
        let description: String = switch item {
        case .step(let id):
            words.plain("payment.invoice_step_description", [
                "step": course.index(of: id).map { stepTitle($0, words) } ?? id, "course": course.title,
            ])
        case .plan:
            words.plain("payment.invoice_subscription_description", ["days": words.plain("days", count: 30), "course": course.title])
        case .course, .all:
            words.plain("payment.invoice_description", ["course": course.title])
        }
        let invoice = Invoice(
            title: Self.shorten(course.title, to: 32), description: Self.shorten(description, to: 255), payload: payload,
            currency: payments.currency, amount: price, label: Self.shorten(course.title, to: 32),
            subscriptionPeriod: item == .plan ? PurchaseItem.subscriptionPeriod : nil,
            providerToken: payments.providerToken.isEmpty ? nil : payments.providerToken)
        guard item == .plan else { return (nil, [.sendInvoice(invoice)]) }
        // Stars subscriptions are sold by invoice link: the runtime makes it and sends it on the button.
        let days = words.plain("days", count: 30)
        let message = OutgoingMessage(
            text: words("payment.subscribe_link", ["price": String(price), "days": days, "course": course.title]),
            buttons: [[Button(words.plain("button.pay_link", ["price": String(price)]), .pay)]])
        return (nil, [.sendInvoiceLink(invoice, message: message)])
    }

    /// ok only for a payload of this course, signed here, made for this student, at the current
    /// price and currency, for something not owned yet; otherwise a reason the student understands.
    func preCheckout(_ query: PreCheckout, state: StudentState) -> [Effect] {
        let words = words(state)
        func refuse(_ key: String) -> [Effect] {
            [.answerPreCheckout(queryId: query.queryId, ok: false, errorMessage: words.plain(key))]
        }
        guard scene.published, let payments else { return refuse("error.not_available") }
        guard let payload = InvoicePayload(decoding: query.payload, slug: course.slug, course: course, signer: payments.signer) else {
            return refuse("payment.refused_invalid")
        }
        guard payload.userId == event.user.id else { return refuse("payment.refused_other_user") }
        guard let price = payload.item.price(in: course) else { return refuse("payment.refused_not_for_sale") }
        guard price == query.totalAmount, query.currency == payments.currency else { return refuse("payment.refused_price") }
        guard !payload.item.isOwned(state.progress) else { return refuse("payment.already_paid") }
        return [.answerPreCheckout(queryId: query.queryId, ok: true, errorMessage: nil)]
    }

    /// Credits a payment once per charge id: recorded in the state (the runtime mirrors it to the
    /// course database and the platform ledger), access granted, the student thanked and taken on.
    func paymentReceived(_ payment: Payment, state: inout StudentState) -> [Effect] {
        guard state.purchases[payment.telegramChargeId] == nil else { return [] }
        let payload = payments.flatMap { InvoicePayload(decoding: payment.payload, slug: course.slug, course: course, signer: $0.signer) }
        let item = payload.flatMap { $0.userId == event.user.id ? $0.item : nil }
        state.purchases[payment.telegramChargeId] = Purchase(
            item: item?.code ?? "unknown", amount: payment.totalAmount, currency: payment.currency,
            providerChargeId: payment.providerChargeId, paidAt: now,
            expiresAt: payment.subscriptionExpiration.map(Double.init))
        state.recomputeOwnership(now: now)
        enroll(&state)
        let words = words(state)
        guard let item else { return notice(words.plain("payment.unmatched")) }
        if payment.isRecurring, !payment.isFirstRecurring, item == .plan {
            // A renewal: Telegram charged the next period; nothing to open that was not open.
            return send(words("payment.renewed", ["course": course.title]))
        }
        let thanks = send(words("payment.thanks"))
        if let stepId = item.stepId, let index = course.index(of: stepId), isUnlocked(index, state) {
            return thanks + open(index, state: &state)
        }
        if let next = UnlockRules.nextStepIndex(in: course, progress: state.progress) {
            return thanks + open(next, state: &state)
        }
        return thanks + contents(state)
    }

    /// A refund made from the manager bot: access withdrawn, the student told (once).
    func refunded(_ chargeId: String, state: inout StudentState) -> [Effect] {
        guard var purchase = state.purchases[chargeId], !purchase.refunded else { return [] }
        purchase.refunded = true
        state.purchases[chargeId] = purchase
        state.recomputeOwnership(now: now)
        return send(words(state)("payment.refunded"))
    }

    func paySupport(_ state: StudentState) -> [Effect] {
        guard sells else { return notice(words(state).plain("error.unknown_command")) }
        return send(words(state)("payment.paysupport"))
    }

    func terms(_ state: StudentState) -> [Effect] {
        guard sells else { return notice(words(state).plain("error.unknown_command")) }
        let words = words(state)
        if let url = payments?.termsURL, !url.isEmpty { return send(words("payment.terms", ["url": url])) }
        return send(words("payment.terms_no_url"))
    }
}
