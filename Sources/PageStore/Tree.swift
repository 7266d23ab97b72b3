/// A B+tree of byte-string keys (memcmp order) and byte-string values, as seen by one
/// transaction. Reads work in any transaction; changes need the `WriteTransaction`
/// and are private to it until commit. The root page number never changes while the
/// tree exists (a root split moves the old root's contents down).
public struct Tree {
    /// Keeps the transaction (and its snapshot) alive while the tree is in use.
    let owner: ReadTransaction
    var core: TxCore { owner.core }
    let root: PageNumber
    /// The name in the catalog ("" for the catalog itself).
    public let name: String

    init(owner: ReadTransaction, root: PageNumber, name: String) {
        self.owner = owner
        self.root = root
        self.name = name
    }

    var pageSize: Int { core.pageSize }

    /// The longest key accepted, in bytes.
    public var maxKeySize: Int { Node.maxKeySize(pageSize: pageSize) }
    /// The longest value accepted, in bytes.
    public static let maxValueSize = 64 << 20

    // MARK: get

    /// The value stored under `key`, or nil.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        try core.checkActive()
        return try key.withUnsafeBytes { k -> [UInt8]? in
            var page = root
            var depth = 0
            while true {
                let next: PageNumber? = try core.withPage(page) { p in
                    if Node.isLeaf(p) { return nil }
                    try checkInterior(p, page)
                    return Node.child(p, Node.childIndex(p, k))
                }
                guard let next else { break }
                page = next
                depth += 1
                guard depth < 64 else { throw PageStoreError.corruptPage(page, reason: "tree deeper than 64 levels (cycle?)") }
            }
            return try core.withPage(page) { p -> [UInt8]? in
                let (i, exact) = Node.lowerBound(p, k, leaf: true)
                guard exact else { return nil }
                return try value(p, i)
            }
        }
    }

    /// Calls `body` with the value under `key` (nil when absent) without copying an
    /// inline value; the buffer is valid only inside `body`.
    public func withValue<R>(_ key: [UInt8], _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
        try core.checkActive()
        let c = makeCursor()
        guard try c.seek(key, .greaterOrEqual), c.key == key else { return try body(nil) }
        return try c.withCurrent { _, v in try body(v) }
    }

    /// True when `key` is present.
    public func contains(_ key: [UInt8]) throws -> Bool { try get(key) != nil }

    func checkInterior(_ p: UnsafeRawPointer, _ page: PageNumber) throws {
        guard p.u8(PageLayout.type) == PageType.interior.rawValue else {
            throw PageStoreError.corruptPage(page, reason: "expected a B+tree page, found type \(p.u8(PageLayout.type))")
        }
    }

    /// The value of leaf cell `i`, reading overflow pages when needed.
    func value(_ p: UnsafeRawPointer, _ i: Int) throws -> [UInt8] {
        let off = Node.cellOffset(p, i)
        let k = Int(p.u16(off))
        let flags = p.u8(off + 2)
        let length = Int(p.u32(off + 3))
        if flags == 0 { return [UInt8](UnsafeRawBufferPointer(start: p + off + 7 + k, count: length)) }
        let stored = Int(p.u32(off + 7 + k))
        let first = PageNumber(p.u32(off + 7 + k + 4))
        return try Overflow.read(core, first: first, storedLength: stored, length: length, compressed: flags == 2)
    }

    // MARK: put

    /// Inserts or replaces the value under `key`.
    public func put(_ key: [UInt8], _ value: [UInt8]) throws {
        try checkWritable()
        guard key.count <= maxKeySize else { throw PageStoreError.keyTooLarge(size: key.count, limit: maxKeySize) }
        guard value.count <= Self.maxValueSize else { throw PageStoreError.valueTooLarge(size: value.count, limit: Self.maxValueSize) }
        let logging = core.isSpeculative && !core.isReplaying
        if logging { try core.beforeChange?(name, key) }
        core.mutationCount += 1
        var path = try descend(key)
        let leaf = path.removeLast().page
        let w = try core.writable(leaf)
        let (i, exact) = key.withUnsafeBytes { Node.lowerBound(w, $0, leaf: true) }
        if exact {
            try freeOverflow(w, i)
            Node.remove(w, at: i, pageSize: pageSize)
        }
        let cell = try makeLeafCell(key, value)
        try insertCell(cell, at: i, into: leaf, path: path)
        if logging { core.changes.append(.put(tree: name, key: key, value: value)) }
    }

    /// Inserts only when `key` is absent; returns false when it was present.
    @discardableResult
    public func insert(_ key: [UInt8], _ value: [UInt8]) throws -> Bool {
        try lockForChange(key)
        if try get(key) != nil { return false }
        try put(key, value)
        return true
    }

    /// Replaces the value of an existing key; returns false when it was absent.
    @discardableResult
    public func update(_ key: [UInt8], _ value: [UInt8]) throws -> Bool {
        try lockForChange(key)
        if try get(key) == nil { return false }
        try put(key, value)
        return true
    }

    func checkWritable() throws {
        try core.checkActive()
        guard core.isWriter else { throw PageStoreError.readOnlyTransaction }
    }

    /// A speculative writer's `beforeChange` for a key it reads to decide a change (an
    /// insert that finds the key present still depends on it).
    func lockForChange(_ key: [UInt8]) throws {
        try checkWritable()
        if core.isSpeculative && !core.isReplaying { try core.beforeChange?(name, key) }
    }

    struct Step {
        var page: PageNumber
        var child: Int  // child index taken in an interior page; unused for the leaf
    }

    /// Root-to-leaf path for `key`; the last step is the leaf.
    func descend(_ key: [UInt8]) throws -> [Step] {
        var path: [Step] = []
        var page = root
        try key.withUnsafeBytes { k in
            while true {
                let ci: Int? = try core.withPage(page) { p in
                    if Node.isLeaf(p) { return nil }
                    try checkInterior(p, page)
                    return Node.childIndex(p, k)
                }
                guard let ci else { break }
                path.append(Step(page: page, child: ci))
                page = try core.withPage(page) { Node.child($0, ci) }
                guard path.count < 64 else { throw PageStoreError.corruptPage(page, reason: "tree deeper than 64 levels (cycle?)") }
            }
        }
        path.append(Step(page: page, child: 0))
        return path
    }

    func makeLeafCell(_ key: [UInt8], _ value: [UInt8]) throws -> [UInt8] {
        let inlineSize = 7 + key.count + value.count
        var cell: [UInt8]
        if inlineSize <= Node.maxCellSize(pageSize: pageSize) {
            cell = [UInt8](repeating: 0, count: inlineSize)
            cell.withUnsafeMutableBytes { b in
                let p = b.baseAddress!
                p.setU16(0, UInt16(key.count))
                p.setU8(2, 0)
                p.setU32(3, UInt32(value.count))
                key.withUnsafeBytes { if $0.count > 0 { (p + 7).copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
                value.withUnsafeBytes { if $0.count > 0 { (p + 7 + key.count).copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
            }
        } else {
            let (first, stored, compressed) = try Overflow.write(core, value)
            cell = [UInt8](repeating: 0, count: 7 + key.count + 8)
            cell.withUnsafeMutableBytes { b in
                let p = b.baseAddress!
                p.setU16(0, UInt16(key.count))
                p.setU8(2, compressed ? 2 : 1)
                p.setU32(3, UInt32(value.count))
                key.withUnsafeBytes { if $0.count > 0 { (p + 7).copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
                p.setU32(7 + key.count, UInt32(stored))
                p.setU32(7 + key.count + 4, first.rawValue)
            }
        }
        return cell
    }

    func freeOverflow(_ p: UnsafeRawPointer, _ i: Int) throws {
        let off = Node.cellOffset(p, i)
        guard p.u8(off + 2) != 0 else { return }
        let k = Int(p.u16(off))
        try Overflow.free(core, first: PageNumber(p.u32(off + 7 + k + 4)))
    }

    /// Inserts `cell` at slot `i` of `page`, splitting up the path as needed.
    func insertCell(_ cell: [UInt8], at i: Int, into page: PageNumber, path: [Step]) throws {
        let w = try core.writable(page)
        if cell.withUnsafeBytes({ Node.insert(w, at: i, cell: $0, pageSize: pageSize) }) { return }
        var cells = (0..<Node.cellCount(w)).map { Node.cellBytes(w, $0) }
        cells.insert(cell, at: i)
        let leaf = Node.isLeaf(w)
        let type: PageType = leaf ? .leaf : .interior
        let n = cells.count
        // Where to cut: appends and prepends keep pages full; otherwise by bytes.
        var m: Int
        if i == n - 1 { m = leaf ? n - 1 : n - 2 } else if i == 0 { m = 1 } else {
            let total = cells.reduce(0) { $0 + $1.count + 2 }
            var acc = 0
            m = 0
            while m < n - 1 && acc + cells[m].count + 2 <= total / 2 { acc += cells[m].count + 2; m += 1 }
            m = max(m, 1)
        }
        if !leaf { m = min(max(m, 1), n - 2) }
        let separator: [UInt8]
        var rightLeftmost = PageNumber.none
        let rightCells: ArraySlice<[UInt8]>
        if leaf {
            separator = Self.shortestSeparator(cellKey(cells[m - 1], leaf: true), cellKey(cells[m], leaf: true))
            rightCells = cells[m...]
        } else {
            separator = cellKey(cells[m], leaf: false)
            rightLeftmost = cells[m].withUnsafeBytes { PageNumber($0.baseAddress!.u32(2)) }
            rightCells = cells[(m + 1)...]
        }
        let leftmost = PageNumber(w.u32(Node.leftmost))
        if path.isEmpty {
            // Root split: the root keeps its number and becomes the parent of two new pages.
            let (l, lp) = try core.allocate(type)
            let (r, rp) = try core.allocate(type)
            Node.fill(lp, type: type, cells: cells[..<m], leftmost: leftmost, pageSize: pageSize)
            Node.fill(rp, type: type, cells: rightCells, leftmost: rightLeftmost, pageSize: pageSize)
            let rootCell = separator.withUnsafeBytes { Node.interiorCell(key: $0, child: r) }
            Node.fill(w, type: .interior, cells: [rootCell][...], leftmost: l, pageSize: pageSize)
            return
        }
        let (r, rp) = try core.allocate(type)
        Node.fill(rp, type: type, cells: rightCells, leftmost: rightLeftmost, pageSize: pageSize)
        Node.fill(w, type: type, cells: cells[..<m], leftmost: leftmost, pageSize: pageSize)
        var parentPath = path
        let parent = parentPath.removeLast()
        let up = separator.withUnsafeBytes { Node.interiorCell(key: $0, child: r) }
        try insertCell(up, at: parent.child + 1, into: parent.page, path: parentPath)
    }

    func cellKey(_ cell: [UInt8], leaf: Bool) -> [UInt8] {
        cell.withUnsafeBytes { b in
            let n = Int(b.baseAddress!.u16(0))
            let start = leaf ? 7 : 6
            return Array(b[start..<(start + n)])
        }
    }

    /// The shortest prefix of `right` that is greater than `left` (left < right): a
    /// smaller separator gives interior pages more fan-out.
    static func shortestSeparator(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var i = 0
        while i < left.count && i < right.count && left[i] == right[i] { i += 1 }
        return Array(right[..<min(i + 1, right.count)])
    }

    // MARK: bulk load

    /// Loads key-ordered pairs into this tree. Keys must be strictly ascending and
    /// greater than every key present. Appends split pages at the end, so pages come
    /// out full.
    public func bulkLoad<S: Sequence>(_ pairs: S) throws where S.Element == ([UInt8], [UInt8]) {
        let cursor = makeCursor()
        var last: [UInt8]? = try cursor.last() ? cursor.key : nil
        for (k, v) in pairs {
            if let l = last, !(l.lexicographicallyPrecedes(k)) {
                throw PageStoreError.invalidOption("bulkLoad keys must be strictly ascending")
            }
            try put(k, v)
            last = k
        }
    }

    /// A cursor positioned nowhere; call a `seek` or `first`/`last`.
    public func makeCursor() -> Cursor { Cursor(tree: self) }
}
