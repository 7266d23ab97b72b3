/// One entry of the question section: name, type and class asked for.
public struct DNSQuestion: Sendable, Hashable {
    public var name: DNSName
    public var type: DNSRecordType
    public var qclass: DNSClass

    /// A question; class defaults to IN.
    public init(name: DNSName, type: DNSRecordType, qclass: DNSClass = .in) {
        self.name = name
        self.type = type
        self.qclass = qclass
    }
}
