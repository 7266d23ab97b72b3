// Building the answer table from the zones.
//
// For each name in any zone (records, empty non-terminals, names below cuts):
// - one template per type whose presence could change the answer
//   (`Resolution.consultedTypes`, plus ANY), and a fallback for every other type,
//   built with a private-use type no zone holds;
// - what names below it get when they do not exist: the zone's NXDOMAIN, this
//   name's referral (at or below a cut), or synthesis from `*.name`.
// Templates meant to serve other question names keep their pointer offsets.

extension AnswerTable {
    /// Precomputes every answer `resolver` can give for the names of its zones.
    init(precomputingFrom resolver: Resolver) {
        var present: Set<DNSRecordType> = []
        for index in resolver.indexes.values {
            for node in index.nodes.values { present.formUnion(node.rrsets.keys) }
        }
        // A private-use type that no zone holds stands for "any type not consulted".
        let fallbackType = (1...65534).reversed().lazy.map(DNSRecordType.init(_:)).first { !present.contains($0) }
            ?? DNSRecordType(65535)

        var items: [AnswerTable.Item] = []
        var seen: Set<DNSName> = []
        var nameErrors: [DNSName: PrecomputedResponse] = [:]
        for (origin, index) in resolver.indexes {
            let resolution = Resolution(rcode: .nameError, authority: [index.zone.negativeSOA])
            nameErrors[origin] = PrecomputedResponse(resolution, name: origin, qtype: 0, qclass: 1, keepsPointers: true)
        }
        for index in resolver.indexes.values {
            for name in index.nodes.keys where seen.insert(name).inserted {
                guard let base = resolver.resolve(name, fallbackType) else { continue }
                var answers: [(type: DNSRecordType, response: PrecomputedResponse)] = []
                // Wildcard templates also serve the names they synthesize (see
                // PrecomputedResponse), unless their RDATA names the wildcard itself;
                // referrals at or below a cut serve every name below.
                let own = resolver.index(for: name)
                let isOwnNode = own?.nodes[name] != nil
                let isBelowCut = isOwnNode && own?.zoneCut(above: name) != nil
                func template(_ resolution: Resolution, _ type: DNSRecordType) -> PrecomputedResponse {
                    let keepsPointers = isBelowCut || (name.isWildcard && !Self.mentions(resolution, name))
                    return PrecomputedResponse(resolution, name: name, qtype: type.rawValue, qclass: 1,
                                               keepsPointers: keepsPointers)
                }
                for type in base.consultedTypes.union([.any]).sorted() where type != .axfr && type != .ixfr {
                    guard let resolution = resolver.resolve(name, type) else { continue }
                    answers.append((type, template(resolution, type)))
                }
                let fallback = template(base, fallbackType)
                // Names below this one that do not exist get the zone's NXDOMAIN, unless
                // a wildcard, a zone cut or a deeper zone changes that.
                var item = AnswerTable.Item(name: name, answers: answers, fallback: fallback, shiftedBelow: nil)
                if isBelowCut {
                    item.shiftedBelow = fallback
                } else if let own, isOwnNode, let wildcard = name.wildcard {
                    if let source = own.nodes[wildcard] {
                        item.synthesizesFromWildcard = !source.isDelegation
                    } else {
                        item.shiftedBelow = nameErrors[own.zone.origin]
                    }
                }
                items.append(item)
            }
        }
        self.init(items)
    }

    /// Whether any RDATA in `resolution` names `name` (such a name would be compressed
    /// to the question itself, which a wildcard template cannot tell from the owner).
    private static func mentions(_ resolution: Resolution, _ name: DNSName) -> Bool {
        (resolution.answer + resolution.authority + resolution.additional).contains { record in
            if case .soa(let soa) = record.rdata { return soa.primary == name || soa.mailbox == name }
            return record.rdata.target == name
        }
    }
}
