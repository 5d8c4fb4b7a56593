import Foundation
import Testing
import GongbuTesting
import TelegramBotAPI
@testable import TelegramClient

@Suite struct MethodEncodingTests {
    static let markup = ReplyMarkup.inline([
        [.callback("Next", data: "v1:n:2"), .link("Site", url: "https://example.org")],
        [.webApp("Edit", url: "https://example.org/app")],
    ])

    /// Every method Gongbu sends, with every field it has set, so the whole encoding is checked.
    static let everyMethod: [any BotMethod] = [
        GetMe(),
        GetUpdates(offset: 5, limit: 100, timeout: 50, allowedUpdates: Update.handledKinds),
        DeleteWebhook(dropPendingUpdates: false),
        GetFile(fileId: "F1"),
        SetMyCommands(commands: [BotCommand(command: "start", description: "Start")],
                      scope: .chat(.id(5)), languageCode: "ru"),
        SetMyCommands(commands: [], scope: .allPrivateChats),
        SetMyName(name: "Swift Basics", languageCode: "en"),
        SetMyDescription(description: "Learn Swift", languageCode: "en"),
        SetMyShortDescription(shortDescription: "Swift", languageCode: "en"),
        SendChatAction(chatId: 5, action: "typing"),
        SendMessage(chatId: 5, messageThreadId: 1, text: "<b>Hi</b>", parseMode: .html,
                    entities: [MessageEntity(type: "bold", offset: 0, length: 2)],
                    linkPreviewOptions: .disabled, disableNotification: true, protectContent: true,
                    replyParameters: ReplyParameters(messageId: 3, chatId: 5, allowSendingWithoutReply: true),
                    replyMarkup: markup),
        SendMessage(chatId: .username("@course"), text: "x",
                    replyMarkup: .replyKeyboard(ReplyKeyboardMarkup(
                        keyboard: [[KeyboardButton(text: "A", requestContact: false)]], isPersistent: true,
                        resizeKeyboard: true, oneTimeKeyboard: true, inputFieldPlaceholder: "…", selective: false))),
        SendMessage(chatId: 5, text: "x", replyMarkup: .removeKeyboard(ReplyKeyboardRemove(selective: true))),
        SendMessage(chatId: 5, text: "x", replyMarkup: .forceReply(ForceReply(inputFieldPlaceholder: "why?"))),
        EditMessageText(chatId: 5, messageId: 9, text: "edited", parseMode: .html, linkPreviewOptions: .disabled,
                        replyMarkup: InlineKeyboardMarkup(inlineKeyboard: [[.callback("Retry", data: "r")]])),
        EditMessageText(chatId: nil, messageId: nil, inlineMessageId: "im", text: "inline"),
        EditMessageReplyMarkup(chatId: 5, messageId: 9, replyMarkup: InlineKeyboardMarkup(inlineKeyboard: [])),
        EditMessageCaption(chatId: 5, messageId: 9, caption: "c", parseMode: .html,
                           captionEntities: [MessageEntity(type: "text_link", offset: 0, length: 1, url: "https://e.org")]),
        DeleteMessage(chatId: 5, messageId: 9),
        AnswerCallbackQuery(callbackQueryId: "cq", text: "Saved", showAlert: false, url: nil, cacheTime: 0),
        SendPhoto(chatId: 5, photo: .fileId("AgAD"), caption: "c", parseMode: .html, showCaptionAboveMedia: true,
                  hasSpoiler: false, protectContent: true, replyMarkup: markup),
        SendPhoto(chatId: 5, photo: .upload(filename: "a.png", data: Data([1, 2]), mimeType: "image/png")),
        SendVideo(chatId: 5, video: .url("https://example.org/v.mp4"), duration: 3, width: 640, height: 480,
                  thumbnail: .upload(filename: "t.jpg", data: Data([3]), mimeType: "image/jpeg"), caption: "v",
                  parseMode: .html, supportsStreaming: true, replyMarkup: markup),
        SendDocument(chatId: 5, document: .fileId("BQAD"), caption: "d", parseMode: .html,
                     disableContentTypeDetection: true, replyMarkup: markup),
        SendAudio(chatId: 5, audio: .fileId("CQAD"), caption: "a", duration: 60, performer: "P", title: "T"),
        SendVoice(chatId: 5, voice: .fileId("AwAD"), caption: "v", duration: 4),
        SendInvoice(chatId: 5, title: "Swift Basics", description: "Whole course", payload: "course:swift-basics",
                    providerToken: "", prices: [LabeledPrice(label: "Course", amount: 250)], startParameter: "buy",
                    photoUrl: "https://example.org/p.png", protectContent: false,
                    replyMarkup: InlineKeyboardMarkup(inlineKeyboard: [[.payButton("Pay 250 ⭐")]])),
        CreateInvoiceLink(title: "Monthly", description: "Subscription", payload: "sub:swift-basics",
                          prices: [LabeledPrice(label: "Month", amount: 100)],
                          subscriptionPeriod: CreateInvoiceLink.thirtyDays),
        AnswerPreCheckoutQuery(preCheckoutQueryId: "pcq", ok: false, errorMessage: "Sold out"),
        RefundStarPayment(userId: 5, telegramPaymentChargeId: "tg-1"),
        SendPoll.quiz(chatId: 5, question: "Which keyword?", options: ["let", "var"], correct: [0],
                      explanation: "let is constant"),
        SendPoll(chatId: 5, question: "Q", options: [InputPollOption(text: "A", textParseMode: "HTML")],
                 isAnonymous: true, type: "regular", allowsMultipleAnswers: true, explanationParseMode: .html,
                 openPeriod: 60, isClosed: false, protectContent: true, replyMarkup: markup),
        StopPoll(chatId: 5, messageId: 9, replyMarkup: InlineKeyboardMarkup(inlineKeyboard: [])),
    ]

