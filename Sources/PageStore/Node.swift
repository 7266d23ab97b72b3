#if canImport(Glibc)
import Glibc
#endif

// A B+tree node (page types leaf and interior): a slotted page.
//
//   offset size field
//   0      24   common page header (Page.swift)
//   24     2    cell count n
//   26     2    reserved
//   28     4    start of the cell content area (cells fill [start, pageSize))
//   32     4    garbage: bytes of dead cells inside the content area
//   36     4    interior: leftmost child (keys < key 0); leaf: 0
//   40     2n   slots: u16 offset of each cell, in ascending key order
//   ...         free space, then cell content growing down from the end of the page
//
// Leaf cell:      u16 key length k, u8 flags, u32 value length, key, then
//                 flags 0: the value (inline)
//                 flags 1: u32 stored length, u32 first overflow page (raw value)
//                 flags 2: as 1, the stored bytes are an LZ4 block of the value
// Interior cell:  u16 key length k, u32 child, key. Child i holds keys ≥ key i and
//                 < key i+1.
//
// Invariants: keys strictly ascending across slots; every cell lies inside the
// content area; a cell is at most `maxCellSize` (a quarter of the usable space), so a
// split always leaves both halves fitting and every node holds at least 4 cells' worth.

enum Node {
    static let count = 24
    static let contentStart = 28
    static let garbage = 32
    static let leftmost = 36
    static let slots = 40

    static func maxCellSize(pageSize: Int) -> Int { (pageSize - slots) / 4 - 2 }
    /// The largest key: a leaf overflow cell (15 bytes + key) still fits a cell.
    static func maxKeySize(pageSize: Int) -> Int { min(maxCellSize(pageSize: pageSize) - 15, Int(UInt16.max)) }

    static func initialize(_ p: UnsafeMutableRawPointer, type: PageType, pageSize: Int) {
        (p + PageLayout.headerSize).initializeMemory(as: UInt8.self, repeating: 0, count: pageSize - PageLayout.headerSize)
        p.setU8(PageLayout.type, type.rawValue)
        p.setU32(contentStart, UInt32(pageSize))
    }

    @inline(__always) static func isLeaf(_ p: UnsafeRawPointer) -> Bool { p.u8(PageLayout.type) == PageType.leaf.rawValue }
    @inline(__always) static func cellCount(_ p: UnsafeRawPointer) -> Int { Int(p.u16(count)) }
    @inline(__always) static func cellOffset(_ p: UnsafeRawPointer, _ i: Int) -> Int { Int(p.u16(slots + 2 * i)) }

    /// Key of cell `i`: (pointer, length).
    @inline(__always) static func key(_ p: UnsafeRawPointer, _ i: Int, leaf: Bool) -> (UnsafeRawPointer, Int) {
        let off = cellOffset(p, i)
        return (p + off + (leaf ? 7 : 6), Int(p.u16(off)))
    }

    static func keyArray(_ p: UnsafeRawPointer, _ i: Int) -> [UInt8] {
        let (k, n) = key(p, i, leaf: isLeaf(p))
        return [UInt8](UnsafeRawBufferPointer(start: k, count: n))
    }

    @inline(__always) static func child(_ p: UnsafeRawPointer, _ i: Int) -> PageNumber {
        i < 0 ? PageNumber(p.u32(leftmost)) : PageNumber(p.u32(cellOffset(p, i) + 2))
    }

    static func setChild(_ p: UnsafeMutableRawPointer, _ i: Int, _ child: PageNumber) {
        if i < 0 { p.setU32(leftmost, child.rawValue) } else { p.setU32(cellOffset(p, i) + 2, child.rawValue) }
    }

    static func cellSize(_ p: UnsafeRawPointer, at off: Int, leaf: Bool) -> Int {
        let k = Int(p.u16(off))
        guard leaf else { return 6 + k }
        return p.u8(off + 2) == 0 ? 7 + k + Int(p.u32(off + 3)) : 7 + k + 8
    }

    static func cellBytes(_ p: UnsafeRawPointer, _ i: Int) -> [UInt8] {
        let off = cellOffset(p, i)
        return [UInt8](UnsafeRawBufferPointer(start: p + off, count: cellSize(p, at: off, leaf: isLeaf(p))))
    }

    /// Index of the first key ≥ `key`, and whether it is equal.
    @inline(__always)
    static func lowerBound(_ p: UnsafeRawPointer, _ key: UnsafeRawBufferPointer, leaf: Bool) -> (Int, Bool) {
        var lo = 0
        var hi = cellCount(p)
        var found = false
        let kp = key.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        while lo < hi {
            let mid = (lo + hi) >> 1
            let (mk, mn) = Self.key(p, mid, leaf: leaf)
            let c = compareBytes(mk, mn, kp, key.count)
            if c < 0 { lo = mid + 1 } else {
                if c == 0 { found = true }
                hi = mid
            }
        }
        return (lo, found && lo < cellCount(p))
    }

