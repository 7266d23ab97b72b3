import Testing
@testable import MySQLWire

@Suite struct ResultPacketTests {
    let caps: MySQLCapabilities = [.protocol41, .transactions]

    @Test func okPacketBytes() throws {
        // "OK affected=1 insert_id=1 IN_TRANS AUTOCOMMIT=0" from pymysql.log.
        let ok = MySQLOKPacket(affectedRows: 1, lastInsertID: 1, status: .inTransaction)
        #expect(ok.encode(capabilities: caps) == hex("00 01 01 01 00 00 00"))
        #expect(try MySQLOKPacket.decode(ok.encode(capabilities: caps), capabilities: caps) == ok)
        #expect(try MySQLResponseKind.classify(ok.encode(capabilities: caps), capabilities: caps) == .ok)
    }

    @Test func okPacketInfoIsLengthEncodedAsMySQLSendsIt() throws {
        // libmariadb reads the info as a length-encoded string whatever the capabilities.
        let info = "Rows matched: 1  Changed: 1  Warnings: 0"
        let bytes = MySQLOKPacket(affectedRows: 1, status: .autocommit, info: info).encode(capabilities: caps)
        #expect(Array(bytes.prefix(8)) == hex("00 01 00 02 00 00 00 28"))
        #expect(bytes.count == 8 + info.utf8.count)
        // A bare (rest-of-packet) info from other servers still decodes.
        let bare = hex("00 01 00 02 00 00 00") + Array(info.utf8)
        #expect(try MySQLOKPacket.decode(bare, capabilities: caps).info == info)
    }

    @Test func okPacketInfoWithAndWithoutSessionTrack() throws {
        let ok = MySQLOKPacket(affectedRows: 4, status: .autocommit, warnings: 2, info: "Records: 4  Duplicates: 0  Warnings: 2")
        for c in [caps, caps.union(.sessionTrack)] {
            #expect(try MySQLOKPacket.decode(ok.encode(capabilities: c), capabilities: c) == ok)
        }
        let asEOF = ok.encode(capabilities: caps.union(.deprecateEOF), asEOF: true)
        #expect(asEOF.first == 0xFE)
        #expect(MySQLEOFPacket.isEndOfData(asEOF, capabilities: caps.union(.deprecateEOF)))
    }

    @Test func errorPacketBytes() throws {
        let error = MySQLErrorPacket(code: 1146, sqlState: "42S02", message: "Table 'testdb.no_such_table' doesn't exist")
        let bytes = error.encode()
        #expect(Array(bytes.prefix(9)) == hex("ff 7a 04 23 34 32 53 30 32"))
        #expect(try MySQLErrorPacket.decode(bytes) == error)
        #expect(try MySQLResponseKind.classify(bytes, capabilities: caps) == .error)
        #expect(error.description == "ERROR 1146 (42S02): Table 'testdb.no_such_table' doesn't exist")
        // Without PROTOCOL_41 there is no SQLSTATE; decoding falls back to HY000.
        #expect(try MySQLErrorPacket.decode(error.encode(capabilities: [])).sqlState == "HY000")
    }

    @Test func eofPacket() throws {
        let eof = MySQLEOFPacket(warnings: 0, status: [.autocommit, .moreResultsExist])
        #expect(eof.encode() == hex("fe 00 00 0a 00"))
        #expect(try MySQLEOFPacket.decode(eof.encode()) == eof)
        #expect(try MySQLResponseKind.classify(eof.encode(), capabilities: caps) == .endOfData)
        // A text row whose first value has an 8-byte length also starts with 0xFE: not an EOF.
        #expect(!MySQLEOFPacket.isEndOfData(hex("fe 01 00 00 00 00 00 00 00 61"), capabilities: caps))
    }

    @Test func columnCountAndLocalInfile() throws {
        #expect(try MySQLResponseKind.classify(MySQLColumnCount.encode(31), capabilities: caps) == .resultSet(columnCount: 31))
        #expect(try MySQLResponseKind.classify(MySQLColumnCount.encode(300), capabilities: caps) == .resultSet(columnCount: 300))
        #expect(try MySQLResponseKind.classify([0xFB] + Array("f.txt".utf8), capabilities: caps) == .localInfile)
        #expect(throws: MySQLWireError.self) { try MySQLResponseKind.classify([], capabilities: caps) }
    }

    @Test func columnDefinitionRoundTrip() throws {
        // `c_uint INT UNSIGNED` of all_types (result-shapes.txt): type 3, charset 63, UNSIGNED.
        let column = MySQLColumnDefinition(schema: "shop", table: "all_types", orgTable: "all_types", name: "c_uint",
                                           orgName: "c_uint", characterSet: 63, columnLength: 10, type: .long,
                                           flags: [.unsigned, .number], decimals: 0)
        let bytes = column.encode()
        #expect(Array(bytes.prefix(4)) == hex("03 64 65 66"))
        #expect(Array(bytes.suffix(13)) == hex("0c 3f 00 0a 00 00 00 03 20 80 00 00 00"))
        #expect(try MySQLColumnDefinition.decode(bytes) == column)
        var withDefault = column
        withDefault.defaultValue = Array("0".utf8)
        #expect(try MySQLColumnDefinition.decode(withDefault.encode()) == withDefault)
        for length in 0..<bytes.count { _ = try? MySQLColumnDefinition.decode(Array(bytes.prefix(length))) }
        var badType = bytes
        badType[badType.count - 6] = 100
        #expect(throws: MySQLWireError.self) { try MySQLColumnDefinition.decode(badType) }
    }

    @Test func textRows() throws {
        let row: [[UInt8]?] = [Array("2".utf8), Array("x".utf8), nil, []]
        let bytes = MySQLTextRow.encode(row)
        #expect(bytes == hex("01 32 01 78 fb 00"))
        #expect(try MySQLTextRow.decode(bytes, columnCount: 4) == row)
        #expect(throws: MySQLWireError.self) { try MySQLTextRow.decode(bytes, columnCount: 5) }
        #expect(throws: MySQLWireError.self) { try MySQLTextRow.decode(bytes, columnCount: 3) }
    }
}
