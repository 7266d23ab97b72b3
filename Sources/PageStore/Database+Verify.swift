/// What `Database.verify()` found.
public struct VerificationReport: Sendable, CustomStringConvertible {
    public struct TreeSummary: Sendable {
        public var name: String
        public var root: PageNumber
        public var keys: Int
        public var depth: Int
        public var pages: Int
    }
    public var pageSize = 0
    public var pageCount = 0
    public var freePages = 0
    public var overflowPages = 0
    public var trees: [TreeSummary] = []
    public var description: String {
        var s = "pageSize=\(pageSize) pages=\(pageCount) free=\(freePages) overflow=\(overflowPages) trees=\(trees.count)"
        for t in trees { s += "\n  \(t.name): keys=\(t.keys) depth=\(t.depth) pages=\(t.pages)" }
        return s
    }
}

extension Database {
    /// Walks the catalog, every tree, every overflow chain and the free list of the
    /// latest snapshot: checks every page checksum read, key order, separator bounds,
    /// equal leaf depth, cell bounds, and that every page is reachable exactly once.
    /// Throws `verificationFailed` listing the problems (for `onebox check`).
    public func verify() throws -> VerificationReport {
        try checkUsable()
        let snapshot = cache.beginSnapshot()
        defer { cache.endSnapshot(snapshot) }
        return try verifyLocked(snapshot: snapshot)
    }

    func verifyLocked(snapshot: LSN) throws -> VerificationReport {
        var v = Verifier(core: TxCore(db: self, snapshot: snapshot, isWriter: false))
        defer { v.core.isFinished = true }
        try v.run()
        if !v.problems.isEmpty { throw PageStoreError.verificationFailed(v.problems) }
        return v.report
    }
}

struct Verifier {
    let core: TxCore
    var marks: [UInt8] = []
    var problems: [String] = []
    var report = VerificationReport()
    var pageSize: Int { core.pageSize }

    init(core: TxCore) { self.core = core }

    mutating func problem(_ s: String) { if problems.count < 100 { problems.append(s) } }

    mutating func mark(_ page: PageNumber, _ what: String) -> Bool {
        let i = Int(page.rawValue)
        guard i > 0, i < marks.count else {
            problem("\(what) refers to \(page), outside 1..<\(marks.count)")
            return false
        }
        marks[i] += 1
        if marks[i] > 1 {
            problem("\(page) reachable more than once (again as \(what))")
            return false
        }
        return true
    }

    mutating func run() throws {
        let (count, catalogRoot, freeHead, freeCount, size) = try core.withPage(.header) { p in
            (Int(p.u32(HeaderLayout.pageCount)), PageNumber(p.u32(HeaderLayout.catalogRoot)),
             PageNumber(p.u32(HeaderLayout.freeListHead)), Int(p.u32(HeaderLayout.freePageCount)), Int(p.u32(HeaderLayout.pageSize)))
        }
        report.pageSize = size
        report.pageCount = count
        if size != pageSize { problem("header page size \(size) != \(pageSize)") }
        marks = [UInt8](repeating: 0, count: count)
        if count > 0 { marks[0] = 1 }
        var entries: [(String, PageNumber)] = []
        _ = walkTree(catalogRoot, name: "(catalog)", catalog: &entries)
        for (name, root) in entries {
            var none: [(String, PageNumber)] = []
            _ = walkTree(root, name: name, catalog: &none)
        }
        walkFreeList(freeHead, expected: freeCount)
        for i in 1..<max(count, 1) where marks[i] == 0 { problem("page \(i) is lost (neither in a tree nor free)") }
    }

    mutating func walkTree(_ root: PageNumber, name: String, catalog: inout [(String, PageNumber)]) -> Bool {
        var summary = VerificationReport.TreeSummary(name: name, root: root, keys: 0, depth: 0, pages: 0)
        var leafDepth: Int?
        let ok = walkNode(root, isRoot: true, lower: nil, upper: nil, depth: 1, tree: name, leafDepth: &leafDepth,
                          summary: &summary, catalog: &catalog, collect: name == "(catalog)")
        summary.depth = leafDepth ?? 0
        if name != "(catalog)" { report.trees.append(summary) }
        return ok
    }

