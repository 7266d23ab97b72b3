/// Answers questions from the zones per RFC 1034 4.3.2, RFC 4592 (wildcards),
/// RFC 2308 (negative answers) and RFC 8482 (ANY). Pure: the same question always
/// gets the same `Resolution`, which is what makes precomputing answers sound.
///
/// Choices:
/// - CNAMEs are chased through all served zones, at most `maxCNAMEChain` links, and
///   a loop stops the chase; the rcode is that of the last name (RFC 6604).
/// - ANY gets the one RRset with the lowest type number at the name (RFC 8482 4.1).
/// - Additional section: A/AAAA of in-zone NS, MX and SRV targets; targets below a
///   zone cut only for NS (glue). Positive answers carry no NS in authority.
struct Resolver: Sendable {
    /// Longest CNAME chain followed in one answer.
    static let maxCNAMEChain = 12

    let indexes: [DNSName: ZoneIndex]

    init(zones: [Zone]) {
        var indexes: [DNSName: ZoneIndex] = [:]
        for zone in zones where indexes[zone.origin] == nil {
            indexes[zone.origin] = ZoneIndex(zone: zone)
        }
        self.indexes = indexes
    }

    /// The deepest served zone containing `name`.
    func index(for name: DNSName) -> ZoneIndex? {
        var current: DNSName? = name
        while let candidate = current {
            if let index = indexes[candidate] { return index }
            current = candidate.parent
        }
        return nil
    }

    private enum Step {
        case answer([DNSRecord])
        case cname(DNSRecord, target: DNSName)
        case noData
        case nameError
        case referral(ns: [DNSRecord])
    }

    /// The answer for (`qname`, `qtype`), or nil when no served zone contains `qname`
    /// (the caller answers REFUSED).
    func resolve(_ qname: DNSName, _ qtype: DNSRecordType) -> Resolution? {
        guard var current = index(for: qname) else { return nil }
        var result = Resolution()
        var name = qname
        var visited: Set<DNSName> = []
        for step in 0...Self.maxCNAMEChain {
            if step > 0 {
                guard let next = index(for: name) else { return result }
                current = next
            }
            let index = current
            switch lookup(name, qtype, in: index, consulted: &result.consultedTypes) {
            case .answer(let records):
                result.answer += records
                addAdditional(for: records, to: &result)
                return result
            case .cname(let record, let target):
                result.answer.append(record)
                if step == 0 { visited.insert(qname) }
                guard step < Self.maxCNAMEChain, visited.insert(target).inserted else { return result }
                name = target
            case .noData:
                result.authority = [index.zone.negativeSOA]
                return result
            case .nameError:
                result.rcode = .nameError
                result.authority = [index.zone.negativeSOA]
                return result
            case .referral(let ns):
                if step == 0 { result.isAuthoritative = false }
                result.authority = ns
                result.isAdditionalRequired = true
                addAdditional(for: ns, to: &result)
                return result
            }
        }
        return result
    }

    private func lookup(_ name: DNSName, _ qtype: DNSRecordType, in index: ZoneIndex,
                        consulted: inout Set<DNSRecordType>) -> Step {
        if let cut = index.zoneCut(above: name) {
            consulted.insert(.ds)
            if !(cut == name && qtype == .ds) {
                return .referral(ns: index.nodes[cut]?.rrsets[.ns] ?? [])
            }
        }
        if let node = index.nodes[name] {
            return answer(from: node, owner: name, qtype, consulted: &consulted)
        }
        let encloser = index.closestEncloser(of: name)
        if let wildcard = encloser.wildcard, let node = index.nodes[wildcard] {
            return answer(from: node, owner: name, qtype, consulted: &consulted)
        }
        return .nameError
    }

    /// The answer from `node`, with owners rewritten to `owner` (for wildcards).
    private func answer(from node: ZoneNode, owner: DNSName, _ qtype: DNSRecordType,
                        consulted: inout Set<DNSRecordType>) -> Step {
        consulted.formUnion(node.rrsets.keys)
        func renamed(_ records: [DNSRecord]) -> [DNSRecord] {
            records.map { record in
                var copy = record
                copy.name = owner
                return copy
            }
        }
        if qtype == .any {
            guard let type = node.rrsets.keys.min(), let records = node.rrsets[type] else { return .noData }
            return .answer(renamed(records))
        }
        if qtype != .cname, let cname = node.rrsets[.cname]?.first, case .cname(let target) = cname.rdata {
            return .cname(renamed([cname])[0], target: target)
        }
        if let records = node.rrsets[qtype] { return .answer(renamed(records)) }
        return .noData
    }

    /// Adds A/AAAA records of targets of NS, MX and SRV records in `records`.
    private func addAdditional(for records: [DNSRecord], to result: inout Resolution) {
        var seen = Set((result.answer + result.additional).map { RRsetKey(name: $0.name, type: $0.type) })
        for record in records where [.ns, .mx, .srv].contains(record.type) {
            guard let target = record.rdata.target, let index = index(for: target),
                  let node = index.nodes[target] else { continue }
            if record.type != .ns, index.zoneCut(above: target) != nil { continue }
            for type in [DNSRecordType.a, .aaaa] {
                guard let addresses = node.rrsets[type], seen.insert(RRsetKey(name: target, type: type)).inserted else { continue }
                result.additional += addresses
            }
        }
    }
}
