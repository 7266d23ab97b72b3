import Testing
@testable import SQLEngine

/// DECIMAL keeps 38 significant digits: what does not fit is refused, never rounded away.
@Suite struct DecimalLimitTests {
    @Test func wideColumnsKeepWhatFitsAndRefuseTheRest() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (a DECIMAL(65,30))")
        try run(s, "INSERT INTO t VALUES (1.5), ('2.25'), (12345678.5)")
        #expect(rowsText(try run(s, "SELECT a FROM t ORDER BY a")) == [
            ["1.500000000000000000000000000000"], ["2.250000000000000000000000000000"], ["12345678.500000000000000000000000000000"],
        ])
        // 35 integer digits at scale 30 need 65 digits
        #expect(sqlError(s, "INSERT INTO t VALUES ('12345678901234567890123456789012345.12')")?.code == 1264)
        #expect(sqlError(s, "INSERT INTO t VALUES (12345678901234567890123456789012345.123456789012345678901234567890)")?.code == 1690)
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM t")) == [["3"]])
    }

    @Test func literalsBeyondMySQLsDigitsAreDoubles() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        #expect(rowsText(try run(s, "SELECT 99999999999999999999999999999999999999 + 0")) == [["99999999999999999999999999999999999999"]])
        #expect(sqlError(s, "SELECT 1234567890123456789012345678901234567890")?.code == 1690)
        #expect(rowsText(try run(s, "SELECT 123456789012345678901234567890123456789012345678901234567890123456789 + 0")) == [["1.234567890123457e68"]])
    }
}
