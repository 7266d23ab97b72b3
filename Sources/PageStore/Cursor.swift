/// How `Cursor.seek` chooses among keys relative to the target.
public enum SeekMode: Sendable {
    case greaterOrEqual, greater, lessOrEqual, less
}

/// A position in a tree, moving in key order both ways. In the write transaction a
/// cursor survives changes to the tree: after any change it re-seeks from its key.
///
/// The state skips the runtime exclusivity check (`@exclusivity(unchecked)`: each step
/// paid several checks, a few percent of a range scan); a cursor is used by one thread
/// and no access to its state overlaps an inout access to it.
public final class Cursor {
    let tree: Tree
    /// Interior steps hold the child index taken (-1 = leftmost); the last step is the
    /// leaf and its cell index.
    @exclusivity(unchecked) var stack: [(page: PageNumber, index: Int)] = []
    @exclusivity(unchecked) public private(set) var isValid = false
    /// The current key; meaningful only while `isValid`.
    @exclusivity(unchecked) public private(set) var key: [UInt8] = []
    @exclusivity(unchecked) var seenMutation = 0

    /// A read-only cursor keeps its current leaf pinned: a cached page version never
    /// changes, so stepping within a leaf needs no pool lookup.
    @exclusivity(unchecked) private var pinnedPage = PageNumber.none
    @exclusivity(unchecked) private var pinnedFrame: Int32 = -1

    init(tree: Tree) { self.tree = tree }

    deinit { unpinLeaf() }

    private func unpinLeaf() {
        if pinnedFrame >= 0 {
            tree.core.db.cache.unpin(pinnedFrame)
            pinnedFrame = -1
            pinnedPage = .none
        }
    }

    @inline(__always)
    private func withLeaf<R>(_ page: PageNumber, _ body: (UnsafeRawPointer) throws -> R) throws -> R {
        if core.isWriter { return try core.withPage(page, body) }
        if pinnedFrame < 0 || pinnedPage != page {
            unpinLeaf()
            pinnedFrame = try core.pin(page)
            pinnedPage = page
        }
        return try body(core.db.cache.pointer(pinnedFrame))
    }

    var core: TxCore { tree.core }

    /// Positions at the first key (per `mode`) relative to `target`; false when none.
    @discardableResult
    public func seek(_ target: [UInt8], _ mode: SeekMode = .greaterOrEqual) throws -> Bool {
        try core.checkActive()
        let exact = try descend(to: target)
        switch mode {
        case .greaterOrEqual:
            try forward()
        case .greater:
            if exact { stack[stack.count - 1].index += 1 }
            try forward()
        case .lessOrEqual:
            if !exact { stack[stack.count - 1].index -= 1 }
            try backward()
        case .less:
            stack[stack.count - 1].index -= 1
            try backward()
        }
        return isValid
    }

    /// Positions at the smallest key; false when the tree is empty.
    @discardableResult
    public func first() throws -> Bool {
        try core.checkActive()
        try descendEdge(leftmost: true)
        try forward()
        return isValid
    }

    /// Positions at the largest key; false when the tree is empty.
    @discardableResult
    public func last() throws -> Bool {
        try core.checkActive()
        try descendEdge(leftmost: false)
        try backward()
        return isValid
    }

    /// Moves to the next key; false (and invalid) at the end.
    @discardableResult
    public func next() throws -> Bool {
        guard isValid else { return false }
        if seenMutation != core.mutationCount { return try seek(key, .greater) }
        stack[stack.count - 1].index += 1
        try forward()
        return isValid
    }

    /// Moves to the previous key; false (and invalid) at the start.
    @discardableResult
    public func previous() throws -> Bool {
        guard isValid else { return false }
        if seenMutation != core.mutationCount { return try seek(key, .less) }
        stack[stack.count - 1].index -= 1
        try backward()
        return isValid
    }

    /// The value at the cursor.
    public func value() throws -> [UInt8] {
        precondition(isValid, "Cursor.value() on an invalid cursor")
        try core.checkActive()
        if seenMutation != core.mutationCount {
            let k = key
            guard try seek(k, .greaterOrEqual), key == k else {
                throw PageStoreError.invalidOption("the cursor's key was deleted")
            }
        }
        let leaf = stack[stack.count - 1]
        return try withLeaf(leaf.page) { try tree.value($0, leaf.index) }
    }

