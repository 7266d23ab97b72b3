/// A resource record: owner, type, class, TTL and RDATA.
public struct DNSRecord: Sendable, Hashable {
    public var name: DNSName
    public var type: DNSRecordType
    public var rrClass: DNSClass
    public var ttl: UInt32
    public var rdata: DNSRData

    /// A record whose type follows from `rdata` (which must not be `.unknown`).
    public init(name: DNSName, ttl: UInt32, rdata: DNSRData, rrClass: DNSClass = .in) {
        guard let type = rdata.knownType else {
            preconditionFailure("DNSRecord(name:ttl:rdata:) needs typed RDATA; use init(name:type:rrClass:ttl:rdata:)")
        }
        self.init(name: name, type: type, rrClass: rrClass, ttl: ttl, rdata: rdata)
    }

    /// A record with an explicit type, for `.unknown` RDATA.
    public init(name: DNSName, type: DNSRecordType, rrClass: DNSClass = .in, ttl: UInt32, rdata: DNSRData) {
        self.name = name
        self.type = type
        self.rrClass = rrClass
        self.ttl = ttl
        self.rdata = rdata
    }
}
