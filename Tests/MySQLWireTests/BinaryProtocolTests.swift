import Testing
@testable import MySQLWire

@Suite struct BinaryProtocolTests {
    static func column(_ name: String, _ type: MySQLFieldType, unsigned: Bool = false, binary: Bool = true) -> MySQLColumnDefinition {
        MySQLColumnDefinition(name: name, characterSet: binary ? 63 : 45, columnLength: 20, type: type,
                              flags: unsigned ? .unsigned : [])
    }

    static let columns: [MySQLColumnDefinition] = [
        column("tiny", .tiny), column("utiny", .tiny, unsigned: true), column("short", .short), column("int24", .int24),
        column("long", .long), column("ulong", .long, unsigned: true), column("big", .longlong),
        column("ubig", .longlong, unsigned: true), column("float", .float), column("double", .double),
        column("dec", .newdecimal), column("varchar", .varString, binary: false), column("char", .string, binary: false),
        column("blob", .blob), column("text", .blob, binary: false), column("date", .date), column("datetime", .datetime),
        column("dt6", .datetime), column("ts", .timestamp), column("time", .time), column("negtime", .time),
        column("year", .year, unsigned: true), column("null", .null), column("json", .json, binary: false),
        column("zero date", .date), column("bit", .bit),
    ]

    static let values: [MySQLValue] = [
        .int(-128), .uint(255), .int(-32768), .int(-8_388_608), .int(Int64(Int32.min)), .uint(UInt64(UInt32.max)),
        .int(.min), .uint(.max), .float(-3.40282e38), .double(1.7976931348623157e308),
        .decimal("-99999999.99"), .string(Array("O'Reilly 😀".utf8)), .string(Array("c".utf8)), .bytes([0, 1, 0x27, 0xFF]),
        .string(Array("text".utf8)), .date(year: 2024, month: 2, day: 29),
        .datetime(year: 2024, month: 5, day: 6, hour: 7, minute: 8, second: 9, microsecond: 0),
        .datetime(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999_999),
        .datetime(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 1, microsecond: 0),
        .time(negative: false, hours: 12, minutes: 34, seconds: 56, microseconds: 0),
        .time(negative: true, hours: 838, minutes: 59, seconds: 59, microseconds: 500_000),
        .uint(1901), .null, .string(Array("{\"a\": 1}".utf8)), .date(year: 0, month: 0, day: 0), .bytes([0xFF]),
    ]

    @Test func everyTypeRoundTripsThroughABinaryRow() throws {
        let row = MySQLBinaryRow.encode(Self.values, columns: Self.columns)
        #expect(try MySQLBinaryRow.decode(row, columns: Self.columns) == Self.values)
    }

    @Test func rowNullBitmapStartsAtBitTwo() throws {
        let columns = [Self.column("a", .long), Self.column("b", .long), Self.column("c", .tiny)]
        let row = MySQLBinaryRow.encode([.null, .int(5), .null], columns: columns)
        // header, bitmap: column 0 → bit 2, column 2 → bit 4; then b as 4 bytes.
        #expect(row == hex("00 14 05 00 00 00"))
    }

    /// Seventeen columns: the bitmap spans three bytes, NULLs on both sides of each boundary.
    @Test func rowNullBitmapSpansBytes() throws {
        let columns = (0..<17).map { Self.column("c\($0)", .longlong) }
        let nulls: Set<Int> = [0, 5, 6, 13, 14, 16]
        let values: [MySQLValue] = (0..<17).map { nulls.contains($0) ? .null : .int(Int64($0)) }
        let row = MySQLBinaryRow.encode(values, columns: columns)
        // bit i + 2: 0→2, 5→7 | 6→8 (byte 1 bit 0), 13→15 | 14→16 (byte 2 bit 0), 16→18 (byte 2 bit 2)
        #expect(Array(row[0..<4]) == [0x00, 0x84, 0x81, 0x05])
        #expect(row.count == 4 + 11 * 8)
        #expect(try MySQLBinaryRow.decode(row, columns: columns) == values)
    }

