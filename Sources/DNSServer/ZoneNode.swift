/// The records at one name of a zone, by type. An empty node is an empty
/// non-terminal: a name that exists only because names below it do (RFC 4592 2.2.2).
struct ZoneNode: Sendable {
    var rrsets: [DNSRecordType: [DNSRecord]] = [:]
    /// NS records below the apex: a zone cut, answered with a referral.
    var isDelegation = false
}
