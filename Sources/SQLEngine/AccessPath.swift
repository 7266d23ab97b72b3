import PageStore

/// How one FROM level reads its table: a full scan, or a seek in the primary key or a
/// secondary index by equality on a key prefix (several prefixes for IN lists) with an
/// optional range on the next key column. Every access path is followed by the level's
/// filters, so an access path may return a superset (it never misses a row).
struct AccessPath {
    enum Bound { case none, inclusive(Compiled), exclusive(Compiled) }

    /// nil: the clustered tree.
    var index: IndexSchema?
    /// One list of values per equality prefix to probe (IN lists give several).
    var equalities: [[Compiled]] = []
    /// Key positions of `equalities` that probe for NULL (`col IS NULL`): their values are
    /// not evaluated, and a unique index may hold several rows there.
    var nullProbes: Set<Int> = []
    var lower: Bound = .none
    var upper: Bound = .none
    var isFullScan: Bool { index == nil && equalities.isEmpty && isUnbounded }
    var isUnbounded: Bool {
        if case .none = lower, case .none = upper { return true }
        return false
    }
    /// Read the index backwards (ORDER BY ... DESC satisfied by the index).
    var reverse = false
    /// Chosen for its order (ORDER BY answered without sorting).
    var isOrdered = false
    /// The level's match filters (by position) whose rows are exactly those the
    /// equality prefix seeks: the compiler drops them from the per-row checks.
    var answeredFilters: [Int] = []

    /// Whether seeking `column = probe` (or each probe of an IN list) finds exactly the rows
    /// the comparison accepts: an integer column and integer probes, whose key values and
    /// comparison agree (a probe that is NULL or out of the column's range finds nothing,
    /// and the comparison accepts nothing). Strings (collations, PAD SPACE), temporal
    /// values (parsed probes) and other numbers keep their filter.
    static func seekIsExact(_ column: ColumnType, _ probes: [Compiled]) -> Bool {
        switch column.base {
        case .tinyint, .smallint, .mediumint, .int, .bigint: break
        default: return false
        }
        return probes.allSatisfy { $0.type.kind == .int || $0.type.kind == .uint }
    }

    static var fullScan: AccessPath { AccessPath() }

    /// EXPLAIN's access type: const (one row by a unique key), ref, range, index (a whole
    /// index in order), ALL.
    func explainType(unique: Bool) -> String {
        if isFullScan { return index == nil && isOrdered ? "index" : "ALL" }
        if equalities.isEmpty && isUnbounded { return "index" }
        if equalities.count == 1 && isUnbounded { return unique ? "const" : "ref" }
        return "range"
    }

    var description: String {
        if isFullScan { return "ALL" }
        let name = index?.name ?? "PRIMARY"
        if !equalities.isEmpty && isUnbounded { return equalities.count > 1 ? "range(\(name))" : "ref(\(name))" }
        return "range(\(name))"
    }
}

/// Skips one key component (see KeyEncoding); returns the offset after it.
func skipKeyComponent(_ key: [UInt8], _ at: Int, _ type: ColumnType) -> Int {
    guard at < key.count else { return key.count }
    if key[at] == 0 { return at + 1 }
    var i = at + 1
    switch type.base {
    case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .bit, .float, .double, .date, .datetime, .timestamp, .time:
        return i + 8
    case .decimal:
        return i + ((type.length ?? 10) > 38 ? 32 : 16)
    default:
        while i + 1 < key.count {
            if key[i] == 0 {
                if key[i + 1] == 0 { return i + 2 }
                i += 2
            } else {
                i += 1
            }
        }
        return key.count
    }
}

extension ColumnType {
    /// Whether the index key order of this type is the order ORDER BY sorts in (so an
    /// index can answer ORDER BY): not for floating point (-0, NaN) or ENUM/SET/JSON.
    var hasIndexOrderedAsSorted: Bool {
        switch base {
        case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .decimal, .date, .datetime, .timestamp, .time,
             .char, .varchar, .tinytext, .text, .mediumtext, .longtext, .binary, .varbinary, .tinyblob, .blob, .mediumblob, .longblob:
            return true
        default:
            return false
        }
    }

    /// The value to look up in a key of this column type for an equality with `v`; nil when no
    /// stored value can equal it (so the lookup finds nothing).
    func probeValue(_ v: Value) -> Value? {
        if v.isNull { return nil }
        switch base {
        case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .bit:
            switch v {
            case .int, .uint: return v
            case .decimal(let d):
                let t = d.truncated(to: 0)
                guard SQLDecimal.compare(t, d) == 0 else { return nil }
                return .int(Int64(clamping: t.mantissa.clampedInt128))
            case .double(let d):
                guard d == d.rounded(), abs(d) < 9.2e18 else { return nil }
                return .int(Int64(d))
            case .text(let b) where isWholeNumber(b):
                return probeValue(.double(parseDoublePrefix(b)))
            default: return nil
            }
        case .decimal, .float, .double:
            if v.isNumeric { return v }
            if case .text(let b) = v, isWholeNumber(b) { return .double(parseDoublePrefix(b)) }
            return nil
        case .date, .datetime, .timestamp:
            if let p = temporalValue(v, ctx: nil) {
                if base == .date, DateTimeValue(packed: p).dateOnly.packed != p { return nil }
                return .datetime(p)
            }
            return nil
        case .time:
            if case .time = v { return v }
            if case .text(let b) = v, let t = parseTime(b) { return .time(t) }
            return nil
        default:
            if v.isString { return v }
            return nil
        }
    }