    mutating func walkNode(_ page: PageNumber, isRoot: Bool, lower: [UInt8]?, upper: [UInt8]?, depth: Int, tree: String,
                           leafDepth: inout Int?, summary: inout VerificationReport.TreeSummary,
                           catalog: inout [(String, PageNumber)], collect: Bool) -> Bool {
        guard mark(page, "a node of \(tree)") else { return false }
        summary.pages += 1
        guard depth <= 64 else { problem("\(tree): deeper than 64 levels at \(page)"); return false }
        struct Info {
            var leaf = false
            var keys: [[UInt8]] = []
            var children: [PageNumber] = []
            var overflow: [(PageNumber, Int)] = []
            var values: [[UInt8]] = []
            var problems: [String] = []
        }
        let info: Info
        do {
            info = try core.withPage(page) { p -> Info in
                var info = Info()
                let type = p.u8(PageLayout.type)
                guard type == PageType.leaf.rawValue || type == PageType.interior.rawValue else {
                    info.problems.append("\(tree): \(page) has type \(type), expected a B+tree node")
                    return info
                }
                info.leaf = type == PageType.leaf.rawValue
                let n = Node.cellCount(p)
                let start = Int(p.u32(Node.contentStart))
                if Node.slots + 2 * n > start || start > pageSize {
                    info.problems.append("\(tree): \(page) slot array overlaps content (n=\(n), start=\(start))")
                    return info
                }
                var extents: [(Int, Int)] = []
                for i in 0..<n {
                    let off = Node.cellOffset(p, i)
                    guard off >= start, off + 7 <= pageSize else {
                        info.problems.append("\(tree): \(page) cell \(i) at \(off) outside the content area"); return info
                    }
                    let size = Node.cellSize(p, at: off, leaf: info.leaf)
                    guard off + size <= pageSize else {
                        info.problems.append("\(tree): \(page) cell \(i) runs past the page end"); return info
                    }
                    extents.append((off, size))
                    info.keys.append(Node.keyArray(p, i))
                    if info.leaf {
                        let k = Int(p.u16(off))
                        if p.u8(off + 2) != 0 {
                            info.overflow.append((PageNumber(p.u32(off + 7 + k + 4)), Int(p.u32(off + 7 + k))))
                        }
                        if collect { info.values.append(p.u8(off + 2) == 0 ? [UInt8](UnsafeRawBufferPointer(start: p + off + 7 + k, count: Int(p.u32(off + 3)))) : []) }
                    } else {
                        info.children.append(Node.child(p, i))
                    }
                }
                extents.sort { $0.0 < $1.0 }
                for j in extents.indices.dropFirst() where extents[j - 1].0 + extents[j - 1].1 > extents[j].0 {
                    info.problems.append("\(tree): \(page) cells overlap")
                    break
                }
                if !info.leaf { info.children.insert(Node.child(p, -1), at: 0) }
                return info
            }
        } catch {
            problem("\(tree): \(error)")
            return false
        }
        for p in info.problems { problem(p) }
        if !info.problems.isEmpty { return false }
        for j in info.keys.indices {
            let k = info.keys[j]
            if j > 0 && !info.keys[j - 1].lexicographicallyPrecedes(k) { problem("\(tree): \(page) keys out of order at \(j)") }
            if let lower, k.lexicographicallyPrecedes(lower) { problem("\(tree): \(page) key \(j) below its separator") }
            if let upper, !k.lexicographicallyPrecedes(upper) { problem("\(tree): \(page) key \(j) not below the next separator") }
        }
        if info.leaf {
            if leafDepth == nil { leafDepth = depth } else if leafDepth != depth { problem("\(tree): leaf \(page) at depth \(depth), others at \(leafDepth!)") }
            if !isRoot && info.keys.isEmpty { problem("\(tree): empty non-root leaf \(page)") }
            summary.keys += info.keys.count
            for (first, stored) in info.overflow { walkOverflow(first, stored: stored, tree: tree) }
            if collect {
                for (k, v) in zip(info.keys, info.values) {
                    if v.count == 4 { catalog.append((String(decoding: k, as: UTF8.self), PageNumber(v.withUnsafeBytes { $0.baseAddress!.u32(0) }))) }
                    else { problem("catalog entry \(String(decoding: k, as: UTF8.self)) is not a page number") }
                }
            }
            return true
        }
        for (c, child) in info.children.enumerated() {
            let lo = c == 0 ? lower : info.keys[c - 1]
            let hi = c < info.keys.count ? info.keys[c] : upper
            _ = walkNode(child, isRoot: false, lower: lo, upper: hi, depth: depth + 1, tree: tree, leafDepth: &leafDepth,
                         summary: &summary, catalog: &catalog, collect: collect)
        }
        return true
    }

    mutating func walkOverflow(_ first: PageNumber, stored: Int, tree: String) {
        do {
            let pages = try Overflow.chain(core, first: first, storedLength: stored)
            for p in pages { _ = mark(p, "an overflow page of \(tree)") }
            report.overflowPages += pages.count
        } catch {
            problem("\(tree): \(error)")
        }
    }

    mutating func walkFreeList(_ head: PageNumber, expected: Int) {
        var trunk = head
        var total = 0
        while trunk != .none {
            guard mark(trunk, "a free-list trunk") else { return }
            total += 1
            do {
                let (next, entries) = try core.withPage(trunk) { p -> (PageNumber, [PageNumber]) in
                    guard p.u8(PageLayout.type) == PageType.freeTrunk.rawValue else {
                        throw PageStoreError.corruptPage(trunk, reason: "expected a free-list trunk")
                    }
                    let n = min(Int(p.u32(TxCore.trunkCount)), (pageSize - TxCore.trunkEntries) / 4)
                    return (PageNumber(p.u32(TxCore.trunkNext)), (0..<n).map { PageNumber(p.u32(TxCore.trunkEntries + 4 * $0)) })
                }
                for e in entries { _ = mark(e, "a free page") }
                total += entries.count
                trunk = next
            } catch {
                problem("free list: \(error)")
                return
            }
        }
        report.freePages = total
        if total != expected { problem("free list holds \(total) pages, header says \(expected)") }
    }
}
