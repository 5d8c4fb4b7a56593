import Foundation
import TelegramBotAPI

/// The one way Gongbu talks to a Bot API server, so the runtime can be given the real HTTP
/// client or any stand-in. Every method throws `BotAPIError` (or `CancellationError`).
public protocol BotAPIClient: Sendable {
    /// Sends a typed method and decodes its `result`.
    func call<M: BotMethod>(_ method: M) async throws -> M.Response

    /// Sends a method whose fields are already JSON (e.g. from the outbox) and returns the raw JSON of `result`.
    /// `timeout` nil means the client's default request timeout.
    func callRaw(method: String, json: Data, timeout: Duration?) async throws -> Data

    /// Downloads a file by the `file_path` that `getFile` returned.
    func downloadFile(path: String) async throws -> Data

    /// Long-polls for updates. Each element is decoded on its own: a malformed update comes back
    /// with its `update_id` and kind `.unknown`, so one bad update never fails the batch.
    func getUpdates(offset: Int64?, timeout: Int, limit: Int) async throws -> [Update]

    /// True when `interruptPolls()` ends an open `getUpdates` (it then throws `CancellationError`),
    /// so a worker can stop its poll without a task standing by to cancel it.
    var pollsAreInterruptible: Bool { get }

    /// Ends the open long poll, and every later one, with `CancellationError`: the worker is stopping.
    func interruptPolls()
}

extension BotAPIClient {
    /// By default a poll ends only by task cancellation.
    public var pollsAreInterruptible: Bool { false }

    public func interruptPolls() {}

    /// `callRaw` with the default timeout.
    public func callRaw(method: String, json: Data) async throws -> Data {
        try await callRaw(method: method, json: json, timeout: nil)
    }

    /// Checks the token: the bot's own user.
    public func getMe() async throws -> User {
        try await call(GetMe())
    }
}

/// Counts requests for metrics: called once per request with the method name and the outcome
/// (`ok` or `BotAPIError.outcome`, e.g. `too_many_requests`).
public typealias RequestObserver = @Sendable (_ method: String, _ outcome: String) -> Void
