import Foundation
import Testing
@testable import TelegramBotAPI

/// Mini App init data and Login Widget fields, checked against hashes computed outside Swift
/// (Python's hmac/hashlib, by Telegram's documented rules) so a wrong key derivation fails.
@Suite struct TelegramSignInTests {
    let token = "123456:ABCdefGhIJKlmNoPQRsTUVwxyZ0123456789"
    let user = TelegramSignIn.SignedUser(id: 42, firstName: "Anna", username: "anna", authDate: 1_764_547_200)

    @Test func initDataHashMatchesTelegramsRule() throws {
        let initData = TelegramSignIn.makeInitData(user: user, token: token)
        #expect(initData.contains("hash=bcc8a70b22b0d7ef035dea5d65cccfd7cbc981a6a48d36f88f1d89159537b96c"))
        #expect(initData.contains("user=%7B%22first_name%22%3A%22Anna%22%2C%22id%22%3A42%2C%22username%22%3A%22anna%22%7D"))
        let signed = try TelegramSignIn.verifyInitData(initData, token: token, now: 1_764_547_200 + 3600)
        #expect(signed == user)
    }

    @Test func initDataIsRefusedWhenForgedStaleOrSignedByAnotherBot() {
        let initData = TelegramSignIn.makeInitData(user: user, token: token)
        #expect(throws: TelegramSignIn.Refusal.badHash) {
            try TelegramSignIn.verifyInitData(initData.replacingOccurrences(of: "%3A42", with: "%3A43"), token: token, now: 1_764_547_300)
        }
        #expect(throws: TelegramSignIn.Refusal.badHash) {
            try TelegramSignIn.verifyInitData(initData, token: "654321:ABCdefGhIJKlmNoPQRsTUVwxyZ0123456789", now: 1_764_547_300)
        }
        #expect(throws: TelegramSignIn.Refusal.expired) {
            try TelegramSignIn.verifyInitData(initData, token: token, now: 1_764_547_200 + 86_401)
        }
        #expect(throws: TelegramSignIn.Refusal.malformed("no hash")) {
            try TelegramSignIn.verifyInitData("auth_date=1764547200", token: token, now: 1_764_547_300)
        }
    }

    @Test func widgetHashMatchesTelegramsRule() throws {
        let fields = TelegramSignIn.makeWidget(user: user, token: token)
        #expect(fields["hash"] == "8c0dc15ad441db70c6e23b94da81dde4d821c8dab7bb94cd064d0d4277815875")
        #expect(try TelegramSignIn.verifyWidget(fields, token: token, now: 1_764_547_260) == user)
        var forged = fields
        forged["id"] = "1"
        #expect(throws: TelegramSignIn.Refusal.badHash) { try TelegramSignIn.verifyWidget(forged, token: token, now: 1_764_547_260) }
    }
}