    /// Interior: the child index (-1 = leftmost) whose range holds `key`.
    @inline(__always)
    static func childIndex(_ p: UnsafeRawPointer, _ key: UnsafeRawBufferPointer) -> Int {
        let (i, exact) = lowerBound(p, key, leaf: false)
        return exact ? i : i - 1
    }

    static func freeSpace(_ p: UnsafeRawPointer) -> Int {
        Int(p.u32(contentStart)) - (slots + 2 * cellCount(p))
    }

    /// Bytes used by slots and live cells.
    static func usedBytes(_ p: UnsafeRawPointer, pageSize: Int) -> Int {
        2 * cellCount(p) + pageSize - Int(p.u32(contentStart)) - Int(p.u32(garbage))
    }

    /// Inserts a cell of `size` bytes at slot `i` and returns where to write it, or nil
    /// when the page is too full.
    static func reserve(_ p: UnsafeMutableRawPointer, at i: Int, size: Int, pageSize: Int) -> UnsafeMutableRawPointer? {
        if freeSpace(p) < size + 2 {
            guard freeSpace(p) + Int(p.u32(garbage)) >= size + 2 else { return nil }
            compact(p, pageSize: pageSize)
            guard freeSpace(p) >= size + 2 else { return nil }
        }
        let n = cellCount(p)
        let start = Int(p.u32(contentStart)) - size
        p.setU32(contentStart, UInt32(start))
        let slot = p + slots + 2 * i
        if i < n { memmove(slot + 2, slot, 2 * (n - i)) }
        p.setU16(slots + 2 * i, UInt16(start))
        p.setU16(count, UInt16(n + 1))
        return p + start
    }

    static func insert(_ p: UnsafeMutableRawPointer, at i: Int, cell: UnsafeRawBufferPointer, pageSize: Int) -> Bool {
        guard let dst = reserve(p, at: i, size: cell.count, pageSize: pageSize) else { return false }
        dst.copyMemory(from: cell.baseAddress!, byteCount: cell.count)
        return true
    }

    static func remove(_ p: UnsafeMutableRawPointer, at i: Int, pageSize: Int) {
        let n = cellCount(p)
        let off = cellOffset(p, i)
        let size = cellSize(p, at: off, leaf: isLeaf(p))
        let slot = p + slots + 2 * i
        if i < n - 1 { memmove(slot, slot + 2, 2 * (n - 1 - i)) }
        p.setU16(count, UInt16(n - 1))
        if n == 1 {
            p.setU32(contentStart, UInt32(pageSize))
            p.setU32(garbage, 0)
        } else if off == Int(p.u32(contentStart)) {
            p.setU32(contentStart, UInt32(off + size))
        } else {
            p.setU32(garbage, p.u32(garbage) + UInt32(size))
        }
    }

    /// Rewrites the content area without dead cells.
    static func compact(_ p: UnsafeMutableRawPointer, pageSize: Int) {
        let tmp = UnsafeMutableRawPointer.allocate(byteCount: pageSize, alignment: 16)
        defer { tmp.deallocate() }
        tmp.copyMemory(from: p, byteCount: pageSize)
        let leaf = isLeaf(p)
        var end = pageSize
        for i in 0..<cellCount(p) {
            let off = cellOffset(tmp, i)
            let size = cellSize(tmp, at: off, leaf: leaf)
            end -= size
            (p + end).copyMemory(from: tmp + off, byteCount: size)
            p.setU16(slots + 2 * i, UInt16(end))
        }
        p.setU32(contentStart, UInt32(end))
        p.setU32(garbage, 0)
    }

    /// Replaces the page's cells with `cells` (all must fit).
    static func fill(_ p: UnsafeMutableRawPointer, type: PageType, cells: ArraySlice<[UInt8]>, leftmost child: PageNumber, pageSize: Int) {
        initialize(p, type: type, pageSize: pageSize)
        p.setU32(leftmost, child.rawValue)
        for (i, c) in cells.enumerated() {
            let ok = c.withUnsafeBytes { insert(p, at: i, cell: $0, pageSize: pageSize) }
            precondition(ok, "Node.fill: cells do not fit")
        }
    }

    static func interiorCell(key: UnsafeRawBufferPointer, child: PageNumber) -> [UInt8] {
        var c = [UInt8](repeating: 0, count: 6 + key.count)
        c.withUnsafeMutableBytes { b in
            let p = b.baseAddress!
            p.setU16(0, UInt16(key.count))
            p.setU32(2, child.rawValue)
            if key.count > 0 { (p + 6).copyMemory(from: key.baseAddress!, byteCount: key.count) }
        }
        return c
    }
}
