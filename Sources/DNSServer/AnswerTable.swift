// The precomputed answers, keyed by lowercased wire-form name.
//
// Layout: `keys` holds every lowercased name back to back; `entries[i]` points at its
// key, its (type, template) pairs in `types`/`typeTemplates`, and the template for
// every other type (`fallback`), and what nonexistent names below it get: a template
// to shift (`shiftedBelow`: the zone's NXDOMAIN, or this name's referral when it is at
// or below a zone cut) or a wildcard entry to synthesize from (`wildcard`); -1 for
// both when the general path must decide (e.g. a deeper zone). `slots` is an open-addressing table (linear probing,
// load <= 1/2, size a power of two) of entry indexes, -1 when empty.
//
// Invariant: a lookup hashes and compares the query's name bytes in place, lowercasing
// as it goes, so answering from the table allocates nothing but the reply.

/// A hash table from (name, type) to precomputed responses.
struct AnswerTable: Sendable {
    /// What the table holds for one name.
    struct Item {
        var name: DNSName
        var answers: [(type: DNSRecordType, response: PrecomputedResponse)]
        var fallback: PrecomputedResponse
        /// The template (pointers kept) for every nonexistent name whose closest
        /// encloser is this name: the zone's NXDOMAIN, or the referral when this name is
        /// at or below a zone cut; nil when wildcards or the general path decide.
        var shiftedBelow: PrecomputedResponse?
        /// Whether nonexistent names below are synthesized from `*.name`, whose entry
        /// then holds the templates.
        var synthesizesFromWildcard = false
    }

    /// How to answer a name that is not in the table.
    enum Synthesis {
        /// A template built for an ancestor of the question name (a zone's NXDOMAIN,
        /// a referral): every pointer moves with the question's extra length.
        case shifted(PrecomputedResponse)
        /// The wildcard's template for the query type, built for `*.encloser`.
        case wildcard(PrecomputedResponse)
    }

    private struct Entry: Sendable {
        var keyStart: Int
        var keyLength: Int
        var hash: UInt64
        var typesStart: Int
        var typesCount: Int
        var fallback: Int
        var shiftedBelow: Int
        /// Entry index of `*.name` when names below are synthesized from it, else -1.
        var wildcard: Int
    }

    private var keys: [UInt8] = []
    private var entries: [Entry] = []
    private var types: [UInt16] = []
    private var typeTemplates: [Int] = []
    private var templates: [PrecomputedResponse] = []
    private var slots: [Int] = []
    private var mask = 0

    /// Number of names in the table.
    var count: Int { entries.count }

    init(_ items: [Item]) {
        for item in items {
            let key = item.name.lowercasedWire
            var entry = Entry(keyStart: keys.count, keyLength: key.count, hash: Self.hash(key),
                              typesStart: types.count, typesCount: item.answers.count, fallback: templates.count,
                              shiftedBelow: -1, wildcard: -1)
            keys += key
            templates.append(item.fallback)
            if let shiftedBelow = item.shiftedBelow {
                entry.shiftedBelow = templates.count
                templates.append(shiftedBelow)
            }
            for answer in item.answers {
                types.append(answer.type.rawValue)
                typeTemplates.append(templates.count)
                templates.append(answer.response)
            }
            entries.append(entry)
        }
        var size = 16
        while size < entries.count * 2 { size *= 2 }
        mask = size - 1
        slots = Array(repeating: -1, count: size)
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] != -1 { slot = (slot + 1) & mask }
            slots[slot] = index
        }
        for (index, item) in items.enumerated() where item.synthesizesFromWildcard {
            guard let wildcard = item.name.wildcard else { continue }
            let key = wildcard.lowercasedWire
            let found = key.withUnsafeBytes { find($0) }
            entries[index].wildcard = found?.index ?? -1
        }
    }

    /// FNV-1a over lowercased bytes.
    @inline(__always)
    private static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(DNSName.lower(byte))) &* 0x100_0000_01b3
        }
        return hash
    }

    /// The response for the name at `bytes[range]` (uncompressed wire form, any case)
    /// and `qtype`, or nil when the name is not in the table.
    func lookup(_ bytes: UnsafeRawBufferPointer, name range: Range<Int>, qtype: UInt16) -> PrecomputedResponse? {
        guard let (entry, _) = find(UnsafeRawBufferPointer(rebasing: bytes[range])) else { return nil }
        for offset in 0..<entry.typesCount where types[entry.typesStart + offset] == qtype {
            return templates[typeTemplates[entry.typesStart + offset]]
        }
        return templates[entry.fallback]
    }

    /// For a name not in the table, found through its closest existing ancestor (the
    /// closest encloser): an NXDOMAIN or referral template, or the wildcard's template for
    /// `qtype`; nil when the general path must decide (no ancestor in the table, a zone
    /// cut or deeper zone, or a wildcard answer that cannot be patched).
    func synthesis(_ bytes: UnsafeRawBufferPointer, name range: Range<Int>, qtype: UInt16) -> Synthesis? {
        var start = range.lowerBound
        while start < range.upperBound, bytes[start] != 0 {
            start += 1 + Int(bytes[start])
            guard start < range.upperBound else { return nil }
            guard let (entry, _) = find(UnsafeRawBufferPointer(rebasing: bytes[start..<range.upperBound])) else { continue }
            if entry.shiftedBelow >= 0 { return .shifted(templates[entry.shiftedBelow]) }
            guard entry.wildcard >= 0 else { return nil }
            let source = entries[entry.wildcard]
            var template = templates[source.fallback]
            for offset in 0..<source.typesCount where types[source.typesStart + offset] == qtype {
                template = templates[typeTemplates[source.typesStart + offset]]
            }
            return template.pointerOffsets == nil ? nil : .wildcard(template)
        }
        return nil
    }

    private func find(_ name: UnsafeRawBufferPointer) -> (entry: Entry, index: Int)? {
        let hash = Self.hash(name)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = slots[slot]
            if index < 0 { return nil }
            let entry = entries[index]
            if entry.hash == hash, entry.keyLength == name.count, matches(name, entry) { return (entry, index) }
            slot = (slot + 1) & mask
        }
    }

    private func matches(_ name: UnsafeRawBufferPointer, _ entry: Entry) -> Bool {
        keys.withUnsafeBufferPointer { keys in
            for index in 0..<name.count where DNSName.lower(name[index]) != keys[entry.keyStart + index] {
                return false
            }
            return true
        }
    }
}
