import Metrics

/// The metrics the contract promises on `/metrics` (PRODUCT.md §7), named in one place and
/// registered at zero when the process starts, so a scrape lists every one of them before the
/// first update, request, payment or course (a dashboard reads 0, not a missing series).
public enum ContractMetrics {
    public static let httpRequests = "http_requests_total"
    public static let httpRequestDuration = "http_request_duration_seconds"
    public static let coursesCreated = "courses_created_total"
    public static let paymentsProcessed = "payments_processed_total"
    public static let updates = "gongbu_updates_total"
    public static let updateDuration = "gongbu_update_duration_seconds"
    public static let telegramRequests = "gongbu_telegram_requests_total"

    /// Every contract metric, in the contract's order.
    public static let names = [
        httpRequests, httpRequestDuration, coursesCreated, paymentsProcessed, updates, updateDuration, telegramRequests,
    ]

    /// The routes whose HTTP series are registered at zero (labelled by route template, never raw path).
    public static let routes = ["/healthz", "/metrics"]

    /// Registers every contract metric at zero: the unlabelled counters, the HTTP routes, and for
    /// each bot the series its worker and its Bot API client count into, labelled as they label
    /// them (the username when known, else `123456:***`; never the token).
    public static func registerAtZero(bots: [BotIdentity]) {
        Counter(label: coursesCreated).increment(by: 0)
        Counter(label: paymentsProcessed).increment(by: 0)
        for route in routes {
            Counter(label: httpRequests, dimensions: [("method", "GET"), ("route", route), ("status", "200")]).increment(by: 0)
            _ = Timer(label: httpRequestDuration, dimensions: [("method", "GET"), ("route", route)], preferredDisplayUnit: .seconds)
        }
        for bot in bots {
            Counter(label: updates, dimensions: [("bot", bot.label)]).increment(by: 0)
            _ = Timer(label: updateDuration, dimensions: [("bot", bot.label)], preferredDisplayUnit: .seconds)
            let client = bot.token.redacted
            Counter(label: telegramRequests, dimensions: [("bot", client), ("method", "getUpdates"), ("outcome", "ok")]).increment(by: 0)
        }
    }

    /// Counts one course created (built in the manager bot or over HTTP) while the process runs.
    public static func courseCreated() {
        Counter(label: coursesCreated).increment()
    }

    /// Starts `courses_created_total` at the courses this install created before the process
    /// started (built in the manager bot, over HTTP, or brought in by `gongbu import`, which runs
    /// as its own process): the platform database keeps them, so the total survives restarts.
    static func coursesCreatedBefore(_ count: Int) {
        Counter(label: coursesCreated).increment(by: Int64(count))
    }
}
