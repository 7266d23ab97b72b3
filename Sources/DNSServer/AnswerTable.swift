// The precomputed answers, keyed by lowercased wire-form name.
//
// Layout: `keys` holds every lowercased name back to back; `entries[i]` points at its
// key, its (type, template) pairs in `types`/`typeTemplates`, and the template for
// every other type (`fallback`). `slots` is an open-addressing table (linear probing,
// load <= 1/2, size a power of two) of entry indexes, -1 when empty.
//
// Invariant: a lookup hashes and compares the query's name bytes in place, lowercasing
// as it goes, so answering from the table allocates nothing but the reply.

/// A hash table from (name, type) to precomputed responses.
struct AnswerTable: Sendable {
    private struct Entry: Sendable {
        var keyStart: Int
        var keyLength: Int
        var hash: UInt64
        var typesStart: Int
        var typesCount: Int
        var fallback: Int
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

    init(_ items: [(name: DNSName, answers: [(type: DNSRecordType, response: PrecomputedResponse)], fallback: PrecomputedResponse)]) {
        for item in items {
            let key = item.name.lowercasedWire
            let entry = Entry(keyStart: keys.count, keyLength: key.count, hash: Self.hash(key),
                              typesStart: types.count, typesCount: item.answers.count, fallback: templates.count)
            keys += key
            templates.append(item.fallback)
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
        let name = UnsafeRawBufferPointer(rebasing: bytes[range])
        let hash = Self.hash(name)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = slots[slot]
            if index < 0 { return nil }
            let entry = entries[index]
            if entry.hash == hash, entry.keyLength == name.count, matches(name, entry) {
                for offset in 0..<entry.typesCount where types[entry.typesStart + offset] == qtype {
                    return templates[typeTemplates[entry.typesStart + offset]]
                }
                return templates[entry.fallback]
            }
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
