extension Database {
    /// Writes a consistent copy of the latest snapshot to `path` as a standalone data
    /// file (no log needed), while readers and the writer carry on. The copy is written
    /// under `path-creating`, fsynced and renamed into place, so `path` is never partial.
    /// Every page read is checksum-verified on the way. Returns the number of pages.
    @discardableResult
    public func backup(to path: String) throws -> Int {
        try checkUsable()
        let reader = try beginRead()
        defer { reader.end() }
        let core = reader.core
        let fs = options.fileSystem
        let temporary = path + "-creating"
        let file = try fs.open(temporary, create: true)
        defer { file.close() }
        try file.truncate(to: 0)
        let (pageCount, freeHead) = try core.withPage(.header) {
            (Int($0.u32(HeaderLayout.pageCount)), PageNumber($0.u32(HeaderLayout.freeListHead)))
        }
        // Free pages (other than trunks) may never have been written: copy zeros.
        var free = Set<UInt32>()
        var trunk = freeHead
        while trunk != .none {
            trunk = try core.withPage(trunk) { p in
                let n = min(Int(p.u32(TxCore.trunkCount)), (pageSize - TxCore.trunkEntries) / 4)
                for i in 0..<n { free.insert(p.u32(TxCore.trunkEntries + 4 * i)) }
                return PageNumber(p.u32(TxCore.trunkNext))
            }
            guard free.count <= pageCount else { throw PageStoreError.corruptPage(trunk, reason: "free list loops") }
        }
        let batch = 64
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: batch * pageSize, alignment: 4096)
        defer { buffer.deallocate() }
        var first = 0
        while first < pageCount {
            let n = min(batch, pageCount - first)
            for i in 0..<n {
                let page = PageNumber(UInt32(first + i))
                let dst = buffer + i * pageSize
                if free.contains(page.rawValue) {
                    dst.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize)
                    continue
                }
                try core.withPage(page) { dst.copyMemory(from: $0, byteCount: pageSize) }
                if page == .header {
                    dst.setU64(HeaderLayout.checkpointLSN, core.snapshot.rawValue)
                    // A new identity: the original's log can never be replayed onto the copy.
                    dst.setU64(HeaderLayout.databaseID, UInt64.random(in: 1...UInt64.max))
                    PageLayout.seal(dst, pageSize: pageSize, number: .header, lsn: LSN(dst.u64(PageLayout.lsn)))
                }
            }
            try file.write(UnsafeRawBufferPointer(start: buffer, count: n * pageSize), at: Int64(first) * Int64(pageSize))
            first += n
        }
        try file.sync()
        if fs.exists(path + "-wal") {
            let wal = try fs.open(path + "-wal", create: false)
            defer { wal.close() }
            try wal.truncate(to: 0)
            try wal.sync()
        }
        try fs.rename(temporary, to: path)
        return pageCount
    }
}
