/// What stops `onebox db` from starting, phrased for the operator.
public enum DBServerError: Error, CustomStringConvertible {
    case cannotOpenDatabase(path: String, reason: String)
    case cannotListen(address: String, reason: String)
    case tlsUnusable(path: String, reason: String)
    case secretUnusable(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpenDatabase(let path, let reason): "cannot open the database \(path): \(reason)"
        case .cannotListen(let address, let reason): "cannot listen on \(address): \(reason)"
        case .tlsUnusable(let path, let reason): "TLS certificate \(path): \(reason)"
        case .secretUnusable(let path, let reason): "\(path): \(reason)"
        }
    }
}
