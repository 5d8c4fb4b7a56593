import Foundation
import GongbuTesting
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("scale", .serialized)
struct ScaleTests {
    @Test("1,000 bots long-poll at once and every poll wakes on its update")
    func thousandPollers() async throws {
        try await withEmulator(EmulatorConfiguration(recordsCalls: false)) { emulator, client in
            let count = 1_000
            let tokens = (0..<count).map { "\(20_000 + $0):TEST-token-scale-\($0)" }
            let bots = tokens.map { emulator.addBot(token: $0, username: "scale\($0.prefix(5))_bot") }
            let users = bots.enumerated().map { index, bot in bot.user(id: Int64(9_000 + index), firstName: "U\(index)") }

            var connectionsAfterFirstRound = 0
            for round in 0..<2 {
                let results = Task {
                    try await withThrowingTaskGroup(of: String?.self) { group in
                        for token in tokens {
                            group.addTask {
                                let answer = try await client.call(token, "getUpdates", ["timeout": 30], timeout: .seconds(60))
                                return answer.result?[0]?["message"]?["text"]?.stringValue
                            }
                        }
                        var texts: [String] = []
                        for try await text in group { if let text { texts.append(text) } }
                        return texts
                    }
                }
                let parking = ContinuousClock.now
                try await waitUntil(timeout: .seconds(30)) { bots.allSatisfy(\.isPolling) }
                print("round \(round): \(count) polls parked in \(ContinuousClock.now - parking)")
                let started = ContinuousClock.now
                for user in users { user.send("round \(round)") }
                let texts = try await results.value
                #expect(texts.count == count)
                #expect(texts.allSatisfy { $0 == "round \(round)" })
                #expect(ContinuousClock.now - started < .seconds(15))
                print("round \(round): \(count) polls woke and answered in \(ContinuousClock.now - started)")
                // Confirm the delivered updates before the next round.
                _ = try await withThrowingTaskGroup(of: Void.self) { group in
                    for token in tokens {
                        group.addTask {
                            let last = try await client.call(token, "getUpdates", ["offset": -1]).result?[0]?["update_id"]?.intValue ?? 0
                            _ = try await client.call(token, "getUpdates", ["offset": .int(last + 1)])
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(bots.allSatisfy { $0.pendingUpdateCount == 0 })
                if round == 0 {
                    connectionsAfterFirstRound = emulator.acceptedConnectionCount
                    #expect(connectionsAfterFirstRound >= count)
                } else {
                    // HTTP/1.1 keep-alive: the second round reuses the first round's connections.
                    #expect(emulator.acceptedConnectionCount - connectionsAfterFirstRound < count / 10)
                }
            }
        }
    }

    @Test("one bot answering many chats sustains thousands of updates per second")
    func throughput() async throws {
        try await withEmulator(EmulatorConfiguration(rateLimits: nil, recordsCalls: false)) { emulator, client in
            let bot = emulator.addBot(token: alphaToken, username: "alpha_bot")
            let chats = 200
            let perChat = 25
            let users = (0..<chats).map { bot.user(id: Int64(100_000 + $0), firstName: "S\($0)") }
            // The "bot": polls and answers every message.
            let botTask = Task {
                var offset: Int64 = 0
                while !Task.isCancelled {
                    guard let answer = try? await client.call(alphaToken, "getUpdates", ["offset": .int(offset), "timeout": 10]) else { continue }
                    let updates = answer.result?.arrayValue ?? []
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for update in updates {
                            offset = max(offset, (update["update_id"]?.intValue ?? 0) + 1)
                            guard let chat = update["message"]?["chat"]?["id"] else { continue }
                            group.addTask { _ = try await client.call(alphaToken, "sendMessage", ["chat_id": chat, "text": "ok"]) }
                        }
                        try await group.waitForAll()
                    }
                }
            }
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for user in users {
                    group.addTask {
                        for index in 0..<perChat {
                            user.send("message \(index)")
                            try await user.waitForMessageCount(index + 1, timeout: .seconds(60))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - started
            botTask.cancel()
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Double(chats * perChat) / seconds
            print("emulator throughput: \(Int(rate)) updates/s (\(chats * perChat) round trips in \(seconds) s)")
            // A figure, not a pass mark (speed is measured in benchmarks, never in timed tests):
            // every round trip above completed, each reply counted in order.
        }
    }
}
