import Foundation
import Testing
import TelegramBotAPI

@Suite struct BotTokenTests {
    let token = BotToken("1001:TEST-token-alpha")

    @Test func printsOnlyTheBotId() {
        #expect(token.description == "1001:***")
        #expect("\(token)" == "1001:***")
        #expect(String(reflecting: token) == "BotToken(1001:***)")
        #expect(token.botId == 1001)
        #expect(token.isWellFormed)
    }

    @Test func dumpHidesTheSecret() {
        var dumped = ""
        dump(token, to: &dumped)
        #expect(!dumped.contains("TEST-token-alpha"))
        #expect(dumped.contains("1001:***"))
        let inArray = "\([token])"
        #expect(!inArray.contains("TEST-token-alpha"))
    }

    @Test func tokenWithoutIdPrintsStars() {
        let odd = BotToken("not-a-token")
        #expect(odd.description == "***")
        #expect(odd.botId == nil)
        #expect(!odd.isWellFormed)
        #expect(!BotToken("1001:").isWellFormed)
    }

    @Test func trimsWhitespace() {
        #expect(BotToken("  1001:TEST-token-alpha\n") == token)
    }

    @Test func redactsEveryOccurrenceAndEncodedForms() {
        let text = """
            GET http://127.0.0.1:9/bot1001:TEST-token-alpha/getMe failed; \
            again 1001:TEST-token-alpha; encoded /bot1001%3ATEST-token-alpha/x and 1001%3atest-token-alpha
            """
        let redacted = token.redact(text)
        #expect(!redacted.contains("TEST-token-alpha"))
        #expect(!redacted.lowercased().contains("test-token-alpha"))
        #expect(redacted.components(separatedBy: "1001:***").count == 5)
        #expect(BotToken.redact(text, token: "1001:TEST-token-alpha") == redacted)
    }

    @Test func redactLeavesOtherTextAlone() {
        #expect(token.redact("nothing secret here") == "nothing secret here")
        #expect(BotToken.redact("abc", token: "") == "abc")
    }
}

@Suite struct TextLimitsTests {
    @Test func limitsMatchTelegram() {
        #expect(TextLimits.messageText == 4096)
        #expect(TextLimits.caption == 1024)
        #expect(TextLimits.callbackDataBytes == 64)
        #expect(TextLimits.invoicePayloadBytes == 128)
    }

    @Test func callbackDataCountsBytesNotCharacters() {
        #expect(TextLimits.fitsCallbackData(String(repeating: "a", count: 64)))
        #expect(!TextLimits.fitsCallbackData(String(repeating: "a", count: 65)))
        // 22 Cyrillic letters are 44 bytes; 33 are 66 bytes.
        #expect(TextLimits.fitsCallbackData(String(repeating: "ж", count: 32)))
        #expect(!TextLimits.fitsCallbackData(String(repeating: "ж", count: 33)))
        #expect(TextLimits.fitsInvoicePayload(String(repeating: "x", count: 128)))
        #expect(!TextLimits.fitsInvoicePayload(String(repeating: "x", count: 129)))
    }
}
