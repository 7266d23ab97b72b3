// Prepared-statement commands.
//
// COM_STMT_PREPARE_OK  0x00, 4 statement id, 2 columns, 2 parameters, 1 filler,
//                      2 warnings; then parameter definitions [+ EOF], column
//                      definitions [+ EOF] (EOF omitted under CLIENT_DEPRECATE_EOF).
// COM_STMT_EXECUTE     0x17, 4 statement id, 1 flags (cursor type), 4 iteration count (1);
//                      when the statement has parameters: NULL bitmap of (n + 7) / 8
//                      bytes (parameter i = bit i), 1 new-params-bound flag, then
//                      2 bytes per parameter (type, 0x80 = unsigned) when the flag is 1,
//                      then the values of the non-NULL parameters that were not sent by
//                      COM_STMT_SEND_LONG_DATA. With flag 0 the types of the previous
//                      execution apply (sysbench relies on this).
// COM_STMT_SEND_LONG_DATA  0x18, 4 statement id, 2 parameter id, data (no reply)
// COM_STMT_CLOSE 0x19 / COM_STMT_RESET 0x1A   4 statement id (CLOSE has no reply)

/// The server's answer to COM_STMT_PREPARE (the header packet).
public struct MySQLPrepareOK: Sendable, Equatable {
    public var statementID: UInt32
    public var columnCount: UInt16
    public var parameterCount: UInt16
    public var warnings: UInt16

    public init(statementID: UInt32, columnCount: UInt16, parameterCount: UInt16, warnings: UInt16 = 0) {
        self.statementID = statementID
        self.columnCount = columnCount
        self.parameterCount = parameterCount
        self.warnings = warnings
    }

    public func encode() -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 12)
        w.writeUInt8(0x00)
        w.writeUInt32(statementID)
        w.writeUInt16(columnCount)
        w.writeUInt16(parameterCount)
        w.writeUInt8(0)
        w.writeUInt16(warnings)
        return w.bytes
    }

    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> MySQLPrepareOK {
        var r = MySQLPacketReader(payload)
        guard try r.readUInt8("PREPARE_OK header") == 0x00 else {
            throw .malformed(field: "PREPARE_OK header", reason: "not 0x00")
        }
        let id = try r.readUInt32("statement id")
        let columns = try r.readUInt16("column count")
        let parameters = try r.readUInt16("parameter count")
        var warnings: UInt16 = 0
        if r.remaining >= 3 {
            try r.skip(1, "filler")
            warnings = try r.readUInt16("warning count")
        }
        return MySQLPrepareOK(statementID: id, columnCount: columns, parameterCount: parameters, warnings: warnings)
    }
}

/// COM_STMT_EXECUTE.
public struct MySQLStatementExecute: Sendable, Equatable {
    public var statementID: UInt32
    /// Cursor type: 0 = no cursor (the only kind onebox serves).
    public var flags: UInt8
    public var iterationCount: UInt32
    public var parameters: [MySQLValue]
    /// The parameter types, or nil when the packet said new-params-bound = 0.
    public var parameterTypes: [MySQLParameterType]?

    public init(statementID: UInt32, flags: UInt8 = 0, iterationCount: UInt32 = 1, parameters: [MySQLValue],
                parameterTypes: [MySQLParameterType]?) {
        self.statementID = statementID
        self.flags = flags
        self.iterationCount = iterationCount
        self.parameters = parameters
        self.parameterTypes = parameterTypes
    }

