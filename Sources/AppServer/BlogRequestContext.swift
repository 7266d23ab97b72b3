import HTTPTypes
import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the peer address, for
/// telling clients apart when no front sets X-Forwarded-For.
struct BlogRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

extension Request {
    /// Who sent the request, for the rate limit: the address the front appended last to
    /// X-Forwarded-For (earlier entries come from the client and can be forged), else
    /// the peer's IP, else "local" (a Unix-socket peer without the header).
    func clientKey(context: BlogRequestContext) -> String {
        if let forwarded = headers[.xForwardedFor],
           let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: " "), !last.isEmpty {
            return last
        }
        return context.remoteAddress?.ipAddress ?? "local"
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
