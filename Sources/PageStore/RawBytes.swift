#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// Little-endian loads and stores on raw page memory. Every on-disk integer is
// little-endian; these helpers are the only place that knows it.

extension UnsafeRawPointer {
    @inlinable func u16(_ offset: Int) -> UInt16 {
        UInt16(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
    @inlinable func u32(_ offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    @inlinable func u64(_ offset: Int) -> UInt64 {
        UInt64(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    @inlinable func u8(_ offset: Int) -> UInt8 { load(fromByteOffset: offset, as: UInt8.self) }
}

extension UnsafeMutableRawPointer {
    @inlinable func u16(_ offset: Int) -> UInt16 { UnsafeRawPointer(self).u16(offset) }
    @inlinable func u32(_ offset: Int) -> UInt32 { UnsafeRawPointer(self).u32(offset) }
    @inlinable func u64(_ offset: Int) -> UInt64 { UnsafeRawPointer(self).u64(offset) }
    @inlinable func u8(_ offset: Int) -> UInt8 { load(fromByteOffset: offset, as: UInt8.self) }
    @inlinable func setU16(_ offset: Int, _ v: UInt16) {
        storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt16.self)
    }
    @inlinable func setU32(_ offset: Int, _ v: UInt32) {
        storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt32.self)
    }
    @inlinable func setU64(_ offset: Int, _ v: UInt64) {
        storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt64.self)
    }
    @inlinable func setU8(_ offset: Int, _ v: UInt8) {
        storeBytes(of: v, toByteOffset: offset, as: UInt8.self)
    }
}

/// memcmp order on byte strings: the order of every B+tree.
@inlinable func compareBytes(_ a: UnsafeRawPointer, _ aCount: Int, _ b: UnsafeRawPointer, _ bCount: Int) -> Int {
    let n = Swift.min(aCount, bCount)
    if n > 0 {
        let c = memcmp(a, b, n)
        if c != 0 { return c < 0 ? -1 : 1 }
    }
    return aCount == bCount ? 0 : (aCount < bCount ? -1 : 1)
}
