import Foundation
import Testing
import GongbuTesting
import TelegramBotAPI

/// Encodes fully populated wire types and checks them against Bot API 10.1, so the emulator
/// (which encodes these types) and Gongbu agree with the real server on names and JSON types.
@Suite struct WireTypeSpecTests {
    static let user = User(id: 7, isBot: false, firstName: "Ann", lastName: "Lee", username: "ann",
                           languageCode: "ko", isPremium: true, canJoinGroups: false,
                           canReadAllGroupMessages: false, supportsInlineQueries: false)
    static let chat = Chat(id: 7, type: "private", title: nil, username: "ann", firstName: "Ann", lastName: "Lee",
                           isForum: false)
    static let photo = PhotoSize(fileId: "p", fileUniqueId: "pu", width: 90, height: 90, fileSize: 100)
    static let entity = MessageEntity(type: "pre", offset: 0, length: 3, url: nil, user: user, language: "swift",
                                      customEmojiId: nil)
    static let poll = Poll(id: "poll", question: "Q", options: [PollOption(persistentId: "a", text: "A", voterCount: 1)],
                           totalVoterCount: 1, isClosed: true, isAnonymous: false, type: "quiz",
                           allowsMultipleAnswers: false, allowsRevoting: false, membersOnly: false,
                           correctOptionIds: [0], explanation: "E", openPeriod: 30, closeDate: 1_700_000_030)
    static let message = Message(
        messageId: 1, messageThreadId: 2, from: user, senderChat: chat, date: 1_700_000_000, chat: chat,
        editDate: 1_700_000_001, mediaGroupId: "g", text: "let", entities: [entity], caption: "c",
        captionEntities: [entity], photo: [photo],
        document: Document(fileId: "d", fileUniqueId: "du", thumbnail: photo, fileName: "a.pdf",
                           mimeType: "application/pdf", fileSize: 5),
        video: Video(fileId: "v", fileUniqueId: "vu", width: 1, height: 1, duration: 2, thumbnail: photo,
                     fileName: "v.mp4", mimeType: "video/mp4", fileSize: 9),
        audio: Audio(fileId: "a", fileUniqueId: "au", duration: 3, performer: "P", title: "T", fileName: "a.mp3",
                     mimeType: "audio/mpeg", fileSize: 4),
        voice: Voice(fileId: "o", fileUniqueId: "ou", duration: 1, mimeType: "audio/ogg", fileSize: 2),
        poll: poll,
        invoice: Invoice(title: "T", description: "D", startParameter: "s", currency: "XTR", totalAmount: 250),
        successfulPayment: SuccessfulPayment(
            currency: "XTR", totalAmount: 250, invoicePayload: "p", subscriptionExpirationDate: 1, isRecurring: true,
            isFirstRecurring: true, shippingOptionId: nil, telegramPaymentChargeId: "tg", providerPaymentChargeId: ""),
        refundedPayment: RefundedPayment(currency: "XTR", totalAmount: 250, invoicePayload: "p",
                                         telegramPaymentChargeId: "tg", providerPaymentChargeId: "pp"),
        webAppData: WebAppData(data: "{}", buttonText: "Open"),
        replyMarkup: InlineKeyboardMarkup(inlineKeyboard: [[
            InlineKeyboardButton(text: "Copy", copyText: CopyTextButton(text: "x"), style: "primary"),
            .payButton("Pay"),
        ]]),
        sticker: sticker)
    static let sticker = Sticker(
        fileId: "st", fileUniqueId: "stu", type: "regular", width: 512, height: 512, isAnimated: false, isVideo: false,
        thumbnail: photo, emoji: "👍", setName: "set", customEmojiId: "ce", needsRepainting: false, fileSize: 7)

    static let updates: [Update] = [
        Update(updateId: 1, kind: .message(message)),
        Update(updateId: 2, kind: .editedMessage(message)),
        Update(updateId: 3, kind: .callbackQuery(CallbackQuery(
            id: "cq", from: user, message: message, inlineMessageId: "im", chatInstance: "ci", data: "d",
            gameShortName: "g"))),
        Update(updateId: 4, kind: .preCheckoutQuery(PreCheckoutQuery(
            id: "pc", from: user, currency: "XTR", totalAmount: 5, invoicePayload: "p", shippingOptionId: "s"))),
        Update(updateId: 5, kind: .poll(poll)),
        Update(updateId: 6, kind: .pollAnswer(PollAnswer(pollId: "poll", voterChat: chat, user: user, optionIds: [0],
                                                        optionPersistentIds: ["a"]))),
        Update(updateId: 7, kind: .myChatMember(ChatMemberUpdated(
            chat: chat, from: user, date: 1, oldChatMember: ChatMember(status: "member", user: user),
            newChatMember: ChatMember(status: "kicked", user: user, untilDate: 0)))),
        Update(updateId: 8, kind: .managedBot(ManagedBotUpdated(user: user, bot: user))),
        Update(updateId: 9, kind: .unknown),
    ]

    @Test func updatesMatchBotAPI101() throws {
        let spec = try BotAPISchema.load()
        for update in Self.updates {
            let json = try JSONEncoder().encode(update)
            #expect(try spec.problems(type: "Update", json: json).isEmpty, "\(update.kindName)")
            #expect(try JSONDecoder().decode(Update.self, from: json) == update)
        }
    }

    @Test func otherResultTypesMatchBotAPI101() throws {
        let spec = try BotAPISchema.load()
        let file = try JSONEncoder().encode(File(fileId: "f", fileUniqueId: "fu", fileSize: 3, filePath: "docs/a.pdf"))
        #expect(try spec.problems(type: "File", json: file).isEmpty)
        let command = try JSONEncoder().encode(BotCommand(command: "start", description: "Start"))
        #expect(try spec.problems(type: "BotCommand", json: command).isEmpty)
        let keyboard = try JSONEncoder().encode(ReplyKeyboardMarkup(keyboard: [[KeyboardButton(
            text: "Hi", requestContact: true, requestLocation: false, webApp: WebAppInfo(url: "https://e.org"))]]))
        #expect(try spec.problems(type: "ReplyKeyboardMarkup", json: keyboard).isEmpty)
        let sticker = try JSONEncoder().encode(Self.sticker)
        #expect(try spec.problems(type: "Sticker", json: sticker).isEmpty)
        #expect(try JSONDecoder().decode(Sticker.self, from: sticker) == Self.sticker)
        // Only the optional fields may be left out.
        let bare = try JSONEncoder().encode(Sticker(fileId: "st", fileUniqueId: "stu", isAnimated: true))
        #expect(try spec.problems(type: "Sticker", json: bare).isEmpty)
        #expect(try JSONDecoder().decode(Sticker.self, from: bare).mimeType == "application/x-tgsticker")
        #expect(try !spec.problems(type: "Sticker", json: Data(#"{"file_id":"st","file_unique_id":"stu","type":"regular"}"#.utf8)).isEmpty)
        let bad = Data(#"{"file_id":"f","file_unique_id":"u","file_size":"3"}"#.utf8)
        #expect(try !spec.problems(type: "File", json: bad).isEmpty)
    }
}
