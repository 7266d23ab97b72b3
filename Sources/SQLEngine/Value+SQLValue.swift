/// Conversions between runtime values and the public `SQLValue`, and result-set metadata.
extension Value {
    init(_ v: SQLValue) {
        switch v {
        case .null: self = .null
        case .int(let i): self = .int(i)
        case .uint(let u): self = .uint(u)
        case .double(let d): self = .double(d)
        case .float(let f): self = .double(Double(f))
        case .decimal(let s): self = SQLDecimal(text: Array(s.utf8)).map(Value.decimal) ?? .text(Array(s.utf8))
        case .string(let b): self = .text(b)
        case .bytes(let b): self = .binary(b)
        case .date(let y, let m, let d): self = .date(DateTimeValue(year: y, month: m, day: d).packed)
        case .datetime(let y, let mo, let d, let h, let mi, let s, let us):
            self = .datetime(DateTimeValue(year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us).packed)
        case .time(let neg, let h, let m, let s, let us):
            let t = (Int64(h) * 3600 + Int64(m) * 60 + Int64(s)) * microsPerSecond + Int64(us)
            self = .time(neg ? -t : t)
        }
    }

    /// The value as the client sees it for a column of type `t`.
    func sqlValue(_ t: ExprType) -> SQLValue {
        switch self {
        case .null: return .null
        case .int(let i):
            if t.kind == .decimal { return .decimal(SQLDecimal(i).rescaled(to: t.scale).text) }
            if t.kind == .double { return .double(Double(i)) }
            if t.kind == .text { return .string(textBytes) }
            return .int(i)
        case .uint(let u):
            if let column = t.column?.column.type, column.base == .bit {
                // A BIT(M) column reaches the client as MySQL sends it: (M + 7) / 8 bytes, big-endian.
                let count = ((column.length ?? 1) + 7) / 8
                return .bytes((0..<count).reversed().map { UInt8(truncatingIfNeeded: u >> (8 * UInt64($0))) })
            }
            if t.kind == .decimal { return .decimal(SQLDecimal(u).rescaled(to: t.scale).text) }
            if t.kind == .text { return .string(textBytes) }
            return .uint(u)
        case .double(let d):
            if let col = t.column?.column.type, col.base == .float { return .float(Float(d)) }
            if t.kind == .decimal, let dec = SQLDecimal(d) { return .decimal(dec.rescaled(to: t.scale).text) }
            if t.kind == .text { return .string(textBytes) }
            if t.scale < 31 && t.scale > 0 {
                // FLOAT(M,D)/DOUBLE(M,D) (and PI()) print with D decimals
                return .decimal(SQLDecimal(d).map { $0.rescaled(to: t.scale).text } ?? formatDouble(d))
            }
            return .double(d)
        case .decimal(let d):
            if t.kind == .decimal { return .decimal((t.scale != d.scale && t.scale <= 30 ? d.rescaled(to: t.scale) : d).text) }
            if t.kind == .double { return .double(d.doubleValue) }
            if t.kind == .text { return .string(textBytes) }
            return .decimal(d.text)
        case .text(let b): return t.kind == .binary ? .bytes(b) : .string(b)
        case .json(let j): return t.kind == .binary ? .bytes(j.text) : .string(j.text)
        case .binary(let b): return t.kind == .text ? .string(b) : .bytes(b)
        case .date(let p):
            if t.kind == .datetime { fallthrough }
            let d = DateTimeValue(packed: p)
            if t.kind == .text { return .string(Array(d.dateText.utf8)) }
            return .date(year: d.year, month: d.month, day: d.day)
        case .datetime(let p):
            var d = DateTimeValue(packed: p)
            if t.kind == .date { return .date(year: d.year, month: d.month, day: d.day) }
            if t.kind == .text { return .string(Array(d.text(fsp: -1).utf8)) }
            if t.scale < 6 && t.kind == .datetime {
                let unit = Int(pow(10.0, 6 - max(t.scale, 0)))
                d.microsecond = d.microsecond / unit * unit
            }
            return .datetime(year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute, second: d.second, microsecond: d.microsecond)
        case .time(let us):
            if t.kind == .text { return .string(textBytes) }
            let a = us.magnitude
            let secs = a / 1_000_000
            return .time(negative: us < 0, hours: Int(secs / 3600), minutes: Int(secs / 60 % 60), seconds: Int(secs % 60), microseconds: Int(a % 1_000_000))
        }
    }

    var sqlValue: SQLValue {
        switch self {
        case .decimal(let d): return .decimal(d.text)
        default: return sqlValue(ExprCompilerTypes.natural(self))
        }
    }
}

enum ExprCompilerTypes {
    static func natural(_ v: Value) -> ExprType {
        switch v {
        case .null: return .null
        case .int: return .int
        case .uint: return ExprType(.uint)
        case .double: return .double
        case .decimal(let d): return ExprType(.decimal, scale: d.scale)
        case .text: return .text
        case .json:
            var t = ExprType.text
            t.isJSON = true
            return t
        case .binary: return ExprType(.binary)
        case .date: return ExprType(.date)
        case .datetime: return ExprType(.datetime, scale: 6)
        case .time: return ExprType(.time, scale: 6)
        }
    }
}

