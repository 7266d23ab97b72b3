/// The number of a page in the data file: page `n` lives at byte offset `n * pageSize`.
/// Page 0 is the header page; 0 is never a valid child, overflow or free-list link, so it
/// doubles as "none" in on-disk links.
public struct PageNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public static let header = PageNumber(0)
    /// The "no page" link value.
    public static let none = PageNumber(0)
    @inlinable public static func < (a: PageNumber, b: PageNumber) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "page \(rawValue)" }
}

/// A log sequence number: the commit number of the transaction that produced a page
/// version. Strictly increasing across commits, and across restarts of the process.
public struct LSN: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    @inlinable public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static let zero = LSN(0)
    @inlinable public static func < (a: LSN, b: LSN) -> Bool { a.rawValue < b.rawValue }
    public var next: LSN { LSN(rawValue + 1) }
    public var description: String { "LSN \(rawValue)" }
}
