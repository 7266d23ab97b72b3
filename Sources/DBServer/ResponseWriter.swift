import MySQLWire
import SQLEngine

/// Accumulates the framed packets of one response, continuing the exchange's
/// sequence ids, in the shapes the negotiated capabilities call for (classic EOF
/// packets unless CLIENT_DEPRECATE_EOF).
struct ResponseWriter {
    let capabilities: MySQLCapabilities
    var sequenceID: UInt8
    private(set) var bytes: [UInt8] = []

    init(capabilities: MySQLCapabilities, sequenceID: UInt8) {
        self.capabilities = capabilities
        self.sequenceID = sequenceID
    }

    mutating func packet(_ payload: [UInt8]) {
        MySQLPacketEncoder.encode(payload, sequenceID: &sequenceID, into: &bytes)
    }

    mutating func ok(affectedRows: UInt64 = 0, lastInsertID: UInt64 = 0, status: MySQLServerStatus, warnings: UInt16 = 0, info: String = "") {
        packet(MySQLOKPacket(affectedRows: affectedRows, lastInsertID: lastInsertID, status: status, warnings: warnings,
                             info: info).encode(capabilities: capabilities))
    }

    mutating func error(_ error: MySQLErrorPacket) {
        packet(error.encode(capabilities: capabilities))
    }

    /// The marker after column definitions (omitted under DEPRECATE_EOF).
    mutating func endOfMetadata(status: MySQLServerStatus) {
        guard !capabilities.contains(.deprecateEOF) else { return }
        packet(MySQLEOFPacket(status: status).encode())
    }

    /// The marker after rows: EOF, or OK with header 0xFE under DEPRECATE_EOF.
    mutating func endOfRows(status: MySQLServerStatus, warnings: UInt16) {
        if capabilities.contains(.deprecateEOF) {
            packet(MySQLOKPacket(status: status, warnings: warnings).encode(capabilities: capabilities, asEOF: true))
        } else {
            packet(MySQLEOFPacket(warnings: warnings, status: status).encode())
        }
    }

    /// A whole result set in the text (COM_QUERY) or binary (COM_STMT_EXECUTE) protocol.
    mutating func resultSet(columns: [ColumnDefinition], rows: [[SQLValue]], binary: Bool,
                            status: MySQLServerStatus, warnings: UInt16) {
        let wireColumns = columns.map(ValueConversion.column)
        packet(MySQLColumnCount.encode(wireColumns.count))
        for column in wireColumns { packet(column.encode()) }
        endOfMetadata(status: status)
        // each row is encoded straight into the response buffer: no per-row payload array
        if binary {
            for row in rows {
                MySQLPacketEncoder.appendPacket(sequenceID: &sequenceID, into: &bytes) { w in
                    MySQLBinaryRow.writeHeader(columnCount: row.count, into: &w) { if case .null = row[$0] { true } else { false } }
                    for i in row.indices {
                        switch row[i] {
                        case .null: continue
                        case .string(let b) where wireColumns[i].type.isLengthEncodedInBinaryProtocol,
                             .bytes(let b) where wireColumns[i].type.isLengthEncodedInBinaryProtocol:
                            w.writeLengthEncodedBytes(b)
                        default:
                            MySQLBinaryValueCodec.encode(ValueConversion.wire(row[i]), as: wireColumns[i].type, into: &w)
                        }
                    }
                }
            }
        } else {
            // temporal values print exactly their column's fractional-second digits
            let decimals = columns.map(\.decimals)
            for row in rows {
                MySQLPacketEncoder.appendPacket(sequenceID: &sequenceID, into: &bytes) { w in
                    for i in row.indices {
                        switch row[i] {
                        case .null: w.writeNull()
                        case .string(let b), .bytes(let b): w.writeLengthEncodedBytes(b)
                        default:
                            if let text = row[i].textBytes(decimals: decimals[i]) { w.writeLengthEncodedBytes(text) } else { w.writeNull() }
                        }
                    }
                }
            }
        }
        endOfRows(status: status, warnings: warnings)
    }
}

/// SQLEngine's values and column definitions in MySQLWire's terms (the cases match one to one).
enum ValueConversion {
    static func wire(_ value: SQLValue) -> MySQLValue {
        switch value {
        case .null: .null
        case .int(let v): .int(v)
        case .uint(let v): .uint(v)
        case .double(let v): .double(v)
        case .float(let v): .float(v)
        case .decimal(let v): .decimal(v)
        case .string(let v): .string(v)
        case .bytes(let v): .bytes(v)
        case .date(let y, let m, let d): .date(year: y, month: m, day: d)
        case .datetime(let y, let mo, let d, let h, let mi, let s, let us):
            .datetime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us)
        case .time(let n, let h, let m, let s, let us): .time(negative: n, hours: h, minutes: m, seconds: s, microseconds: us)
        }
    }

    static func sql(_ value: MySQLValue) -> SQLValue {
        switch value {
        case .null: .null
        case .int(let v): .int(v)
        case .uint(let v): .uint(v)
        case .double(let v): .double(v)
        case .float(let v): .float(v)
        case .decimal(let v): .decimal(v)
        case .string(let v): .string(v)
        case .bytes(let v): .bytes(v)
        case .date(let y, let m, let d): .date(year: y, month: m, day: d)
        case .datetime(let y, let mo, let d, let h, let mi, let s, let us):
            .datetime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us)
        case .time(let n, let h, let m, let s, let us): .time(negative: n, hours: h, minutes: m, seconds: s, microseconds: us)
        }
    }

    static func column(_ column: ColumnDefinition) -> MySQLColumnDefinition {
        MySQLColumnDefinition(schema: column.schema, table: column.table, orgTable: column.orgTable, name: column.name,
                              orgName: column.orgName, characterSet: column.characterSet, columnLength: column.columnLength,
                              type: MySQLFieldType(rawValue: column.type.rawValue) ?? .varString,
                              flags: MySQLColumnFlags(rawValue: column.flags), decimals: column.decimals)
    }

    static func error(_ error: any Error) -> MySQLErrorPacket {
        if let error = error as? SQLError {
            let state = error.sqlState.utf8.count == 5 ? error.sqlState : "HY000"
            return MySQLErrorPacket(code: error.code, sqlState: state, message: error.message)
        }
        return MySQLErrorPacket(code: 1105, sqlState: "HY000", message: "Unknown error: \(error)")
    }
}