    @Test func temporalEncodingsUseTheShortestLength() {
        func encoded(_ value: MySQLValue, _ type: MySQLFieldType) -> [UInt8] {
            var w = MySQLPacketWriter()
            MySQLBinaryValueCodec.encode(value, as: type, into: &w)
            return w.bytes
        }
        #expect(encoded(.date(year: 2024, month: 2, day: 29), .date) == hex("04 e8 07 02 1d"))
        #expect(encoded(.datetime(year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5, microsecond: 6), .datetime)
            == hex("0b e8 07 01 02 03 04 05 06 00 00 00"))
        #expect(encoded(.datetime(year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5, microsecond: 0), .datetime)
            == hex("07 e8 07 01 02 03 04 05"))
        #expect(encoded(.date(year: 0, month: 0, day: 0), .datetime) == hex("00"))
        #expect(encoded(.time(negative: true, hours: 49, minutes: 2, seconds: 3, microseconds: 0), .time)
            == hex("08 01 02 00 00 00 01 02 03"))
        #expect(encoded(.string(Array("2024-01-02 03:04:05.5".utf8)), .datetime) == hex("0b e8 07 01 02 03 04 05 20 a1 07 00"))
    }

    /// sysbench (libmariadb): the first EXECUTE carries types (LONGLONG), later ones
    /// send new-params-bound = 0 and the server reuses the types.
    @Test func sysbenchReexecutionWithoutTypes() throws {
        let first = MySQLStatementExecute(statementID: 3, parameters: [.int(5021), .int(5120)],
                                          parameterTypes: [MySQLParameterType(.longlong), MySQLParameterType(.longlong)])
        let firstBytes = first.encode()
        #expect(firstBytes == hex("17 03 00 00 00 00 01 00 00 00 00 01 08 00 08 00 9d 13 00 00 00 00 00 00 00 14 00 00 00 00 00 00"))
        let decoded = try MySQLStatementExecute.decode(firstBytes, parameterCount: 2, previousTypes: nil)
        #expect(decoded == first)
        let again = MySQLStatementExecute(statementID: 3, parameters: [.int(7), .int(8)], parameterTypes: nil)
        let againBytes = again.encode()
        #expect(againBytes[11] == 0)  // new-params-bound
        let decodedAgain = try MySQLStatementExecute.decode(againBytes, parameterCount: 2, previousTypes: decoded.parameterTypes)
        #expect(decodedAgain.parameters == [.int(7), .int(8)])
        #expect(decodedAgain.parameterTypes == nil)
        #expect(throws: MySQLWireError.self) { try MySQLStatementExecute.decode(againBytes, parameterCount: 2, previousTypes: nil) }
    }

    /// connector-python's prepared cursor: TINY with the unsigned bit for small ints, STRING for str and
    /// bytes, DECIMAL as a length-prefixed string, DATETIME in the 7-byte form, and a NULL.
    @Test func connectorPythonParameterTypes() throws {
        var w = MySQLPacketWriter()
        w.writeBytes(hex("17 01 00 00 00 00 01 00 00 00"))
        w.writeUInt8(0b0001_0000)  // parameter 4 is NULL
        w.writeUInt8(1)
        w.writeBytes(hex("01 80 fe 00 00 00 0c 00 06 00"))
        w.writeUInt8(42)
        w.writeLengthEncodedString("O'Reilly")
        w.writeLengthEncodedString("12.34")
        w.writeBytes(hex("07 e8 07 01 02 03 04 05"))
        let execute = try MySQLStatementExecute.decode(w.bytes, parameterCount: 5, previousTypes: nil)
        #expect(execute.parameters == [
            .uint(42), .string(Array("O'Reilly".utf8)), .decimal("12.34"),
            .datetime(year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5, microsecond: 0), .null,
        ])
        #expect(execute.parameterTypes?.first == MySQLParameterType(.tiny, isUnsigned: true))
    }

    /// A TIME beyond 838:59:59 is taken as 838:59:59, as MySQL's server does; connector-python
    /// sends timedelta(hours=-838, minutes=-59, seconds=-59) as -(35 days 01:00:01).
    @Test func timeParametersBeyondTheRangeAreClamped() throws {
        let execute = try MySQLStatementExecute.decode(
            hex("17 01 00 00 00 00 01 00 00 00 00 01 0b 00 08 01 23 00 00 00 01 00 01"), parameterCount: 1, previousTypes: nil)
        #expect(execute.parameters == [.time(negative: true, hours: 838, minutes: 59, seconds: 59, microseconds: 0)])
    }

    @Test func everyValueTypeAsAParameter() throws {
        let parameters = Self.values.filter { $0 != .null }
        let execute = MySQLStatementExecute(statementID: 9, parameters: parameters + [.null],
                                            parameterTypes: (parameters + [.null]).map(\.parameterType))
        let decoded = try MySQLStatementExecute.decode(execute.encode(), parameterCount: parameters.count + 1, previousTypes: nil)
        // Blob parameters come back as bytes, strings as strings; floats keep their width.
        #expect(decoded.parameters == parameters + [.null])
    }

    @Test func longDataParametersAreTakenFromTheSideChannel() throws {
        var w = MySQLPacketWriter()
        w.writeBytes(hex("17 01 00 00 00 00 01 00 00 00 00 01 fc 00 08 00"))
        w.writeUInt64(77)
        let execute = try MySQLStatementExecute.decode(w.bytes, parameterCount: 2, previousTypes: nil,
                                                       longData: [0: Array("chunk1chunk2".utf8)])
        #expect(execute.parameters == [.bytes(Array("chunk1chunk2".utf8)), .int(77)])
        let send = MySQLStatementSendLongData(statementID: 1, parameterIndex: 0, data: Array("chunk1".utf8))
        #expect(try MySQLStatementSendLongData.decode(send.encode()) == send)
    }

    /// A truncated EXECUTE has crashed several engines: every prefix must throw, never trap.
    @Test func everyPrefixOfAnExecuteThrows() throws {
        let parameters = Self.values.filter { $0 != .null }
        let bytes = MySQLStatementExecute(statementID: 9, parameters: parameters, parameterTypes: parameters.map(\.parameterType)).encode()
        for length in 0..<bytes.count {
            #expect(throws: MySQLWireError.self) {
                try MySQLStatementExecute.decode(Array(bytes.prefix(length)), parameterCount: parameters.count, previousTypes: nil)
            }
        }
    }

    @Test func hostileExecuteFieldsAreRejected() {
        // unknown parameter type 100
        #expect(throws: MySQLWireError.self) {
            try MySQLStatementExecute.decode(hex("17 01 00 00 00 00 01 00 00 00 00 01 64 00 00"), parameterCount: 1, previousTypes: nil)
        }
        // new-params-bound = 2
        #expect(throws: MySQLWireError.self) {
            try MySQLStatementExecute.decode(hex("17 01 00 00 00 00 01 00 00 00 00 02"), parameterCount: 1, previousTypes: nil)
        }
        // DATETIME length 5, month 13
        #expect(throws: MySQLWireError.self) {
            try MySQLStatementExecute.decode(hex("17 01 00 00 00 00 01 00 00 00 00 01 0c 00 05 e8 07 01 02 03"), parameterCount: 1, previousTypes: nil)
        }
        #expect(throws: MySQLWireError.self) {
            try MySQLStatementExecute.decode(hex("17 01 00 00 00 00 01 00 00 00 00 01 0a 00 04 e8 07 0d 02"), parameterCount: 1, previousTypes: nil)
        }
        // DECIMAL that is not a number
        #expect(throws: MySQLWireError.self) {
            try MySQLStatementExecute.decode(hex("17 01 00 00 00 00 01 00 00 00 00 01 f6 00 03 31 2b 78"), parameterCount: 1, previousTypes: nil)
        }
    }

    @Test func prepareOK() throws {
        let ok = MySQLPrepareOK(statementID: 1, columnCount: 1, parameterCount: 2)
        #expect(ok.encode() == hex("00 01 00 00 00 01 00 02 00 00 00 00"))
        #expect(try MySQLPrepareOK.decode(ok.encode()) == ok)
    }

    @Test func randomBytesNeverTrapAnyDecoder() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<64, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? MySQLHandshakeV10.decode(bytes)
            _ = try? MySQLHandshakeResponse41.decode(bytes)
            _ = try? MySQLColumnDefinition.decode(bytes)
            _ = try? MySQLOKPacket.decode(bytes, capabilities: [.protocol41, .sessionTrack])
            _ = try? MySQLErrorPacket.decode(bytes)
            _ = try? MySQLBinaryRow.decode(bytes, columns: Self.columns)
            _ = try? MySQLTextRow.decode(bytes, columnCount: 3)
            _ = try? MySQLChangeUser.decode(bytes, capabilities: [.secureConnection, .pluginAuth, .connectAttributes])
            if !bytes.isEmpty { bytes[0] = 0x17 }
            _ = try? MySQLStatementExecute.decode(bytes, parameterCount: 3, previousTypes: nil)
            var decoder = MySQLPacketDecoder(maximumPayloadLength: 32)
            decoder.append(bytes)
            while let packet = try? decoder.nextPacket() { _ = packet }
        }
    }
}
