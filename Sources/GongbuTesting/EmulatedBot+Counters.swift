import Foundation

/// Counters the benchmark reads while a run is under way.
extension EmulatedBot {
    /// Successful calls that Telegram's flood limits count (messages sent or edited, polls,
    /// invoices), from the call log: the benchmark's "sends". Needs `recordsCalls`.
    public var floodLimitedCallCount: Int {
        state.withLock { state in
            state.calls.reduce(0) { count, call in
                guard call.succeeded else { return count }
                let method = call.method.lowercased()
                let limited = (method.hasPrefix("send") && method != "sendchataction") || method.hasPrefix("edit")
                return limited ? count + 1 : count
            }
        }
    }
}