extension OutputColumn {
    /// Result-set metadata for this column (ColumnDefinition41).
    var definition: ColumnDefinition {
        let t = type
        var def: ColumnDefinition
        if let origin = t.column {
            let c = origin.column
            let (mysqlType, length, decimals) = ColumnDefinition.wireType(of: c.type)
            def = ColumnDefinition(schema: origin.db, table: origin.table, orgTable: origin.orgTable, name: name, orgName: c.name,
                                   characterSet: c.type.isText ? c.type.collation.id : 63, columnLength: length, type: mysqlType,
                                   flags: origin.flags, decimals: decimals)
            return def
        }
        var flags: UInt16 = t.nullable ? 0 : ColumnDefinition.notNullFlag
        switch t.kind {
        case .null:
            return ColumnDefinition(name: name, characterSet: 63, columnLength: 0, type: .null, flags: ColumnDefinition.binaryFlag, decimals: 0)
        case .int:
            flags |= ColumnDefinition.numFlag | ColumnDefinition.binaryFlag
            return ColumnDefinition(name: name, characterSet: 63, columnLength: UInt32(max(t.length, 1)), type: .longlong, flags: flags, decimals: 0)
        case .uint:
            flags |= ColumnDefinition.numFlag | ColumnDefinition.binaryFlag | ColumnDefinition.unsignedFlag
            return ColumnDefinition(name: name, characterSet: 63, columnLength: UInt32(max(t.length, 1)), type: .longlong, flags: flags, decimals: 0)
        case .decimal:
            flags |= ColumnDefinition.numFlag | ColumnDefinition.binaryFlag
            return ColumnDefinition(name: name, characterSet: 63, columnLength: UInt32(max(t.length, t.scale + 2)), type: .newdecimal, flags: flags, decimals: UInt8(min(t.scale, 30)))
        case .double:
            flags |= ColumnDefinition.numFlag | ColumnDefinition.binaryFlag
            return ColumnDefinition(name: name, characterSet: 63, columnLength: 23, type: .double, flags: flags, decimals: UInt8(min(t.scale, 31)))
        case .text:
            return ColumnDefinition(name: name, characterSet: t.collation == .binary ? 63 : t.collation.id, columnLength: UInt32(min(max(t.length, 0) * 4, Int(UInt32.max))),
                                    type: t.length > 65535 / 4 ? .blob : .varString, flags: flags, decimals: 31)
        case .binary:
            return ColumnDefinition(name: name, characterSet: 63, columnLength: UInt32(min(max(t.length, 0), Int(UInt32.max))), type: t.length > 65535 ? .blob : .varString,
                                    flags: flags | ColumnDefinition.binaryFlag, decimals: 31)
        case .date:
            return ColumnDefinition(name: name, characterSet: 63, columnLength: 10, type: .date, flags: flags | ColumnDefinition.binaryFlag, decimals: 0)
        case .datetime:
            return ColumnDefinition(name: name, characterSet: 63, columnLength: UInt32(19 + (t.scale > 0 ? t.scale + 1 : 0)), type: .datetime, flags: flags | ColumnDefinition.binaryFlag, decimals: UInt8(min(t.scale, 6)))
        case .time:
            return ColumnDefinition(name: name, characterSet: 63, columnLength: UInt32(10 + (t.scale > 0 ? t.scale + 1 : 0)), type: .time, flags: flags | ColumnDefinition.binaryFlag, decimals: UInt8(min(t.scale, 6)))
        }
    }
}

extension ColumnDefinition {
    /// MySQL's wire type, column length and decimals of a declared column type.
    static func wireType(of t: ColumnType) -> (MySQLColumnType, UInt32, UInt8) {
        switch t.base {
        case .tinyint: return (.tiny, t.isBool || t.length == 1 ? 1 : (t.unsigned ? 3 : 4), 0)
        case .smallint: return (.short, t.unsigned ? 5 : 6, 0)
        case .mediumint: return (.int24, t.unsigned ? 8 : 9, 0)
        case .int: return (.long, t.unsigned ? 10 : 11, 0)
        case .bigint: return (.longlong, 20, 0)
        case .decimal:
            let p = t.length ?? 10, s = t.scale ?? 0
            return (.newdecimal, UInt32(p + (s > 0 ? 1 : 0) + (t.unsigned ? 0 : 1)), UInt8(s))
        case .float: return (.float, UInt32(t.length ?? 12), UInt8(t.scale ?? 31))
        case .double: return (.double, UInt32(t.length ?? 22), UInt8(t.scale ?? 31))
        case .bit: return (.bit, UInt32(t.length ?? 1), 0)
        case .char: return (.string, UInt32(t.maxLength * 4), 0)
        case .varchar: return (.varString, UInt32(t.maxLength * 4), 0)
        case .binary: return (.string, UInt32(t.maxLength), 0)
        case .varbinary: return (.varString, UInt32(t.maxLength), 0)
        case .tinytext, .tinyblob: return (.blob, 255 * (t.isText ? 4 : 1), 0)
        case .text, .blob: return (.blob, 65535 * (t.isText ? 4 : 1), 0)
        case .mediumtext, .mediumblob: return (.blob, UInt32(16_777_215 * (t.isText ? 4 : 1) & 0xFFFF_FFFF), 0)
        case .longtext, .longblob: return (.blob, UInt32.max, 0)
        case .json: return (.json, UInt32.max, 0)
        case .date: return (.date, 10, 0)
        case .datetime: return (.datetime, UInt32(19 + (t.fsp > 0 ? t.fsp + 1 : 0)), UInt8(t.fsp))
        case .timestamp: return (.timestamp, UInt32(19 + (t.fsp > 0 ? t.fsp + 1 : 0)), UInt8(t.fsp))
        case .time: return (.time, UInt32(10 + (t.fsp > 0 ? t.fsp + 1 : 0)), UInt8(t.fsp))
        case .year: return (.year, 4, 0)
        case .enumeration: return (.string, UInt32((t.values.map(\.count).max() ?? 1) * 4), 0)
        case .set: return (.string, UInt32(t.values.map(\.count).reduce(0, +) * 4 + t.values.count), 0)
        }
    }
}
