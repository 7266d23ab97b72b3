/// One authoritative zone, checked and ready to serve.
///
/// Invariants (established by the initializers, which throw otherwise): exactly one
/// SOA, at the apex; every owner at or below the origin; no name holds a CNAME and
/// other data, or two CNAMEs; no duplicate records; all records of an RRset share the
/// TTL of the first one given; `records` is in canonical order (RFC 4034 6.1) with the
/// SOA first.
public struct Zone: Sendable {
    /// The apex.
    public let origin: DNSName
    /// The SOA RDATA.
    public let soa: DNSSOA
    /// The SOA record itself (TTL as given).
    public let soaRecord: DNSRecord
    /// Every record, SOA first, then in canonical order.
    public let records: [DNSRecord]

    /// The zone's serial.
    public var serial: UInt32 { soa.serial }

    /// Checks and builds a zone from records made in code; errors name `origin` as the file.
    public init(origin: DNSName, records: [DNSRecord]) throws(ZoneFileError) {
        try self.init(origin: origin, records: records.map { ($0, 0) }, fileName: origin.description)
    }

    /// Checks and builds a zone; `line` 0 means "no line".
    init(origin: DNSName, records input: [(record: DNSRecord, line: Int)], fileName: String) throws(ZoneFileError) {
        func fail(_ line: Int?, _ reason: ZoneFileErrorReason) -> ZoneFileError {
            ZoneFileError(file: fileName, line: line == 0 ? nil : line, reason: reason)
        }
        var soaRecord: DNSRecord? = nil
        var rrsets: [DNSName: [DNSRecordType: [DNSRecord]]] = [:]
        var order: [DNSName] = []
        for (record, line) in input {
            guard record.name.isSubdomain(of: origin) else {
                throw fail(line, .outsideZone(name: record.name.description, origin: origin.description))
            }
            if record.type == .soa {
                guard record.name == origin else { throw fail(line, .soaNotAtApex(record.name.description)) }
                guard soaRecord == nil else { throw fail(line, .multipleSOA) }
                soaRecord = record
            }
            var node = rrsets[record.name] ?? [:]
            if node.isEmpty { order.append(record.name) }
            let cnames = node[.cname] ?? []
            let hasCNAME = !cnames.isEmpty
            if record.type == .cname {
                if hasCNAME, !cnames.contains(where: { $0.rdata == record.rdata }) {
                    throw fail(line, .multipleCNAME(record.name.description))
                }
                if node.keys.contains(where: { $0 != .cname && $0 != .rrsig && $0 != DNSRecordType(47) }) {
                    throw fail(line, .cnameAndOtherData(record.name.description))
                }
            } else if hasCNAME, record.type != .rrsig, record.type != DNSRecordType(47) {
                throw fail(line, .cnameAndOtherData(record.name.description))
            }
            var set = node[record.type] ?? []
            if !set.contains(where: { $0.rdata == record.rdata }) {
                var normalized = record
                normalized.ttl = set.first?.ttl ?? record.ttl
                normalized.rrClass = .in
                set.append(normalized)
            }
            node[record.type] = set
            rrsets[record.name] = node
        }
        guard let soaRecord, case .soa(let soa) = soaRecord.rdata else {
            throw fail(nil, .noSOA(origin.description))
        }
        var records: [DNSRecord] = [soaRecord]
        for name in DNSName.canonicallySorted(order) {
            guard let node = rrsets[name] else { continue }
            for type in node.keys.sorted() where type != .soa {
                guard let set = node[type] else { continue }
                records += set.count == 1 ? set : set.map { ($0.rdata.uncompressedWire, $0) }
                    .sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
            }
        }
        self.origin = origin
        self.soa = soa
        self.soaRecord = soaRecord
        self.records = records
    }

    /// The SOA as it goes in the authority section of negative answers: TTL is the
    /// smaller of the SOA's TTL and its minimum field (RFC 2308 3).
    public var negativeSOA: DNSRecord {
        var record = soaRecord
        record.ttl = min(soaRecord.ttl, soa.minimum)
        return record
    }
}
