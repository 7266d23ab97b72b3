// Every page starts with the same 24-byte header:
//
//   offset size field
//   0      4    CRC-32C of bytes 4..<pageSize
//   4      1    page type (PageType)
//   5      3    reserved, zero
//   8      8    LSN of the commit that wrote this version
//   16     4    the page's own number (catches misdirected writes)
//   20     4    reserved, zero
//
// Invariant: a page image in a file (data file or log frame) always carries a valid CRC
// and its own number; in memory, a page's CRC is stale until `seal` runs at commit.

enum PageType: UInt8 {
    case header = 1
    case leaf = 2
    case interior = 3
    case overflow = 4
    case freeTrunk = 5
}

enum PageLayout {
    static let crc = 0
    static let type = 4
    static let lsn = 8
    static let number = 16
    static let headerSize = 24

    /// Stamps number, LSN and CRC: the page becomes a valid on-disk image.
    static func seal(_ page: UnsafeMutableRawPointer, pageSize: Int, number: PageNumber, lsn: LSN) {
        page.setU64(Self.lsn, lsn.rawValue)
        page.setU32(Self.number, number.rawValue)
        page.setU32(crc, CRC32C.checksum(UnsafeRawBufferPointer(start: page + 4, count: pageSize - 4)))
    }

    /// Checks an image read from a file. Throws `corruptPage` naming the page.
    static func verify(_ page: UnsafeRawPointer, pageSize: Int, expected: PageNumber) throws {
        let stored = page.u32(crc)
        let computed = CRC32C.checksum(UnsafeRawBufferPointer(start: page + 4, count: pageSize - 4))
        guard stored == computed else {
            throw PageStoreError.corruptPage(expected, reason: "checksum mismatch (stored \(hex(stored)), computed \(hex(computed)))")
        }
        guard page.u32(number) == expected.rawValue else {
            throw PageStoreError.corruptPage(expected, reason: "page carries number \(page.u32(number))")
        }
        guard let kind = PageType(rawValue: page.u8(type)) else {
            throw PageStoreError.corruptPage(expected, reason: "unknown page type \(page.u8(type))")
        }
        // Structure checks, so that even a page with a forged checksum cannot make the
        // B+tree or free-list code read or write outside the page.
        if let problem = validateStructure(page, kind, pageSize: pageSize) {
            throw PageStoreError.corruptPage(expected, reason: problem)
        }
    }

    static func validateStructure(_ p: UnsafeRawPointer, _ kind: PageType, pageSize: Int) -> String? {
        switch kind {
        case .leaf, .interior:
            let n = Node.cellCount(p)
            let start = Int(p.u32(Node.contentStart))
            guard Node.slots + 2 * n <= start, start <= pageSize else { return "slot array and content area overlap" }
            let leaf = kind == .leaf
            let minimum = leaf ? 7 : 6
            let garbage = Int(p.u32(Node.garbage))
            var live = 0
            for i in 0..<n {
                let off = Node.cellOffset(p, i)
                guard off >= start, off + minimum <= pageSize else { return "cell \(i) outside the content area" }
                let k = Int(p.u16(off))
                if leaf && p.u8(off + 2) > 2 { return "cell \(i) has unknown flags" }
                let size = leaf && p.u8(off + 2) == 0 ? 7 + k + Int(p.u32(off + 3)) : (leaf ? 15 + k : 6 + k)
                guard off + size <= pageSize else { return "cell \(i) runs past the end of the page" }
                live += size
            }
            // Every byte of the content area is a live cell or counted garbage.
            guard live + garbage == pageSize - start else { return "cell sizes and garbage do not add up to the content area" }
            return nil
        case .overflow:
            return Int(p.u32(Overflow.length)) <= Overflow.capacity(pageSize) ? nil : "overflow length exceeds the page"
        case .freeTrunk:
            return Int(p.u32(TxCore.trunkCount)) <= (pageSize - TxCore.trunkEntries) / 4 ? nil : "free-list trunk count exceeds the page"
        case .header:
            return nil
        }
    }

    static func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
}

// The header page (page 0) body:
//
//   offset size field
//   24     8    magic "OBXPAGES"
//   32     4    format version (1)
//   36     4    page size in bytes
//   40     4    page count (pages 0..<count exist)
//   44     4    catalog tree root
//   48     4    free-list head (a freeTrunk page, 0 = empty)
//   52     4    number of free pages
//   56     8    checkpoint LSN: every commit up to it is in the data file
//   64     8    database ID: random at creation (and for each backup copy); the log
//                header carries its low 32 bits
//
// The header page is transactional like any other page: allocation, free and catalog
// changes reach it through the log.
enum HeaderLayout {
    static let magic = 24
    static let version = 32
    static let pageSize = 36
    static let pageCount = 40
    static let catalogRoot = 44
    static let freeListHead = 48
    static let freePageCount = 52
    static let checkpointLSN = 56
    static let databaseID = 64
    static let magicBytes: [UInt8] = Array("OBXPAGES".utf8)
    static let formatVersion: UInt32 = 1
}