    @Test func everyMethodMatchesBotAPI101() throws {
        let spec = try BotAPISchema.load()
        for method in Self.everyMethod {
            let encoded = try method.encoded()
            let problems = try spec.problems(method: encoded.name, json: encoded.json)
            #expect(problems.isEmpty, "\(encoded.name): \(problems)")
        }
    }

    @Test func specCheckerCatchesWrongNamesAndTypes() throws {
        let spec = try BotAPISchema.load()
        let wrongName = try spec.problems(method: "sendMessage", json: Data(#"{"chat_id":1,"text":"x","parseMode":"HTML"}"#.utf8))
        #expect(wrongName == ["sendMessage.parseMode: not a field of Bot API 10.1"])
        let wrongType = try spec.problems(method: "deleteMessage", json: Data(#"{"chat_id":1,"message_id":"9"}"#.utf8))
        #expect(wrongType.count == 1)
        let missing = try spec.problems(method: "sendMessage", json: Data(#"{"chat_id":1}"#.utf8))
        #expect(missing == ["sendMessage: required field text missing"])
    }

    @Test func sendMessageEncodesSnakeCaseAndOmitsNils() throws {
        let encoded = try SendMessage(chatId: 42, text: "Hi", parseMode: .html, linkPreviewOptions: .disabled,
                                      replyMarkup: .inline([[.callback("Next", data: "n")]])).encoded()
        let json = String(decoding: encoded.json, as: UTF8.self)
        #expect(json == """
            {"chat_id":42,"link_preview_options":{"is_disabled":true},"parse_mode":"HTML",\
            "reply_markup":{"inline_keyboard":[[{"callback_data":"n","text":"Next"}]]},"text":"Hi"}
            """)
        #expect(!encoded.needsMultipart)
        #expect(SendMessage.name == "sendMessage")
    }

    @Test func chatIdEncodesIntegerOrString() throws {
        let byId = String(decoding: try DeleteMessage(chatId: 7, messageId: 1).encoded().json, as: UTF8.self)
        #expect(byId.contains(#""chat_id":7"#))
        let byName = String(decoding: try DeleteMessage(chatId: .username("@chan"), messageId: 1).encoded().json, as: UTF8.self)
        #expect(byName.contains(#""chat_id":"@chan""#))
    }

    @Test func uploadsBecomeAttachReferences() throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47])
        let encoded = try SendVideo(
            chatId: 5, video: .upload(filename: "intro.mp4", data: Data([9]), mimeType: "video/mp4"),
            thumbnail: .upload(filename: "t.png", data: png, mimeType: "image/png")).encoded()
        let json = String(decoding: encoded.json, as: UTF8.self)
        #expect(json.contains(#""video":"attach://video""#))
        #expect(json.contains(#""thumbnail":"attach://thumbnail""#))
        #expect(encoded.needsMultipart)
        #expect(encoded.uploads["thumbnail"] == FileUpload(filename: "t.png", data: png, mimeType: "image/png"))
        #expect(encoded.uploads["video"]?.filename == "intro.mp4")

        let byId = try SendPhoto(chatId: 5, photo: .fileId("AgAD")).encoded()
        #expect(byId.uploads.isEmpty)
        #expect(String(decoding: byId.json, as: UTF8.self).contains(#""photo":"AgAD""#))
    }

    @Test func methodsDecodeBackForTheEmulator() throws {
        let original = SendMessage(chatId: 5, text: "x", replyMarkup: .removeKeyboard(ReplyKeyboardRemove()))
        let decoded = try JSONDecoder().decode(SendMessage.self, from: try original.encoded().json)
        #expect(decoded == original)
        let photo = try JSONDecoder().decode(SendPhoto.self, from: Data(#"{"chat_id":"5","photo":"https://e.org/a.png"}"#.utf8))
        #expect(photo.photo == .url("https://e.org/a.png"))
        #expect(photo.chatId == .id(5))
    }
}
