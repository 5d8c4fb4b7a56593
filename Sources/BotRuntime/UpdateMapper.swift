import SceneEngine
import TelegramBotAPI

/// Turns a Telegram update into the `ChatEvent` scenes understand, or nil for an update Gongbu
/// does not act on (it is still marked processed so the offset moves on).
public enum UpdateMapper {
    public static func event(for update: Update) -> ChatEvent? {
        switch update.kind {
        case .message(let message):
            guard let from = message.from, let kind = kind(of: message) else { return nil }
            return ChatEvent(updateId: update.updateId, chatId: message.chat.id, user: chatUser(from), kind: kind, messageId: message.messageId)
        case .callbackQuery(let query):
            let chatId = query.message?.chat.id ?? query.from.id
            let messageId = query.message.map(\.messageId)
            return ChatEvent(
                updateId: update.updateId, chatId: chatId, user: chatUser(query.from),
                kind: .callback(queryId: query.id, data: query.data ?? "", messageId: messageId),
                pressed: query.message.flatMap(pressed))
        case .preCheckoutQuery(let query):
            let checkout = PreCheckout(queryId: query.id, currency: query.currency, totalAmount: query.totalAmount, payload: query.invoicePayload)
            return ChatEvent(updateId: update.updateId, chatId: query.from.id, user: chatUser(query.from), kind: .preCheckout(checkout))
        case .pollAnswer(let answer):
            guard let user = answer.user else { return nil }
            return ChatEvent(
                updateId: update.updateId, chatId: user.id, user: chatUser(user),
                kind: .pollAnswer(pollId: answer.pollId, optionIds: answer.optionIds))
        case .managedBot(let change):
            return ChatEvent(
                updateId: update.updateId, chatId: change.user.id, user: chatUser(change.user),
                kind: .managedBot(botId: change.bot.id, username: change.bot.username))
        default:
            return nil
        }
    }

    /// What a pressed message showed; nil when Telegram no longer gives its content.
    static func pressed(_ message: Message) -> PressedMessage? {
        guard message.isAccessible else { return nil }
        let data = (message.replyMarkup?.inlineKeyboard ?? []).flatMap { $0.compactMap(\.callbackData) }
        return PressedMessage(hasText: message.text != nil, callbackData: data)
    }

    static func chatUser(_ user: User) -> ChatUser {
        ChatUser(id: user.id, firstName: user.firstName, username: user.username, languageCode: user.languageCode)
    }

    static func kind(of message: Message) -> ChatEvent.Kind? {
        if let payment = message.successfulPayment {
            return .successfulPayment(Payment(
                currency: payment.currency, totalAmount: payment.totalAmount, payload: payment.invoicePayload,
                telegramChargeId: payment.telegramPaymentChargeId, providerChargeId: payment.providerPaymentChargeId,
                subscriptionExpiration: payment.subscriptionExpirationDate, isRecurring: payment.isRecurring ?? false,
                isFirstRecurring: payment.isFirstRecurring ?? false))
        }
        if let command = message.command {
            return .command(command.lowercased(), arguments: message.commandArgument ?? "")
        }
        if let text = message.text {
            return .text(text)
        }
        if let photo = message.photo?.max(by: { ($0.fileSize ?? $0.width * $0.height) < ($1.fileSize ?? $1.width * $1.height) }) {
            return .attachment(Attachment(kind: .photo, fileId: photo.fileId, fileUniqueId: photo.fileUniqueId, fileSize: photo.fileSize, mimeType: "image/jpeg", caption: message.caption))
        }
        if let document = message.document {
            return .attachment(Attachment(kind: .document, fileId: document.fileId, fileUniqueId: document.fileUniqueId, fileSize: document.fileSize, mimeType: document.mimeType, fileName: document.fileName, caption: message.caption))
        }
        if let video = message.video {
            return .attachment(Attachment(kind: .video, fileId: video.fileId, fileUniqueId: video.fileUniqueId, fileSize: video.fileSize, mimeType: video.mimeType, fileName: video.fileName, caption: message.caption))
        }
        if let audio = message.audio {
            return .attachment(Attachment(kind: .audio, fileId: audio.fileId, fileUniqueId: audio.fileUniqueId, fileSize: audio.fileSize, mimeType: audio.mimeType, fileName: audio.fileName, caption: message.caption))
        }
        if let voice = message.voice {
            return .attachment(Attachment(kind: .voice, fileId: voice.fileId, fileUniqueId: voice.fileUniqueId, fileSize: voice.fileSize, mimeType: voice.mimeType, caption: message.caption))
        }
        if let sticker = message.sticker {
            // Never a step or a submission, but it reaches the scene so the user is told what is accepted.
            return .attachment(Attachment(kind: .sticker, fileId: sticker.fileId, fileUniqueId: sticker.fileUniqueId, fileSize: sticker.fileSize, mimeType: sticker.mimeType))
        }
        return nil
    }
}
