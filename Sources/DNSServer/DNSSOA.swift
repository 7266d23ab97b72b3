/// The RDATA of an SOA record (RFC 1035 3.3.13).
public struct DNSSOA: Sendable, Hashable {
    /// Primary name server.
    public var primary: DNSName
    /// Mailbox of the person responsible, as a name (`hostmaster.foobar.com.`).
    public var mailbox: DNSName
    /// Zone version; compared with RFC 1982 serial arithmetic.
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    /// Negative-caching TTL (RFC 2308).
    public var minimum: UInt32

    /// Builds SOA RDATA from its seven fields.
    public init(primary: DNSName, mailbox: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32,
                expire: UInt32, minimum: UInt32) {
        self.primary = primary
        self.mailbox = mailbox
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }
}
