/// Identifies an RRset: owner and type.
struct RRsetKey: Hashable, Sendable {
    var name: DNSName
    var type: DNSRecordType
}
