import Foundation

/// Faults drawn at random for every call (429 with a random `retry_after`, 500/502, dropped
/// connections, slow answers), from a seeded generator so a run can be repeated.
///
/// Exists for the fault soak: `inject` queues a known number of faults, while a soak needs a
/// steady rain of them for minutes, on every bot, without knowing the calls in advance.
public struct RandomFaults: Sendable, Equatable {
    /// Seed of the generator (the same seed and the same calls give the same faults).
    public var seed: UInt64
    /// Chance of a 429 with `retry_after` drawn from `retryAfter` (seconds).
    public var tooManyRequests: Double
    public var retryAfter: ClosedRange<Int>
    /// Chance of a 500 or a 502 (half each).
    public var serverError: Double
    /// Chance the connection is closed without an answer (the call is not performed).
    public var dropConnection: Double
    /// Chance of a slow answer: a wait drawn from `slowAnswer` (milliseconds), then the real answer.
    public var slowAnswer: Double
    public var slowDelay: ClosedRange<Int>
    /// Only these methods (lowercased) get faults; nil: every method.
    public var methods: Set<String>?

    public init(
        seed: UInt64, tooManyRequests: Double = 0.05, retryAfter: ClosedRange<Int> = 1...3, serverError: Double = 0.04,
        dropConnection: Double = 0.03, slowAnswer: Double = 0.05, slowDelay: ClosedRange<Int> = 200...1500, methods: Set<String>? = nil
    ) {
        self.seed = seed
        self.tooManyRequests = tooManyRequests
        self.retryAfter = retryAfter
        self.serverError = serverError
        self.dropConnection = dropConnection
        self.slowAnswer = slowAnswer
        self.slowDelay = slowDelay
        self.methods = methods?.reduce(into: Set<String>()) { $0.insert($1.lowercased()) }
    }

    /// One call as it arrived (before any slow answer or long poll), for checks of timing
    /// such as "no call before the `retry_after` of a 429".
    public struct Arrival: Sendable, Equatable {
        public var token: String
        public var method: String
        public var chatId: Int64?
        public var date: Date
        /// The `retry_after` of the 429 this call was given, if it was.
        public var retryAfter: Int?
        /// The fault it was given, if any (`Fault` label).
        public var fault: String?

        public init(token: String, method: String, chatId: Int64?, date: Date, retryAfter: Int? = nil, fault: String? = nil) {
            self.token = token
            self.method = method
            self.chatId = chatId
            self.date = date
            self.retryAfter = retryAfter
            self.fault = fault
        }
    }

    /// Arrivals kept (a runaway soak must not grow memory without bound).
    static let maxArrivals = 2_000_000

    /// Counts of the faults given so far, by kind.
    public struct Tally: Sendable, Equatable, CustomStringConvertible {
        public var calls = 0
        public var tooManyRequests = 0
        public var serverErrors = 0
        public var droppedConnections = 0
        public var slowAnswers = 0

        public var description: String {
            "\(calls) calls drawn: \(tooManyRequests) × 429, \(serverErrors) × 500/502, \(droppedConnections) dropped, \(slowAnswers) slow"
        }
    }
}

/// The generator state and tally of the random faults switched on in an emulator.
struct RandomFaultState: Sendable {
    var plan: RandomFaults
    var generator: SplitMix64
    var tally = RandomFaults.Tally()

    init(_ plan: RandomFaults) {
        self.plan = plan
        self.generator = SplitMix64(seed: plan.seed)
    }

    var arrivals: [RandomFaults.Arrival] = []

    /// The fault for one call, or nil to answer it normally; the call's arrival is logged.
    mutating func draw(method: String, token: String, chatId: Int64?) -> Fault? {
        let fault = pick(method: method)
        if arrivals.count < RandomFaults.maxArrivals {
            var retryAfter: Int?
            if case .status(429, _, let seconds)? = fault { retryAfter = seconds }
            arrivals.append(RandomFaults.Arrival(
                token: token, method: method, chatId: chatId, date: Date(), retryAfter: retryAfter, fault: fault?.label))
        }
        return fault
    }

    private mutating func pick(method: String) -> Fault? {
        if let methods = plan.methods, !methods.contains(method.lowercased()) { return nil }
        tally.calls += 1
        var roll = generator.nextUnit()
        if roll < plan.tooManyRequests {
            tally.tooManyRequests += 1
            return .tooManyRequests(retryAfter: Int.random(in: plan.retryAfter, using: &generator))
        }
        roll -= plan.tooManyRequests
        if roll < plan.serverError {
            tally.serverErrors += 1
            return generator.next() % 2 == 0 ? .internalServerError : .badGateway
        }
        roll -= plan.serverError
        if roll < plan.dropConnection {
            tally.droppedConnections += 1
            return .dropConnection
        }
        roll -= plan.dropConnection
        if roll < plan.slowAnswer {
            tally.slowAnswers += 1
            return .delay(.milliseconds(Int.random(in: plan.slowDelay, using: &generator)))
        }
        return nil
    }
}

/// A small seeded generator (SplitMix64), so fault runs and crash loops repeat exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<1.
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

extension BotAPIEmulator {
    /// Switches random faults on for every call of every bot (after the queued `inject`ed
    /// ones), or off with nil.
    public func setRandomFaults(_ plan: RandomFaults?) {
        registry.withLock { $0.randomFaults = plan.map(RandomFaultState.init) }
    }

    /// Every call that arrived since random faults were switched on, oldest first.
    public var faultArrivals: [RandomFaults.Arrival] {
        registry.withLock { $0.randomFaults?.arrivals ?? [] }
    }

    /// The faults the random plan gave so far.
    public var randomFaultTally: RandomFaults.Tally {
        registry.withLock { $0.randomFaults?.tally ?? RandomFaults.Tally() }
    }
}
