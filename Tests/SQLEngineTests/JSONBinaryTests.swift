import Testing
@testable import SQLEngine
import TestSupport

/// The binary JSON form (JSONBinary.swift): MySQL's byte layout, lookups, comparison, storage
/// of JSON columns (and of the text rows earlier builds wrote), and corrupt input.
@Suite struct JSONBinaryTests {
    func binary(_ text: String) throws -> JSONBinary {
        try #require(JSONBinary(parsing: Array(text.utf8)))
    }

    func text(_ j: JSONBinary) throws -> String { String(decoding: try j.root.text(), as: UTF8.self) }

    @Test func layoutIsMySQLs() throws {
        // JSON_STORAGE_SIZE examples of MySQL's manual
        #expect(try binary(#"[100, "sakila", [1, 3, 5], 425.05]"#).bytes.count == 45)
        #expect(try binary(#"{"a": 1000, "b": "wxyz", "c": "[1, 3, 5, 7]"}"#).bytes.count == 47)
        // small object: count, size, key entries (offset, length), value entries (type, inlined
        // value or offset), keys, values
        #expect(try binary(#"{"b": "x", "a": 1}"#).bytes == [
            0x00, 0x02, 0x00, 0x16, 0x00,
            0x12, 0x00, 0x01, 0x00, 0x13, 0x00, 0x01, 0x00,
            0x05, 0x01, 0x00, 0x0C, 0x14, 0x00,
            0x61, 0x62, 0x01, 0x78,
        ])
        #expect(try binary("true").bytes == [0x04, 0x01])
        #expect(try binary("-2").bytes == [0x05, 0xFE, 0xFF])
        #expect(try binary("70000").bytes == [0x07, 0x70, 0x11, 0x01, 0x00])
        #expect(try binary("18446744073709551615").bytes == [0x0A] + [UInt8](repeating: 0xFF, count: 8))
        #expect(try binary("1.5").bytes == [0x0B, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F])
    }

    @Test func textRoundTripsInMySQLsLayout() throws {
        let cases: [(String, String)] = [
            (#"{"b": 1, "a": [1, 2], "a": {"x": "y"}, "ccc": null, "dd": true}"#, #"{"a": {"x": "y"}, "b": 1, "dd": true, "ccc": null}"#),
            (#"  [3, "x", 2.5, -7, 18446744073709551615, 1e3, 1E-7]  "#, #"[3, "x", 2.5, -7, 18446744073709551615, 1000.0, 1e-7]"#),
            (#""tab\there \"quoted\" \u00e9 \ud83d\ude00""#, "\"tab\\there \\\"quoted\\\" é 😀\""),
            ("[]", "[]"), ("{}", "{}"), ("null", "null"), ("[[[[]]]]", "[[[[]]]]"),
        ]
        for (input, expected) in cases {
            let j = try binary(input)
            #expect(try text(j) == expected)
            #expect(try text(j) == JSONDocument(parsing: Array(input.utf8))!.text)
            #expect(try JSONBinary(j.document).bytes == j.bytes)
        }
    }

    @Test func largeDocumentsUseTheLargeForm() throws {
        let items = (0..<20_000).map { "\"s\($0)\"" }
        let j = try binary("[" + items.joined(separator: ",") + ", {\"k\": 70000}]")
        #expect(j.bytes[0] == JSONBinary.TypeCode.largeArray)
        #expect(j.bytes.count > 65_535)
        let path = try #require(try? JSONPath.parse("$[19999]").get())
        let cell = try #require(try path.first(in: j.root))
        #expect(String(decoding: try cell.text(), as: UTF8.self) == "\"s19999\"")
        let last = try #require(try? JSONPath.parse("$[last].k").get())
        let found = try #require(try last.first(in: j.root))
        #expect(found.type == JSONBinary.TypeCode.int32)   // inlined in the large form
        #expect(try found.int() == 70_000)
        #expect(try JSONBinary(checking: j.bytes).bytes == j.bytes)
    }

    @Test func memberLookupBinarySearchesTheSortedKeys() throws {
        let keys = (0..<60).map { String(repeating: "k", count: $0 % 7 + 1) + "\($0)" }
        let j = try binary("{" + keys.enumerated().map { "\"\($1)\": \($0)" }.joined(separator: ", ") + "}")
        for (i, key) in keys.enumerated() {
            let node = try #require(try j.root.member(Array(key.utf8)))
            #expect(try node.int() == Int64(i))
        }
        #expect(try j.root.member(Array("missing".utf8)) == nil)
        let wild = try #require(try? JSONPath.parse("$.*").get())
        #expect(try wild.matches(in: j.root).count == 60)
    }

    @Test func comparisonFollowsMySQLsTypeOrder() throws {
        // ascending, each group equal within itself
        let groups: [[String]] = [
            ["null"], ["-3"], ["1", "1.0", "1e0"], ["2.5"], ["18446744073709551615"],
            ["\"\""], ["\"a\""], ["\"b\""],
            ["{}"], ["{\"a\": 1}", "{\"a\": 1.0}"], ["{\"a\": 2}"], ["{\"b\": 0}"], ["{\"a\": 1, \"b\": 1}"],
            ["[]"], ["[1]"], ["[1, 2]"], ["[2]"],
            ["false"], ["true"],
        ]
        let docs = try groups.map { try $0.map { try binary($0) } }
        for (gi, g) in docs.enumerated() {
            for (hi, h) in docs.enumerated() {
                for a in g {
                    for b in h {
                        let c = try JSONNode.compare(a.root, b.root)
                        let ta = try text(a), tb = try text(b)
                        #expect(c == (gi < hi ? -1 : (gi > hi ? 1 : 0)), "\(ta) vs \(tb)")
                        var ka: [UInt8] = [], kb: [UInt8] = []
                        try a.root.appendGroupKey(to: &ka)
                        try b.root.appendGroupKey(to: &kb)
                        #expect((ka == kb) == (gi == hi), "group keys of \(ta) and \(tb)")
                    }
                }
            }
        }
        // ORDER BY: arrays and objects only by length
        #expect(try JSONNode.compare(binary("[2]").root, binary("[1]").root, sorting: true) == 0)
        #expect(try JSONNode.compare(binary("[9]").root, binary("[1, 1]").root, sorting: true) == -1)
    }

    @Test func corruptBytesAreErrorsNeverCrashes() throws {
        let valid = try binary(#"{"a": [1, "two", {"three": 3.5}], "bb": {"c": null, "d": [true, false]}, "e": 18446744073709551615}"#).bytes
        var generator = SplitMix(seed: 42)
        var rejected = 0
        for round in 0..<4000 {
            var bytes = valid
            if round % 10 == 0 {
                bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count))))
            } else {
                for _ in 0..<(1 + Int(generator.next() % 3)) {
                    bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
            }
            do {
                let j = try JSONBinary(checking: bytes)
                // whatever passed the check reads without trapping
                _ = try j.root.text()
                _ = try j.document
                _ = try JSONNode.compare(j.root, try binary("[1]").root)
                var key: [UInt8] = []
                try j.root.appendGroupKey(to: &key)
                _ = try JSONPath.parse("$**.c").get().matches(in: j.root)
            } catch let e as SQLError {
                #expect(e.code == 3142)
                rejected += 1
            }
        }
        #expect(rejected > 1000)
        #expect(throws: SQLError.self) { try JSONBinary(checking: []) }
        #expect(throws: SQLError.self) { try JSONBinary(checking: [0x02, 0x01, 0x00, 0x07, 0x00, 0x02, 0x00, 0x00]) }   // offset into its own header
    }

    @Test func rowsKeepBinaryAndReadTheTextOfEarlierBuilds() throws {
        let column = ColumnSchema(name: "j", type: ColumnType(.json), nullable: true)
        let doc = try binary(#"{"b": [1, 2], "a": "x"}"#)
        let row = RowEncoding.encode([.json(doc)], [column])
        #expect(row[3] == 1 + UInt8(doc.bytes.count))
        #expect(row[4] == RowEncoding.jsonBinaryFormat)
        var values: [Value] = [.null]
        try row.withUnsafeBytes { try RowEncoding.decode($0, [column], into: &values, at: 0) }
        guard case .json(let back) = values[0] else { Issue.record("not JSON: \(values[0])"); return }
        #expect(back.bytes == doc.bytes)

        // a row written before the binary form: u16 count, NULL bitmap, varint length, JSON text
        let legacyText = Array(#"{"a": "x", "b": [1, 2]}"#.utf8)
        let legacy: [UInt8] = [1, 0, 0, UInt8(legacyText.count)] + legacyText
        try legacy.withUnsafeBytes { try RowEncoding.decode($0, [column], into: &values, at: 0) }
        guard case .json(let old) = values[0] else { Issue.record("legacy row not JSON: \(values[0])"); return }
        #expect(old.bytes == doc.bytes)

        // a stored binary value that is corrupt is error 3142
        var broken = row
        broken[6] = 0x7F
        #expect(throws: SQLError.self) { try broken.withUnsafeBytes { try RowEncoding.decode($0, [column], into: &values, at: 0) } }
    }

    @Test func columnsThroughTheEngine() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, j JSON)")
        try run(s, #"INSERT INTO t VALUES (1, '{"b": 1, "a": {"k": [10, 20]}, "b": 2}'), (2, '[1, "x"]'), (3, '"s"'), (4, '7'), (5, NULL)"#)
        #expect(sqlError(s, "INSERT INTO t VALUES (6, '{\"a\": }')")?.code == 3140)
        #expect(rowsText(try run(s, "SELECT j, j->'$.a.k[1]', j->>'$[1]', JSON_STORAGE_SIZE(j) FROM t ORDER BY id")) == [
            [#"{"a": {"k": [10, 20]}, "b": 2}"#, "20", "NULL", "43"],
            [#"[1, "x"]"#, "NULL", "x", "13"],
            [#""s""#, "NULL", "NULL", "3"],
            ["7", "NULL", "NULL", "3"],
            ["NULL", "NULL", "NULL", "NULL"],
        ])
        try run(s, "UPDATE t SET j = JSON_SET(j, '$.b', 3, '$.c', JSON_ARRAY(TRUE, NULL)) WHERE id = 1")
        try run(s, "UPDATE t SET j = JSON_REMOVE(j, '$[0]') WHERE id = 2")
        #expect(rowsText(try run(s, "SELECT j FROM t WHERE id <= 2 ORDER BY id")) == [[#"{"a": {"k": [10, 20]}, "b": 3, "c": [true, null]}"#], [#"["x"]"#]])
        #expect(rowsText(try run(s, "SELECT id FROM t WHERE j->'$.b' = 3 OR j = 's' OR j = 7 ORDER BY id")) == [["1"], ["3"], ["4"]])
        #expect(rowsText(try run(s, "SELECT id FROM t ORDER BY j DESC, id")) == [["2"], ["1"], ["3"], ["4"], ["5"]])
    }
}

