extension DNSMessage {
    /// A NOTIFY (RFC 1996 3.5) telling secondaries that `zone` changed: opcode
    /// NOTIFY, AA set, question (origin, SOA, IN) and the new SOA in the answer
    /// section as a hint. The secondary replies with QR set and the same ID; our
    /// responder drops such replies, so the sender must match them itself.
    public static func makeNotify(zone: Zone, id: UInt16 = .random(in: 0...UInt16.max)) -> DNSMessage {
        var header = DNSHeader(id: id, opcode: .notify)
        header.isAuthoritative = true
        return DNSMessage(header: header, questions: [DNSQuestion(name: zone.origin, type: .soa)],
                          answers: [zone.soaRecord])
    }
}
