import CLZ4

// Overflow pages hold values too large for a leaf cell, as a singly linked chain:
//
//   offset size field
//   0      24   common page header (type overflow)
//   24     4    next page of the chain (0 = last)
//   28     4    bytes of value data in this page
//   32     ..   data
//
// The leaf cell records the logical length, the stored length (the sum of the chain's
// data lengths) and whether the stored bytes are an LZ4 block (used when it saves at
// least an eighth). Reading checks every page's type, the lengths and the chain length,
// so a corrupt chain is an error, never a loop or a wrong value.

enum Overflow {
    static let next = 24
    static let length = 28
    static let data = 32

    static func capacity(_ pageSize: Int) -> Int { pageSize - data }

    /// Writes `value` to a new chain; returns (first page, stored length, compressed).
    static func write(_ core: TxCore, _ value: [UInt8]) throws -> (PageNumber, Int, Bool) {
        var stored = value
        var compressed = false
        if core.db.options.compressOverflowValues && value.count >= 256 {
            let bound = Int(LZ4_compressBound(Int32(value.count)))
            var out = [UInt8](repeating: 0, count: bound)
            let n = value.withUnsafeBytes { src in
                out.withUnsafeMutableBytes { dst in
                    LZ4_compress_default(src.baseAddress!.assumingMemoryBound(to: CChar.self),
                                         dst.baseAddress!.assumingMemoryBound(to: CChar.self),
                                         Int32(value.count), Int32(bound))
                }
            }
            if n > 0 && Int(n) <= value.count - value.count / 8 {
                out.removeLast(bound - Int(n))
                stored = out
                compressed = true
            }
        }
        let cap = capacity(core.pageSize)
        let pageCount = max(1, (stored.count + cap - 1) / cap)
        var pages: [(PageNumber, UnsafeMutableRawPointer)] = []
        for _ in 0..<pageCount { pages.append(try core.allocate(.overflow)) }
        stored.withUnsafeBytes { src in
            for (i, (_, p)) in pages.enumerated() {
                let start = i * cap
                let n = min(cap, stored.count - start)
                p.setU32(next, i + 1 < pages.count ? pages[i + 1].0.rawValue : 0)
                p.setU32(length, UInt32(n))
                if n > 0 { (p + data).copyMemory(from: src.baseAddress! + start, byteCount: n) }
            }
        }
        return (pages[0].0, stored.count, compressed)
    }

    /// The pages of a chain, checked.
    static func chain(_ core: TxCore, first: PageNumber, storedLength: Int) throws -> [PageNumber] {
        let cap = capacity(core.pageSize)
        let expected = max(1, (storedLength + cap - 1) / cap)
        var pages: [PageNumber] = []
        var page = first
        var total = 0
        while page != .none {
            guard pages.count < expected else { throw PageStoreError.corruptPage(page, reason: "overflow chain longer than its value") }
            let (nextPage, n) = try core.withPage(page) { p -> (PageNumber, Int) in
                guard p.u8(PageLayout.type) == PageType.overflow.rawValue else {
                    throw PageStoreError.corruptPage(page, reason: "expected an overflow page, found type \(p.u8(PageLayout.type))")
                }
                return (PageNumber(p.u32(next)), Int(p.u32(length)))
            }
            guard n <= cap else { throw PageStoreError.corruptPage(page, reason: "overflow length \(n) exceeds the page") }
            pages.append(page)
            total += n
            page = nextPage
        }
        guard total == storedLength else {
            throw PageStoreError.corruptPage(first, reason: "overflow chain holds \(total) bytes, cell says \(storedLength)")
        }
        return pages
    }

    static func read(_ core: TxCore, first: PageNumber, storedLength: Int, length: Int, compressed: Bool) throws -> [UInt8] {
        var stored = [UInt8](repeating: 0, count: storedLength)
        let pages = try chain(core, first: first, storedLength: storedLength)
        try stored.withUnsafeMutableBytes { dst in
            var at = 0
            for page in pages {
                try core.withPage(page) { p in
                    let n = Int(p.u32(Self.length))
                    if n > 0 { (dst.baseAddress! + at).copyMemory(from: p + data, byteCount: n) }
                    at += n
                }
            }
        }
        guard compressed else {
            guard storedLength == length else { throw PageStoreError.corruptPage(first, reason: "overflow length mismatch") }
            return stored
        }
        var out = [UInt8](repeating: 0, count: length)
        let n = stored.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                LZ4_decompress_safe(src.baseAddress!.assumingMemoryBound(to: CChar.self),
                                    dst.baseAddress?.assumingMemoryBound(to: CChar.self),
                                    Int32(storedLength), Int32(length))
            }
        }
        guard Int(n) == length else { throw PageStoreError.corruptPage(first, reason: "LZ4 block does not decode to \(length) bytes") }
        return out
    }

    static func free(_ core: TxCore, first: PageNumber) throws {
        var page = first
        var steps = 0
        while page != .none {
            let nextPage = try core.withPage(page) { p -> PageNumber in
                guard p.u8(PageLayout.type) == PageType.overflow.rawValue else {
                    throw PageStoreError.corruptPage(page, reason: "expected an overflow page")
                }
                return PageNumber(p.u32(next))
            }
            try core.free(page)
            page = nextPage
            steps += 1
            guard steps <= (Tree.maxValueSize / capacity(core.pageSize)) + 2 else {
                throw PageStoreError.corruptPage(first, reason: "overflow chain too long (cycle?)")
            }
        }
    }
}