    /// A range bound for this column: widened to a representable value (the filter re-checks).
    func boundValue(_ v: Value, lower: Bool) -> Value? {
        if v.isNull { return nil }
        switch base {
        case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .bit:
            let d: Double
            switch v {
            case .int, .uint: return v
            case .decimal(let x): d = x.doubleValue
            case .double(let x): d = x
            case .text(let b) where isWholeNumber(b): d = parseDoublePrefix(b)
            default: return nil
            }
            if d.isNaN { return nil }
            let r = lower ? d.rounded(.down) : d.rounded(.up)
            if r >= 9.2e18 { return .int(Int64.max) }
            if r <= -9.2e18 { return .int(Int64.min) }
            if unsigned && r < 0 { return .uint(0) }
            return .int(Int64(r))
        default:
            return probeValue(v)
        }
    }

    /// Whether a comparison between this column and an expression of type `t` may use the key order.
    func isKeyComparable(with t: ExprType, collation: Collation) -> Bool {
        if isInteger || base == .decimal || base == .float || base == .double { return t.isNumeric }
        if isTemporal { return t.isTemporal || t.kind == .text }
        if isText { return t.kind == .text && collation == self.collation }
        if isBinaryString { return t.isString }
        return false
    }
}

/// Reading rows from a secondary index alone (a covering index, InnoDB's "Using index"):
/// possible when every column the query reads is one of the index's columns or of the
/// primary key (which every index entry ends with) and its key encoding gives the value
/// back exactly — integers, YEAR, BIT, DATE, DATETIME, TIMESTAMP and TIME. Text keys hold
/// collation sort keys, DECIMAL keys lose the stored scale and FLOAT/DOUBLE keys fold -0
/// into 0, so a query reading those columns still looks the row up.
struct CoveringIndexRead {
    /// Per key component, in key order (index columns, then primary-key columns): the
    /// column it is and whether to decode it.
    private let components: [(column: Int, type: ColumnType, decode: Bool)]

    init?(_ index: IndexSchema, _ schema: TableSchema, needed: [Bool]?) {
        guard let needed, !schema.primaryKey.isEmpty, index.prefixLengths.allSatisfy({ $0 == nil }) else { return nil }
        let keyColumns = index.columns + schema.primaryKey
        var components: [(column: Int, type: ColumnType, decode: Bool)] = []
        var decoded = Set<Int>()
        for ci in keyColumns {
            let type = schema.columns[ci].type
            let decode = needed[ci] && !decoded.contains(ci)
            if decode {
                guard KeyEncoding.isDecodable(type) else { return nil }
                decoded.insert(ci)
            }
            components.append((ci, type, decode))
        }
        // every needed column must come out of the key
        for (ci, isNeeded) in needed.enumerated() where isNeeded && !decoded.contains(ci) { return nil }
        // trailing components after the last decoded one need not be walked
        while let last = components.last, !last.decode { components.removeLast() }
        self.components = components
    }

    func decode(_ key: [UInt8], into values: inout [Value], at offset: Int) throws {
        var pos = 0
        for c in components {
            if c.decode {
                guard let (value, next) = KeyEncoding.decode(key, at: pos, c.type) else { throw RowEncoding.corrupt() }
                values[offset + c.column] = value
                pos = next
            } else {
                pos = skipKeyComponent(key, pos, c.type)
            }
        }
    }
}

extension KeyEncoding {
    /// Whether `decode` gives a column of this type back exactly as RowEncoding stores it.
    static func isDecodable(_ type: ColumnType) -> Bool {
        switch type.base {
        case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .bit, .date, .datetime, .timestamp, .time: return true
        default: return false
        }
    }

    /// The value of the component at `at` and the position after it (types `isDecodable`).
    static func decode(_ key: [UInt8], at: Int, _ type: ColumnType) -> (Value, Int)? {
        guard at < key.count else { return nil }
        if key[at] == 0 { return (.null, at + 1) }
        guard at + 9 <= key.count else { return nil }
        var raw: UInt64 = 0
        for i in (at + 1)..<(at + 9) { raw = raw << 8 | UInt64(key[i]) }
        let signed = Int64(bitPattern: raw ^ (1 << 63))
        let value: Value
        switch type.base {
        case .tinyint, .smallint, .mediumint, .int, .bigint, .year, .bit:
            value = type.unsigned || type.base == .year || type.base == .bit ? .uint(raw) : .int(signed)
        case .date: value = .date(signed)
        case .datetime, .timestamp: value = .datetime(signed)
        case .time: value = .time(signed)
        default: return nil
        }
        return (value, at + 9)
    }
}