    /// Encodes for the client side; `parameterTypes` nil sends new-params-bound = 0
    /// (only valid after an execution that sent the types).
    public func encode() -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 16 + parameters.count * 9)
        w.writeUInt8(MySQLCommand.statementExecute.rawValue)
        w.writeUInt32(statementID)
        w.writeUInt8(flags)
        w.writeUInt32(iterationCount)
        guard !parameters.isEmpty else { return w.bytes }
        var bitmap = [UInt8](repeating: 0, count: (parameters.count + 7) / 8)
        for (i, value) in parameters.enumerated() where value == .null { bitmap[i / 8] |= 1 << UInt8(i % 8) }
        w.writeBytes(bitmap)
        let types = parameterTypes
        w.writeUInt8(types == nil ? 0 : 1)
        if let types {
            precondition(types.count == parameters.count, "\(types.count) parameter types for \(parameters.count) values")
            for t in types {
                w.writeUInt8(t.type.rawValue)
                w.writeUInt8(t.isUnsigned ? 0x80 : 0)
            }
        }
        for (i, value) in parameters.enumerated() where value != .null {
            MySQLBinaryValueCodec.encode(value, as: types?[i].type ?? value.parameterType.type, into: &w)
        }
        return w.bytes
    }

    /// The statement id of an EXECUTE payload, read first to find the statement.
    public static func statementID(of payload: [UInt8]) throws(MySQLWireError) -> UInt32 {
        var r = MySQLPacketReader(payload, offset: 1)
        return try r.readUInt32("statement id")
    }

    /// Decodes an EXECUTE payload (including the command byte) for a statement with
    /// `parameterCount` parameters. `previousTypes` serve when new-params-bound is 0;
    /// parameters in `longData` take their value from COM_STMT_SEND_LONG_DATA instead.
    public static func decode(_ payload: [UInt8], parameterCount: Int, previousTypes: [MySQLParameterType]?,
                              longData: [Int: [UInt8]] = [:]) throws(MySQLWireError) -> MySQLStatementExecute {
        var r = MySQLPacketReader(payload)
        guard try r.readUInt8("command") == MySQLCommand.statementExecute.rawValue else {
            throw .malformed(field: "command", reason: "not COM_STMT_EXECUTE")
        }
        let id = try r.readUInt32("statement id")
        let flags = try r.readUInt8("cursor flags")
        let iterations = try r.readUInt32("iteration count")
        var execute = MySQLStatementExecute(statementID: id, flags: flags, iterationCount: iterations,
                                            parameters: [], parameterTypes: nil)
        guard parameterCount > 0 else { return execute }
        let bitmap = try r.readBytes((parameterCount + 7) / 8, "parameter NULL bitmap")
        let bound = try r.readUInt8("new-params-bound flag")
        var types: [MySQLParameterType]
        switch bound {
        case 1:
            types = []
            types.reserveCapacity(parameterCount)
            for _ in 0..<parameterCount {
                let raw = try r.readUInt8("parameter type")
                guard let type = MySQLFieldType(rawValue: raw) else {
                    throw .malformed(field: "parameter type", reason: "unknown type \(raw)")
                }
                let flag = try r.readUInt8("parameter flags")
                types.append(MySQLParameterType(type, isUnsigned: flag & 0x80 != 0))
            }
            execute.parameterTypes = types
        case 0:
            guard let previousTypes, previousTypes.count == parameterCount else {
                throw .malformed(field: "new-params-bound flag", reason: "0 on the first execution: no parameter types known")
            }
            types = previousTypes
        default:
            throw .malformed(field: "new-params-bound flag", reason: "\(bound) is not 0 or 1")
        }
        var values: [MySQLValue] = []
        values.reserveCapacity(parameterCount)
        for i in 0..<parameterCount {
            if bitmap[i / 8] & (1 << UInt8(i % 8)) != 0 {
                values.append(.null)
            } else if let data = longData[i] {
                values.append(types[i].type.isBlobLike ? .bytes(data) : .string(data))
            } else {
                values.append(try MySQLBinaryValueCodec.decode(types[i].type, isUnsigned: types[i].isUnsigned,
                                                               binaryCharset: types[i].type.isBlobLike, from: &r))
            }
        }
        execute.parameters = values
        return execute
    }
}

extension MySQLFieldType {
    /// BLOB-family types: parameters of these types are binary strings.
    public var isBlobLike: Bool {
        switch self {
        case .tinyBlob, .mediumBlob, .longBlob, .blob, .geometry, .bit, .vector: true
        default: false
        }
    }
}

/// COM_STMT_SEND_LONG_DATA.
public struct MySQLStatementSendLongData: Sendable, Equatable {
    public var statementID: UInt32
    public var parameterIndex: UInt16
    public var data: [UInt8]

    public init(statementID: UInt32, parameterIndex: UInt16, data: [UInt8]) {
        self.statementID = statementID
        self.parameterIndex = parameterIndex
        self.data = data
    }

    public func encode() -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 7 + data.count)
        w.writeUInt8(MySQLCommand.statementSendLongData.rawValue)
        w.writeUInt32(statementID)
        w.writeUInt16(parameterIndex)
        w.writeBytes(data)
        return w.bytes
    }

    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> MySQLStatementSendLongData {
        var r = MySQLPacketReader(payload, offset: 1)
        let id = try r.readUInt32("statement id")
        let index = try r.readUInt16("parameter id")
        return MySQLStatementSendLongData(statementID: id, parameterIndex: index, data: r.readRest())
    }
}

/// Commands whose only argument is a statement id (COM_STMT_CLOSE, COM_STMT_RESET).
public enum MySQLStatementIDCommand {
    public static func encode(_ command: MySQLCommand, statementID: UInt32) -> [UInt8] {
        var w = MySQLPacketWriter(reservingCapacity: 5)
        w.writeUInt8(command.rawValue)
        w.writeUInt32(statementID)
        return w.bytes
    }

    public static func decode(_ payload: [UInt8]) throws(MySQLWireError) -> UInt32 {
        var r = MySQLPacketReader(payload, offset: 1)
        return try r.readUInt32("statement id")
    }
}
