// Deletion with reclaim: empty leaves go back to the free list, underfull siblings
// merge when both fit in one page, a root left with one child pulls it up.

extension Tree {
    /// Removes `key`; returns false when it was absent. Empty pages go back to the free
    /// list and underfull siblings merge.
    @discardableResult
    public func delete(_ key: [UInt8]) throws -> Bool {
        try lockForChange(key)
        var path = try descend(key)
        let leaf = path.removeLast().page
        let found = try core.withPage(leaf) { p in key.withUnsafeBytes { Node.lowerBound(p, $0, leaf: true) } }
        guard found.1 else { return false }
        core.mutationCount += 1
        let w = try core.writable(leaf)
        try freeOverflow(w, found.0)
        Node.remove(w, at: found.0, pageSize: pageSize)
        try rebalance(leaf, path: path)
        if core.isSpeculative && !core.isReplaying { core.changes.append(.delete(tree: name, key: key)) }
        return true
    }

    func rebalance(_ start: PageNumber, path startPath: [Step]) throws {
        var page = start
        var path = startPath
        while let parentStep = path.last {
            let (count, leaf, used) = try core.withPage(page) { p in
                (Node.cellCount(p), Node.isLeaf(p), Node.usedBytes(p, pageSize: pageSize))
            }
            let parentCount = try core.withPage(parentStep.page) { Node.cellCount($0) }
            if leaf && count == 0 {
                let parent = try core.writable(parentStep.page)
                if parentCount > 0 {
                    removeChild(parent, parentStep.child)
                    try core.free(page)
                } else {
                    // The parent's only child is empty: the parent becomes an empty
                    // leaf, removed in turn by its own parent (or left as the empty root).
                    try core.free(page)
                    Node.initialize(parent, type: .leaf, pageSize: pageSize)
                }
            } else if used < (pageSize - Node.slots) / 4 && parentCount > 0 {
                guard try merge(parentStep.page, parentStep.child) else { return }
            } else {
                return
            }
            page = parentStep.page
            path.removeLast()
        }
        try collapseRoot()
    }

    /// Removes child `ci` from an interior page.
    func removeChild(_ parent: UnsafeMutableRawPointer, _ ci: Int) {
        if ci < 0 {
            Node.setChild(parent, -1, Node.child(parent, 0))
            Node.remove(parent, at: 0, pageSize: pageSize)
        } else {
            Node.remove(parent, at: ci, pageSize: pageSize)
        }
    }

    /// Merges child `ci` of `parent` with a sibling when both fit in one page.
    func merge(_ parentPage: PageNumber, _ ci: Int) throws -> Bool {
        // Read-only until we know the merge fits: a failed attempt dirties nothing.
        let parentCount = try core.withPage(parentPage) { Node.cellCount($0) }
        // Right sibling when there is one, else the left one. `s` is the parent cell
        // whose child is the right page of the pair.
        let s = ci + 1 < parentCount ? ci + 1 : ci
        let (left, right) = try core.withPage(parentPage) { (Node.child($0, s - 1), Node.child($0, s)) }
        try checkNode(left, like: right)
        let rightCells = try core.withPage(right) { p in (0..<Node.cellCount(p)).map { Node.cellBytes(p, $0) } }
        let (rightLeftmost, rightLeaf) = try core.withPage(right) { (PageNumber($0.u32(Node.leftmost)), Node.isLeaf($0)) }
        let leftUsed = try core.withPage(left) { Node.usedBytes($0, pageSize: pageSize) }
        var extra = rightCells.reduce(0) { $0 + $1.count + 2 }
        var separatorCell: [UInt8] = []
        if !rightLeaf {
            separatorCell = try core.withPage(parentPage) { p in
                let (k, n) = Node.key(p, s, leaf: false)
                return Node.interiorCell(key: UnsafeRawBufferPointer(start: k, count: n), child: rightLeftmost)
            }
            extra += separatorCell.count + 2
        }
        guard leftUsed + extra <= pageSize - Node.slots else { return false }
        let parent = try core.writable(parentPage)
        let lw = try core.writable(left)
        var at = Node.cellCount(lw)
        for cell in (rightLeaf ? [] : [separatorCell]) + rightCells {
            let ok = cell.withUnsafeBytes { Node.insert(lw, at: at, cell: $0, pageSize: pageSize) }
            precondition(ok, "merge: cells do not fit")
            at += 1
        }
        Node.remove(parent, at: s, pageSize: pageSize)
        try core.free(right)
        return true
    }

    /// Siblings must both be leaves or both interior pages.
    func checkNode(_ a: PageNumber, like b: PageNumber) throws {
        let ta = try core.withPage(a) { $0.u8(PageLayout.type) }
        let tb = try core.withPage(b) { $0.u8(PageLayout.type) }
        let node: Set<UInt8> = [PageType.leaf.rawValue, PageType.interior.rawValue]
        guard node.contains(ta) else { throw PageStoreError.corruptPage(a, reason: "expected a B+tree node, found type \(ta)") }
        guard ta == tb else { throw PageStoreError.corruptPage(b, reason: "sibling of \(a) has type \(tb), expected \(ta)") }
    }

    /// While the root is an interior page with a single child, pull the child up.
    func collapseRoot() throws {
        while true {
            let child: PageNumber? = try core.withPage(root) { p in
                Node.isLeaf(p) || Node.cellCount(p) > 0 ? nil : PageNumber(p.u32(Node.leftmost))
            }
            guard let child else { return }
            let childType = try core.withPage(child) { $0.u8(PageLayout.type) }
            guard childType == PageType.leaf.rawValue || childType == PageType.interior.rawValue else {
                throw PageStoreError.corruptPage(child, reason: "expected a B+tree node, found type \(childType)")
            }
            let w = try core.writable(root)
            try core.withPage(child) { c in
                (w + PageLayout.headerSize).copyMemory(from: c + PageLayout.headerSize, byteCount: pageSize - PageLayout.headerSize)
                w.setU8(PageLayout.type, c.u8(PageLayout.type))
            }
            try core.free(child)
        }
    }

    /// Frees every page of the subtree at `page`, overflow chains included.
    func freeAll(_ page: PageNumber, depth: Int = 0) throws {
        guard depth < 64 else { throw PageStoreError.corruptPage(page, reason: "tree deeper than 64 levels (cycle?)") }
        let (leaf, children) = try core.withPage(page) { p -> (Bool, [PageNumber]) in
            if Node.isLeaf(p) { return (true, []) }
            try checkInterior(p, page)
            return (false, (-1..<Node.cellCount(p)).map { Node.child(p, $0) })
        }
        if leaf {
            let firsts = try core.withPage(page) { p -> [PageNumber] in
                (0..<Node.cellCount(p)).compactMap { i in
                    let off = Node.cellOffset(p, i)
                    return p.u8(off + 2) == 0 ? nil : PageNumber(p.u32(off + 7 + Int(p.u16(off)) + 4))
                }
            }
            for f in firsts { try Overflow.free(core, first: f) }
        }
        for c in children { try freeAll(c, depth: depth + 1) }
        try core.free(page)
    }

}
