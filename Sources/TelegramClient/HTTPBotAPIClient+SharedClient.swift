import AsyncHTTPClient
import NIOCore

extension HTTPBotAPIClient {
    /// A configuration for the one `HTTPClient` all bots share.
    ///
    /// async-http-client keeps at most 8 HTTP/1 connections per host by default, but every bot holds
    /// one connection in its long poll, so the limit must grow with the number of bots or sends would
    /// queue behind polls. (Over HTTPS the official server speaks HTTP/2 and multiplexes anyway.)
    public static func sharedClientConfiguration(bots: Int) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(90), concurrentHTTP1ConnectionsPerHostSoftLimit: max(16, bots * 2 + 8))
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10))
        configuration.redirectConfiguration = .disallow
        return configuration
    }
}
