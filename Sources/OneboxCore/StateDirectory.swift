/// Where each role keeps its runtime state below the state directory (`--state-dir`,
/// default `./var`). One place, so `serve`, `check`, `backup` and the roles agree.
public struct StateDirectory: Sendable {
    /// The state directory itself.
    public let path: String

    public init(_ path: String) {
        self.path = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
    }

    /// The database's PageStore file (its write-ahead log sits next to it).
    public var databaseFile: String { path + "/db/onebox.pagestore" }
    /// Generated TLS certificates and keys.
    public var tlsDirectory: String { path + "/tls" }
    /// Generated secrets (mode 0600).
    public var secretsDirectory: String { path + "/secrets" }
}