    /// Calls `body` with the current key and value without copying them (an overflow
    /// value is materialised first). The buffers are valid only inside `body`.
    public func withCurrent<R>(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> R) throws -> R {
        precondition(isValid, "Cursor.withCurrent on an invalid cursor")
        try core.checkActive()
        if seenMutation != core.mutationCount {
            let k = key
            guard try seek(k, .greaterOrEqual), key == k else {
                throw PageStoreError.invalidOption("the cursor's key was deleted")
            }
        }
        let leaf = stack[stack.count - 1]
        return try withLeaf(leaf.page) { p in
            let off = Node.cellOffset(p, leaf.index)
            let k = Int(p.u16(off))
            let keyBuffer = UnsafeRawBufferPointer(start: p + off + 7, count: k)
            if p.u8(off + 2) == 0 {
                return try body(keyBuffer, UnsafeRawBufferPointer(start: p + off + 7 + k, count: Int(p.u32(off + 3))))
            }
            let v = try tree.value(p, leaf.index)
            return try v.withUnsafeBytes { try body(keyBuffer, $0) }
        }
    }

    // MARK: internals

    /// Descends to the leaf for `target`; the leaf index is its lower bound.
    private func descend(to target: [UInt8]) throws -> Bool {
        stack.removeAll(keepingCapacity: true)
        var page = tree.root
        return try target.withUnsafeBytes { k in
            while true {
                let step: (Int, Bool, Bool) = try core.withPage(page) { p in
                    if Node.isLeaf(p) {
                        let (i, exact) = Node.lowerBound(p, k, leaf: true)
                        return (i, exact, true)
                    }
                    try tree.checkInterior(p, page)
                    return (Node.childIndex(p, k), false, false)
                }
                stack.append((page, step.0))
                if step.2 { return step.1 }
                page = try core.withPage(page) { Node.child($0, step.0) }
                try checkDepth()
            }
        }
    }

    private func checkDepth() throws {
        if stack.count > 64 { throw PageStoreError.corruptPage(stack.last!.page, reason: "tree deeper than 64 levels (cycle?)") }
    }

    /// Descends from the top of the stack (or the root) along the leftmost or rightmost edge.
    private func descendEdge(leftmost: Bool, from start: PageNumber? = nil) throws {
        if start == nil { stack.removeAll(keepingCapacity: true) }
        var page = start ?? tree.root
        while true {
            let (leaf, count) = try core.withPage(page) { p -> (Bool, Int) in
                if !Node.isLeaf(p) { try tree.checkInterior(p, page) }
                return (Node.isLeaf(p), Node.cellCount(p))
            }
            if leaf {
                stack.append((page, leftmost ? 0 : count - 1))
                return
            }
            let ci = leftmost ? -1 : count - 1
            stack.append((page, ci))
            page = try core.withPage(page) { Node.child($0, ci) }
            try checkDepth()
        }
    }

    /// Settles a leaf index that may be past the end onto the next existing key.
    private func forward() throws {
        while true {
            let leaf = stack[stack.count - 1]
            let count = try withLeaf(leaf.page) { Node.cellCount($0) }
            if leaf.index < count { return try settle() }
            stack.removeLast()
            // Up to the first ancestor with a child to the right.
            while let top = stack.last {
                let n = try core.withPage(top.page) { Node.cellCount($0) }
                if top.index < n - 1 { break }
                stack.removeLast()
            }
            guard !stack.isEmpty else { return invalidate() }
            stack[stack.count - 1].index += 1
            let top = stack[stack.count - 1]
            let child = try core.withPage(top.page) { Node.child($0, top.index) }
            try descendEdge(leftmost: true, from: child)
        }
    }

    /// Settles a leaf index that may be before the start onto the previous existing key.
    private func backward() throws {
        while true {
            let leaf = stack[stack.count - 1]
            if leaf.index >= 0 {
                let count = try withLeaf(leaf.page) { Node.cellCount($0) }
                if leaf.index < count { return try settle() }
                stack[stack.count - 1].index = count - 1
                if count > 0 { return try settle() }
            }
            stack.removeLast()
            while let top = stack.last {
                if top.index > -1 { break }
                stack.removeLast()
            }
            guard !stack.isEmpty else { return invalidate() }
            stack[stack.count - 1].index -= 1
            let top = stack[stack.count - 1]
            let child = try core.withPage(top.page) { Node.child($0, top.index) }
            try descendEdge(leftmost: false, from: child)
        }
    }

    private func settle() throws {
        let leaf = stack[stack.count - 1]
        // Reuses the key's buffer when no caller holds a copy of it (a scan that reads
        // `key` only briefly allocates no array per step).
        var k: [UInt8] = []
        swap(&k, &key)
        k.removeAll(keepingCapacity: true)
        do {
            try withLeaf(leaf.page) { p in
                let (start, count) = Node.key(p, leaf.index, leaf: Node.isLeaf(p))
                k.append(contentsOf: UnsafeRawBufferPointer(start: start, count: count))
            }
        } catch {
            invalidate()
            throw error
        }
        key = k
        isValid = true
        seenMutation = core.mutationCount
    }

    private func invalidate() {
        unpinLeaf()
        isValid = false
        stack.removeAll(keepingCapacity: true)
    }
}
