import Foundation

/// A list of address prefixes that are allowed something (zone transfers).
/// IPv4-mapped IPv6 clients (::ffff:a.b.c.d) match IPv4 prefixes.
public struct IPAccessList: Sendable, Hashable {
    /// The prefixes; a client inside any of them is allowed.
    public var prefixes: [IPPrefix]

    /// Allows nobody.
    public static let none = IPAccessList(prefixes: [])

    /// Builds a list from prefixes already parsed.
    public init(prefixes: [IPPrefix]) {
        self.prefixes = prefixes
    }

    /// Parses entries such as `127.0.0.0/8`, `::1`, `10.1.2.3`; the first malformed one
    /// is an error naming it.
    public init(parsing entries: [String]) throws(IPAccessListError) {
        var prefixes: [IPPrefix] = []
        for entry in entries {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard let prefix = IPPrefix(trimmed) else { throw .invalidPrefix(entry) }
            prefixes.append(prefix)
        }
        self.prefixes = prefixes
    }

    /// Whether `address` is inside one of the prefixes.
    public func contains(_ address: IPAddress) -> Bool {
        let unmapped = address.unmappedIPv4
        return prefixes.contains { prefix in
            prefix.contains(address) || unmapped.map(prefix.contains) == true
        }
    }
}
