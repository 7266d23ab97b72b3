/// The transport-independent authoritative server: bytes of a query in, what to send
/// back out. Immutable once built (a reload builds a new one), so one instance
/// serves every thread.
///
/// At build time every (name, type) of every zone, and every name's "any other
/// type", gets its full response precomputed (`PrecomputedResponse`); a query then
/// costs a header/question parse, one hash lookup and one copy with the ID, flags and
/// question patched in. Names that do not exist are answered from their closest
/// encloser's templates (NXDOMAIN, wildcard, referral) with the pointers shifted.
/// What is left goes through `Resolver`, whose results the precomputed ones also come
/// from, so all paths answer alike.
public final class DNSResponder: Sendable {
    /// The zones served, as given.
    public let zones: [Zone]
    /// The settings this responder was built with.
    public let options: DNSResponderOptions
    let resolver: Resolver
    let table: AnswerTable

    /// Builds a responder and precomputes its answers.
    public convenience init(zones: [Zone], options: DNSResponderOptions = DNSResponderOptions()) {
        self.init(zones: zones, options: options, precomputesAnswers: true)
    }

    /// Builds a responder; without precomputed answers every query takes the general
    /// path (tests compare the two).
    init(zones: [Zone], options: DNSResponderOptions, precomputesAnswers: Bool) {
        self.zones = zones
        self.options = options
        resolver = Resolver(zones: zones)
        table = precomputesAnswers ? AnswerTable(precomputingFrom: resolver) : AnswerTable([])
    }

    /// Answers one received message.
    /// - Parameters:
    ///   - query: the message bytes (for TCP, without the 2-byte length prefix).
    ///   - transport: UDP answers are cut to the EDNS payload size; only TCP transfers.
    ///   - client: the sender's address, checked against `transferACL` for AXFR/IXFR.
    public func respond(to query: UnsafeRawBufferPointer, transport: DNSTransport, client: IPAddress?) -> DNSReply {
        guard query.count >= 12 else { return .drop }
        let flags = UInt16(query[2]) << 8 | UInt16(query[3])
        guard flags & 0x8000 == 0 else { return .drop }
        let opcode = UInt8((flags >> 11) & 0x0F)
        guard opcode == DNSOpcode.query.rawValue else {
            return .message(headerOnlyReply(query, rcode: .notImplemented))
        }
        let parsed: IncomingQuery
        do {
            parsed = try IncomingQuery.parse(query)
        } catch {
            return .message(headerOnlyReply(query, rcode: .formatError))
        }
        if parsed.hasEDNS, parsed.ednsVersion > 0 {
            return .message(questionReply(query, parsed, rcode: .badVersion))
        }
        guard parsed.qclass == DNSClass.in.rawValue || parsed.qclass == DNSClass.any.rawValue else {
            return .message(questionReply(query, parsed, rcode: .refused))
        }
        if parsed.qtype == DNSRecordType.axfr.rawValue || parsed.qtype == DNSRecordType.ixfr.rawValue {
            return transfer(query, parsed, transport: transport, client: client)
        }
        let limit = sizeLimit(parsed, transport: transport)
        if let response = table.lookup(query, name: 12..<parsed.nameEnd, qtype: parsed.qtype) {
            return .message(assemble(response, query, parsed, limit: limit))
        }
        switch table.synthesis(query, name: 12..<parsed.nameEnd, qtype: parsed.qtype) {
        case .shifted(let template):
            if let reply = assembleShifted(template, query, parsed, limit: limit, keepsQuestionPointers: false) {
                return .message(reply)
            }
        case .wildcard(let template):
            if let reply = assembleShifted(template, query, parsed, limit: limit, keepsQuestionPointers: true) {
                return .message(reply)
            }
        case nil:
            break
        }
        let name = DNSName(unchecked: Array(query[12..<parsed.nameEnd]))
        guard let resolution = resolver.resolve(name, DNSRecordType(parsed.qtype)) else {
            return .message(questionReply(query, parsed, rcode: .refused))
        }
        let response = PrecomputedResponse(resolution, name: name, qtype: parsed.qtype, qclass: parsed.qclass)
        return .message(assemble(response, query, parsed, limit: limit))
    }

    /// Answers one received message held in an array (see the pointer variant).
    public func respond(to query: [UInt8], transport: DNSTransport, client: IPAddress?) -> DNSReply {
        query.withUnsafeBytes { respond(to: $0, transport: transport, client: client) }
    }

    /// The largest reply allowed: 65535 on TCP; on UDP the client's EDNS payload
    /// capped by ours, never below 512, and 512 without EDNS (RFC 6891 6.2.5).
    func sizeLimit(_ query: IncomingQuery, transport: DNSTransport) -> Int {
        switch transport {
        case .tcp: return 65535
        case .udp:
            guard query.hasEDNS else { return 512 }
            return max(512, min(Int(query.ednsPayload), options.maxUDPPayload))
        }
    }
}
