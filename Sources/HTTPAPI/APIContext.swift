import Hummingbird
import NIOCore

/// The request context of Gongbu's HTTP listener: Hummingbird's core context plus the client's
/// address (sign-in tries are counted per address, contract §9).
public struct APIContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies up to the workspace's 50 MB (larger ones: 413).
    public var maxUploadSize: Int { 50 * 1024 * 1024 }
}
