import Foundation
import GongbuTesting
import Testing

@Suite("getUpdates")
struct GetUpdatesTests {
    @Test("a long poll wakes as soon as an update arrives")
    func longPollWakes() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            let ann = bot.user(id: 501, firstName: "Ann")
            let started = ContinuousClock.now
            async let answer = client.call(alphaToken, "getUpdates", ["timeout": 60])
            try await waitUntil { bot.isPolling }
            ann.send("/start")
            let updates = try await answer
            // Woken by the update, not by its 60 s timeout (however slow a loaded machine is).
            #expect(ContinuousClock.now - started < .seconds(40))
            #expect(updates.ok)
            let message = try #require(updates.result?[0]?["message"])
            #expect(message["text"] == "/start")
            #expect(message["chat"]?["id"] == 501)
            #expect(message["entities"]?[0]?["type"] == "bot_command")
            #expect(message["entities"]?[0]?["length"] == 6)
        }
    }

    @Test("a long poll with nothing to deliver answers [] after its timeout")
    func longPollTimesOut() async throws {
        try await withEmulator { emulator, client in
            emulator.addBot(token: alphaToken, username: "alpha_bot")
            let started = ContinuousClock.now
            let answer = try await client.call(alphaToken, "getUpdates", ["timeout": 1])
            #expect(answer.result == [])
            #expect(ContinuousClock.now - started >= .milliseconds(900))
        }
    }

    @Test("offset confirms and forgets earlier updates; limit caps the batch")
    func offsetConfirms() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            let ann = bot.user(id: 501, firstName: "Ann")
            ann.send("one")
            ann.send("two")
            ann.send("three")
            let firstTwo = try await client.call(alphaToken, "getUpdates", ["limit": 2])
            let ids = (firstTwo.result?.arrayValue ?? []).compactMap { $0["update_id"]?.intValue }
            #expect(ids.count == 2)
            // Unconfirmed updates come again.
            let again = try await client.call(alphaToken, "getUpdates", [:])
            #expect(again.result?.arrayValue?.count == 3)
            // Confirm the first two.
            let rest = try await client.call(alphaToken, "getUpdates", ["offset": .int(ids[1] + 1)])
            #expect(rest.result?.arrayValue?.count == 1)
            #expect(rest.result?[0]?["message"]?["text"] == "three")
            #expect(bot.pendingUpdateCount == 1)
            let lastId = try #require(rest.result?[0]?["update_id"]?.intValue)
            let none = try await client.call(alphaToken, "getUpdates", ["offset": .int(lastId + 1)])
            #expect(none.result == [])
            #expect(bot.pendingUpdateCount == 0)
        }
    }

    @Test("form-encoded and query-string parameters work like JSON")
    func formAndQuery() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            bot.user(id: 501, firstName: "Ann").send("hello")
            let (status, data) = try await client.get("/bot\(alphaToken)/getUpdates?limit=1&timeout=0")
            #expect(status == 200)
            let json = try JSONValue.parse(data)
            #expect(json["result"]?[0]?["message"]?["text"] == "hello")
            let sent = try await client.callForm(alphaToken, "sendMessage", [("chat_id", "501"), ("text", "hi & bye")])
            #expect(sent.result?["text"] == "hi & bye")
        }
    }

    @Test("with rejectNewRequest a second getUpdates while one is waiting gets 409 Conflict")
    func concurrentPollConflicts() async throws {
        try await withEmulator(EmulatorConfiguration(conflictPolicy: .rejectNewRequest)) { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            async let first = client.call(alphaToken, "getUpdates", ["timeout": 20])
            try await waitUntil { bot.isPolling }
            let second = try await client.call(alphaToken, "getUpdates", ["timeout": 20])
            #expect(second.status == 409)
            #expect(second.errorCode == 409)
            #expect(second.description == "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
            bot.user(id: 7, firstName: "Bo").send("wake")
            #expect(try await first.ok)
        }
    }

    @Test("a poll whose client went away does not block the next one")
    func abandonedPollIsDropped() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            await #expect(throws: (any Error).self) {
                _ = try await client.call(alphaToken, "getUpdates", ["timeout": 20], timeout: .milliseconds(300))
            }
            try await waitUntil { !bot.isPolling }
            let next = try await client.call(alphaToken, "getUpdates", ["timeout": 0])
            #expect(next.status == 200)
        }
    }

    @Test("like Telegram (the default), the waiting poll gets 409 and the new one takes over")
    func terminateEarlierPolicy() async throws {
        #expect(EmulatorConfiguration().conflictPolicy == .terminateEarlierRequest)
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            async let first = client.call(alphaToken, "getUpdates", ["timeout": 20])
            try await waitUntil { bot.isPolling }
            async let second = client.call(alphaToken, "getUpdates", ["timeout": 20])
            let earlier = try await first
            #expect(earlier.status == 409)
            #expect(earlier.errorCode == 409)
            #expect(earlier.description == "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
            try await waitUntil { bot.isPolling }
            bot.user(id: 7, firstName: "Bo").send("wake")
            #expect(try await second.result?[0]?["message"]?["text"] == "wake")
        }
    }

    @Test("revoked and unknown tokens get 401, unknown methods 404")
    func authorization() async throws {
        try await withEmulator { emulator, client in
            emulator.addBot(token: alphaToken, username: "alpha_bot")
            let me = try await client.call(alphaToken, "getMe")
            #expect(me.result?["id"] == 1001)
            #expect(me.result?["is_bot"] == true)
            #expect(me.result?["username"] == "alpha_bot")
            let unknown = try await client.call(betaToken, "getMe")
            #expect(unknown.status == 401)
            #expect(unknown.json == ["ok": false, "error_code": 401, "description": "Unauthorized"])
            emulator.revoke(token: alphaToken)
            let revoked = try await client.call(alphaToken, "getMe")
            #expect(revoked.status == 401)
            #expect(revoked.description == "Unauthorized")
            emulator.addBot(token: betaToken, username: "beta_bot")
            let missing = try await client.call(betaToken, "sendTelepathy")
            #expect(missing.status == 404)
            #expect(missing.description == "Not Found")
        }
    }

    @Test("update ids keep growing across emulators, so a stored offset never hides new updates")
    func idsGrowAcrossEmulators() async throws {
        let token = "1009:TEST-token-restart"
        let first = try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: token, username: "restart_bot")
            bot.user(id: 5, firstName: "Eve").send("one")
            return try #require(try await client.call(token, "getUpdates").result?[0]?["update_id"]?.intValue)
        }
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: token, username: "restart_bot")
            bot.user(id: 5, firstName: "Eve").send("two")
            let answer = try await client.call(token, "getUpdates", ["offset": .int(first + 1)])
            #expect(answer.result?[0]?["message"]?["text"] == "two")
            #expect(try #require(answer.result?[0]?["update_id"]?.intValue) > first)
        }
    }

    @Test("a raw update's own update_id is honoured and later ids follow it")
    func rawUpdateIds() async throws {
        try await withEmulator { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            bot.enqueueRawUpdate(#"{"update_id": 9000000000, "message": {"message_id": "x"}}"#)
            bot.user(id: 5, firstName: "Eve").send("after")
            let answer = try await client.call(alphaToken, "getUpdates")
            #expect(answer.result?[0]?["update_id"] == 9_000_000_000)
            #expect(answer.result?[1]?["update_id"] == 9_000_000_001)
            let rest = try await client.call(alphaToken, "getUpdates", ["offset": 9_000_000_001])
            #expect(rest.result?[0]?["message"]?["text"] == "after")
        }
    }

    @Test("raw updates, even malformed, are delivered verbatim")
    func rawUpdates() async throws {
        try await withEmulator { emulator, client in
            emulator.addBot(token: alphaToken, username: "alpha_bot")
            try emulator.enqueueUpdate(token: alphaToken, json: ["something_new": ["x": 1]])
            let answer = try await client.call(alphaToken, "getUpdates")
            #expect(answer.result?[0]?["something_new"]?["x"] == 1)
            #expect(answer.result?[0]?["update_id"]?.intValue != nil)
        }
    }
}

/// Waits (briefly sleeping) until `condition` holds; for observing the emulator from tests.
func waitUntil(timeout: Duration = .seconds(60), _ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        if ContinuousClock.now > deadline { throw WaitTimeout() }
        try await Task.sleep(for: .milliseconds(10))
    }
}

struct WaitTimeout: Error {}
