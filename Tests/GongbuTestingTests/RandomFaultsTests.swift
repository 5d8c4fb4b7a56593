import Foundation
import GongbuTesting
import Testing

/// Random faults for the soak: every kind is given, the same seed gives the same faults, each
/// call's arrival (and its 429's retry_after) is logged, and switching them off stops them.
@Suite("Random faults")
struct RandomFaultsTests {
    /// The outcome of 200 getMe calls under a plan, one label per call.
    static func outcomes(seed: UInt64) async throws -> (labels: [String], emulator: BotAPIEmulator) {
        let emulator = BotAPIEmulator()
        try await emulator.start()
        emulator.addBot(token: alphaToken, username: "alpha_bot")
        emulator.setRandomFaults(RandomFaults(
            seed: seed, tooManyRequests: 0.2, retryAfter: 1...4, serverError: 0.2, dropConnection: 0.1, slowAnswer: 0.1, slowDelay: 1...5))
        let client = EmulatorClient(baseURL: emulator.baseURL)
        var labels: [String] = []
        for _ in 0..<200 {
            do {
                let answer = try await client.call(alphaToken, "getMe")
                labels.append(answer.ok ? "ok" : "\(answer.status) \(answer.json["parameters"]?["retry_after"]?.intValue ?? 0)")
            } catch {
                labels.append("dropped")
            }
        }
        return (labels, emulator)
    }

    @Test("every kind of fault is drawn, as often as asked, the same way for the same seed")
    func seeded() async throws {
        let (first, emulator) = try await Self.outcomes(seed: 7)
        let tally = emulator.randomFaultTally
        let arrivals = emulator.faultArrivals
        emulator.setRandomFaults(nil)
        let client = EmulatorClient(baseURL: emulator.baseURL)
        let calm = try await client.call(alphaToken, "getMe")
        await emulator.stop()
        let (again, other) = try await Self.outcomes(seed: 7)
        await other.stop()
        let (different, third) = try await Self.outcomes(seed: 8)
        await third.stop()

        #expect(first == again, "same seed, same faults")
        #expect(first != different, "another seed, other faults")
        #expect(tally.calls == 200)
        #expect(tally.tooManyRequests == first.filter { $0.hasPrefix("429") }.count)
        #expect(tally.serverErrors == first.filter { $0.hasPrefix("500") || $0.hasPrefix("502") }.count)
        #expect(tally.droppedConnections == first.filter { $0 == "dropped" }.count)
        #expect((20...60).contains(tally.tooManyRequests), "\(tally)")
        #expect((20...60).contains(tally.serverErrors), "\(tally)")
        #expect((5...40).contains(tally.droppedConnections), "\(tally)")
        #expect((5...40).contains(tally.slowAnswers), "\(tally)")
        #expect(first.contains { $0.hasPrefix("500") } && first.contains { $0.hasPrefix("502") })
        // Every 429 carries a retry_after from the range, and the arrival log has it.
        let retryAfters = first.filter { $0.hasPrefix("429") }.compactMap { Int($0.split(separator: " ").last ?? "") }
        #expect(retryAfters.allSatisfy { (1...4).contains($0) })
        #expect(arrivals.count == 200)
        #expect(arrivals.compactMap(\.retryAfter) == retryAfters)
        #expect(arrivals.map(\.date) == arrivals.map(\.date).sorted())
        #expect(calm.ok, "no fault once switched off")
    }
}
