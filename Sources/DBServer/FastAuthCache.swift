import Synchronization

/// caching_sha2_password's in-memory cache: SHA256(SHA256(password)) per account after
/// a successful full authentication, valid while the account's stored string is the
/// one it was made from (ALTER USER invalidates it by changing the string). Lost on
/// restart, as in MySQL: the first login after a start takes the full path.
final class FastAuthCache: Sendable {
    private struct Entry {
        var authenticationString: String
        var digest: [UInt8]
    }

    private let entries = Mutex<[String: Entry]>([:])

    func digest(user: String, host: String, authenticationString: String) -> [UInt8]? {
        entries.withLock { entries in
            guard let entry = entries[Self.key(user, host)], entry.authenticationString == authenticationString else { return nil }
            return entry.digest
        }
    }

    func store(user: String, host: String, authenticationString: String, digest: [UInt8]) {
        entries.withLock { $0[Self.key(user, host)] = Entry(authenticationString: authenticationString, digest: digest) }
    }

    private static func key(_ user: String, _ host: String) -> String { user + "\u{0}" + host }
}
