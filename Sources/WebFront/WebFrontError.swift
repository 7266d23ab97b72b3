/// What can stop the front from starting or reloading, phrased for the operator.
public enum WebFrontError: Error, CustomStringConvertible, Equatable {
    /// A certificate or key file is missing, malformed, or the two do not match.
    case certificateUnusable(path: String, reason: String)
    /// The site directory does not exist or is not a directory.
    case siteDirectoryMissing(path: String)
    /// A listener could not be bound.
    case cannotListen(address: String, reason: String)
    /// The access log cannot be opened for appending.
    case accessLogUnwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .certificateUnusable(let path, let reason): "TLS certificate \(path): \(reason)"
        case .siteDirectoryMissing(let path): "site directory \(path) does not exist or is not a directory"
        case .cannotListen(let address, let reason): "cannot listen on \(address): \(reason)"
        case .accessLogUnwritable(let path, let reason): "cannot open the access log \(path): \(reason)"
        }
    }
}
