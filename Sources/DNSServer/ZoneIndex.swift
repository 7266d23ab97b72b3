/// A zone arranged for lookups: every name (and every empty non-terminal) to its node.
struct ZoneIndex: Sendable {
    let zone: Zone
    let nodes: [DNSName: ZoneNode]
    let originLabelCount: Int

    init(zone: Zone) {
        self.zone = zone
        originLabelCount = zone.origin.labelCount
        var nodes: [DNSName: ZoneNode] = [:]
        for record in zone.records {
            nodes[record.name, default: ZoneNode()].rrsets[record.type, default: []].append(record)
        }
        for name in Array(nodes.keys) {
            if name != zone.origin, nodes[name]?.rrsets[.ns] != nil { nodes[name]?.isDelegation = true }
            var ancestor = name.parent
            while let current = ancestor, current.labelCount >= originLabelCount, nodes[current] == nil {
                nodes[current] = ZoneNode()
                ancestor = current.parent
            }
        }
        self.nodes = nodes
    }

    /// The highest zone cut at or above `name` (below the apex), if any. Names below a
    /// cut are not ours: they get a referral.
    func zoneCut(above name: DNSName) -> DNSName? {
        let extra = name.labelCount - originLabelCount
        guard extra > 0 else { return nil }
        for count in 1...extra {
            let ancestor = name.suffix(labelCount: originLabelCount + count)
            guard let node = nodes[ancestor] else { return nil }
            if node.isDelegation { return ancestor }
        }
        return nil
    }

    /// The closest encloser of a name that does not exist (RFC 4592 3.3.1).
    func closestEncloser(of name: DNSName) -> DNSName {
        var count = name.labelCount - 1
        while count > originLabelCount {
            let ancestor = name.suffix(labelCount: count)
            if nodes[ancestor] != nil { return ancestor }
            count -= 1
        }
        return zone.origin
    }
}
