import Testing
@testable import SQLEngine

/// DECIMAL holds MySQL's 65 digits (scale 30): what does not fit is refused, never rounded away;
/// division keeps MySQL's internal digits.
@Suite struct DecimalLimitTests {
    @Test func wideColumnsKeepSixtyFiveDigitsAndRefuseTheRest() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (a DECIMAL(65,30), KEY (a))")
        try run(s, "INSERT INTO t VALUES (1.5), ('2.25'), (12345678901234567890123456789012345.123456789012345678901234567890), (-99999999999999999999999999999999999.999999999999999999999999999999)")
        #expect(rowsText(try run(s, "SELECT a FROM t ORDER BY a")) == [
            ["-99999999999999999999999999999999999.999999999999999999999999999999"],
            ["1.500000000000000000000000000000"], ["2.250000000000000000000000000000"],
            ["12345678901234567890123456789012345.123456789012345678901234567890"],
        ])
        // the index (32-byte keys for DECIMAL(p > 38)) finds and orders the wide values
        #expect(rowsText(try run(s, "SELECT a FROM t WHERE a > 2 ORDER BY a DESC")) == [
            ["12345678901234567890123456789012345.123456789012345678901234567890"], ["2.250000000000000000000000000000"],
        ])
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM t WHERE a = 12345678901234567890123456789012345.12345678901234567890123456789")) == [["1"]])
        // 36 integer digits at scale 30 need 66 digits
        #expect(sqlError(s, "INSERT INTO t VALUES ('123456789012345678901234567890123456.12')")?.code == 1264)
        #expect(sqlError(s, "CREATE TABLE u (a DECIMAL(66,2))")?.code == 1426)
        #expect(sqlError(s, "CREATE TABLE u (a DECIMAL(40,31))")?.code == 1425)
        #expect(sqlError(s, "SELECT CAST(1 AS DECIMAL(66,0))")?.code == 1426)
        #expect(rowsText(try run(s, "SELECT COUNT(*) FROM t")) == [["4"]])
    }

    @Test func arithmeticFollowsMySQL() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        #expect(rowsText(try run(s, "SELECT 1/3, 1/3*3, 1/3 + 1/3 + 1/3, 10/4, 1.5/0.3, 1.000000001/3")) == [
            ["0.3333", "1.0000", "1.0000", "2.5000", "5.00000", "0.3333333336667"],
        ])
        #expect(rowsText(try run(s, "SELECT 99999999999999999999999999999999999999999999999999999999999999999 + 0, 12345678901234567890123456789012345678901234567890.5 / 3")) == [
            ["99999999999999999999999999999999999999999999999999999999999999999", "4115226300411522630041152263004115226300411522630.16667"],
        ])
        // 66 digits inside an expression are fine (MySQL allows 81); a column refuses them
        #expect(rowsText(try run(s, "SELECT 99999999999999999999999999999999999999999999999999999999999999999 * 10")) == [
            ["999999999999999999999999999999999999999999999999999999999999999990"],
        ])
        #expect(sqlError(s, "SELECT 99999999999999999999999999999999999999999999999999999999999999999 * 99999")?.code == 1690)
        #expect(rowsText(try run(s, "SELECT ROUND(12345678901234567890123456789012345678901234567890.5), TRUNCATE(123456789012345678901234567890123456789.987, -5), FLOOR(-12345678901234567890123456789012345678901.5)")) == [
            ["12345678901234567890123456789012345678901234567891", "123456789012345678901234567890123400000", "-12345678901234567890123456789012345678902"],
        ])
        #expect(rowsText(try run(s, "SELECT 0.000000000000000000000000000001 * 0.1, .01 * .01")) == [["0.000000000000000000000000000000", "0.0001"]])
    }

    @Test func literalsBeyondMySQLsDigitsAreDoubles() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        #expect(rowsText(try run(s, "SELECT 1234567890123456789012345678901234567890 + 0")) == [["1234567890123456789012345678901234567890"]])
        #expect(rowsText(try run(s, "SELECT 123456789012345678901234567890123456789012345678901234567890123456789 + 0")) == [["1.234567890123457e68"]])
    }

    @Test func decimalsKeepValueSmall() {
        // 224 packed bits + two scale bytes: Value stays one 32-byte stride, as with Int128
        #expect(MemoryLayout<SQLDecimal>.size <= 30)
        #expect(MemoryLayout<Value>.stride == 32)
    }

    @Test func int256AndDecimalArithmetic() throws {
        let big = try #require(SQLDecimal(text: Array("-12345678901234567890123456789012345678901234567890.123".utf8)))
        #expect(big.text == "-12345678901234567890123456789012345678901234567890.123")
        #expect(big.mantissa.int128 == nil)
        #expect(big.digitCount == 53)
        let two = SQLDecimal(Int64(2))
        let product: SQLDecimal? = big * two
        let doubled = try #require(product)
        #expect(doubled.text == "-24691357802469135780246913578024691357802469135780.246")
        let back = try #require(SQLDecimal.divide(doubled, two))
        #expect(SQLDecimal.compare(back, big) == 0)
        let difference: SQLDecimal? = doubled - big
        #expect(difference == big)
        #expect(SQLDecimal.compare(big, SQLDecimal(Int64(-1))) < 0)
        // rounding half away from zero when rescaling
        #expect(big.rescaled(to: 2).text == "-12345678901234567890123456789012345678901234567890.12")
        #expect(big.rescaled(to: 0).text == "-12345678901234567890123456789012345678901234567890")
        // hashing agrees with equality across scales
        let a = try #require(SQLDecimal(text: Array("1.50".utf8))), b = try #require(SQLDecimal(text: Array("1.5".utf8)))
        #expect(a == b && a.hashValue == b.hashValue)
        let x = Int256(Int128.max), y = Int256(Int64(3))
        let (p, overflow) = x.multipliedReportingOverflow(by: y)
        #expect(!overflow)
        #expect(p / y == x && (p % y).isZero)
        #expect((-p).description == "-" + p.description)
    }
}
