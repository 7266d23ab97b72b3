// Result set rows.
//
// Text row:    one lenenc string per column, 0xFB for NULL.
// Binary row:  0x00, NULL bitmap of (columns + 7 + 2) / 8 bytes in which column i is
//              bit (i + 2), then the non-NULL values in the binary encoding of each
//              column's type (MySQLBinaryValueCodec).
// A result set: column count (lenenc) · column definitions · [EOF] · rows · EOF / OK-as-EOF.

/// Text-protocol rows (COM_QUERY results).
public enum MySQLTextRow {
    /// A row of text values (nil = NULL).
    public static func encode(_ values: [[UInt8]?]) -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: values.reduce(0) { $0 + ($1?.count ?? 0) + 1 })
        encode(values, into: &w)
        return w.bytes
    }

    /// Appends the row's payload to `w` (with `MySQLPacketEncoder.appendPacket`).
    public static func encode(_ values: [[UInt8]?], into w: inout MySQLPacketWriter) {
        for value in values {
            if let value { w.writeLengthEncodedBytes(value) } else { w.writeNull() }
        }
    }

    public static func decode(_ payload: [UInt8], columnCount: Int) throws(MySQLWireError) -> [[UInt8]?] {
        var r = MySQLPacketReader(payload)
        var values: [[UInt8]?] = []
        values.reserveCapacity(columnCount)
        for _ in 0..<columnCount { values.append(try r.readLengthEncodedBytesOrNull("text row value")) }
        guard r.isAtEnd else { throw .malformed(field: "text row", reason: "\(r.remaining) bytes after the last column") }
        return values
    }
}

/// Binary-protocol rows (COM_STMT_EXECUTE results).
public enum MySQLBinaryRow {
    /// A row whose values are encoded as their columns' types.
    public static func encode(_ values: [MySQLValue], columns: [MySQLColumnDefinition]) -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 16 + values.count * 8)
        encode(values, columns: columns, into: &w)
        return w.bytes
    }

    /// Appends the row's payload to `w` (with `MySQLPacketEncoder.appendPacket`).
    public static func encode(_ values: [MySQLValue], columns: [MySQLColumnDefinition], into w: inout MySQLPacketWriter) {
        precondition(values.count == columns.count, "binary row of \(values.count) values for \(columns.count) columns")
        writeHeader(columnCount: values.count, into: &w) { if case .null = values[$0] { true } else { false } }
        for i in values.indices {
            if case .null = values[i] { continue }
            MySQLBinaryValueCodec.encode(values[i], as: columns[i].type, into: &w)
        }
    }

    /// Appends the row header: 0x00 and the NULL bitmap (column i is bit i + 2).
    public static func writeHeader(columnCount: Int, into w: inout MySQLPacketWriter, isNull: (Int) -> Bool) {
        w.writeUInt8(0x00)
        var bits: UInt8 = 0
        var bit = 2
        for i in 0..<columnCount {
            if isNull(i) { bits |= 1 << UInt8(bit) }
            bit += 1
            if bit == 8 {
                w.writeUInt8(bits)
                bits = 0
                bit = 0
            }
        }
        if bit != 0 { w.writeUInt8(bits) }
    }

    public static func decode(_ payload: [UInt8], columns: [MySQLColumnDefinition]) throws(MySQLWireError) -> [MySQLValue] {
        var r = MySQLPacketReader(payload)
        guard try r.readUInt8("binary row header") == 0x00 else {
            throw .malformed(field: "binary row header", reason: "not 0x00")
        }
        let bitmap = try r.readBytes((columns.count + 7 + 2) / 8, "binary row NULL bitmap")
        var values: [MySQLValue] = []
        values.reserveCapacity(columns.count)
        for (i, column) in columns.enumerated() {
            if bitmap[(i + 2) / 8] & (1 << UInt8((i + 2) % 8)) != 0 {
                values.append(.null)
                continue
            }
            values.append(try MySQLBinaryValueCodec.decode(
                column.type, isUnsigned: column.isUnsigned,
                binaryCharset: column.characterSet == UInt16(MySQLCharacterSet.binary), from: &r))
        }
        guard r.isAtEnd else { throw .malformed(field: "binary row", reason: "\(r.remaining) bytes after the last column") }
        return values
    }
}

/// The first packet of a result set.
public enum MySQLColumnCount {
    public static func encode(_ count: Int) -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 9)
        w.writeLengthEncodedInteger(UInt64(count))
        return w.bytes
    }
}
