import Testing
@testable import SQLEngine

/// JSON_SCHEMA_VALID and JSON_SCHEMA_VALIDATION_REPORT (JSONSchema.swift): the examples of
/// MySQL 8.0's manual, every draft-4 keyword passing and failing, and the errors.
@Suite struct JSONSchemaTests {
    static let geo = """
        {"id": "http://json-schema.org/geo", "$schema": "http://json-schema.org/draft-04/schema#",
         "description": "A geographical coordinate", "type": "object",
         "properties": {"latitude": {"type": "number", "minimum": -90, "maximum": 90},
                        "longitude": {"type": "number", "minimum": -180, "maximum": 180}},
         "required": ["latitude", "longitude"]}
        """

    func valid(_ s: Session, _ schema: String, _ document: String) throws -> String {
        try #require(rowsText(try run(s, "SELECT JSON_SCHEMA_VALID('\(schema)', '\(document)')")).first?.first)
    }

    func report(_ s: Session, _ schema: String, _ document: String) throws -> String {
        try #require(rowsText(try run(s, "SELECT JSON_SCHEMA_VALIDATION_REPORT('\(schema)', '\(document)')")).first?.first)
    }

    @Test func manualExamples() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        #expect(try valid(s, Self.geo, #"{"latitude": 63.444697, "longitude": 10.445118}"#) == "1")
        #expect(try valid(s, Self.geo, "{}") == "0")
        #expect(try report(s, Self.geo, #"{"latitude": 63.444697, "longitude": 10.445118}"#) == #"{"valid": true}"#)
        #expect(try report(s, Self.geo, #"{"latitude": 63.444697, "longitude": 310.445118}"#) == """
            {"valid": false, "reason": "The JSON document location '#/longitude' failed requirement 'maximum' at JSON Schema location '#/properties/longitude'", "schema-location": "#/properties/longitude", "document-location": "#/longitude", "schema-failed-keyword": "maximum"}
            """)
        #expect(try report(s, Self.geo, "{}") == """
            {"valid": false, "reason": "The JSON document location '#' failed requirement 'required' at JSON Schema location '#'", "schema-location": "#", "document-location": "#", "schema-failed-keyword": "required"}
            """)
        #expect(try report(s, #"{"type": "object"}"#, #"["test"]"#).contains(#""schema-failed-keyword": "type""#))
        // an invalid regular expression is ignored
        #expect(try valid(s, #"{"type": "string", "pattern": "("}"#, #""abc""#) == "1")
        #expect(try valid(s, #"{"type": "string", "pattern": "^a"}"#, #""abc""#) == "1")
        #expect(try valid(s, #"{"type": "string", "pattern": "^a"}"#, #""cba""#) == "0")
        #expect(rowsText(try run(s, "SELECT JSON_SCHEMA_VALID(NULL, '{}'), JSON_SCHEMA_VALID('{}', NULL)")) == [["NULL", "NULL"]])
    }

    @Test func keywords() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        let cases: [(schema: String, passes: [String], fails: [String])] = [
            (#"{"type": "integer"}"#, ["1", "-5", "18446744073709551615"], ["1.5", "1.0", #""1""#]),
            (#"{"type": ["string", "null"]}"#, [#""x""#, "null"], ["1", "[]"]),
            (#"{"enum": [1, "a", [2]]}"#, ["1", "1.0", #""a""#, "[2]"], ["2", #""b""#]),
            (#"{"minimum": 1, "exclusiveMinimum": true, "maximum": 3}"#, ["2", "3", #""not a number""#], ["1", "3.5"]),
            (#"{"multipleOf": 0.5}"#, ["2", "1.5"], ["1.25"]),
            (#"{"minLength": 2, "maxLength": 3}"#, [#""ab""#, #""äöü""#], [#""a""#, #""abcd""#]),
            (#"{"items": {"type": "integer"}, "minItems": 1, "maxItems": 2, "uniqueItems": true}"#, ["[1]", "[1, 2]"], ["[]", "[1, 2, 3]", "[1, 1]", #"["a"]"#]),
            (#"{"items": [{"type": "string"}], "additionalItems": false}"#, [#"["a"]"#, "[]"], [#"["a", 1]"#, "[1]"]),
            (#"{"properties": {"a": {"type": "integer"}}, "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}"#,
             [#"{"a": 1, "x-y": "z"}"#], [#"{"b": 1}"#, #"{"x-y": 2}"#, #"{"a": "1"}"#]),
            (#"{"additionalProperties": {"type": "boolean"}}"#, [#"{"a": true}"#], [#"{"a": 1}"#]),
            (#"{"minProperties": 1, "maxProperties": 1}"#, [#"{"a": 1}"#], ["{}", #"{"a": 1, "b": 2}"#]),
            (#"{"dependencies": {"a": ["b"], "c": {"required": ["d"]}}}"#, [#"{"a": 1, "b": 2}"#, #"{"c": 1, "d": 2}"#, "{}"], [#"{"a": 1}"#, #"{"c": 1}"#]),
            (#"{"allOf": [{"type": "integer"}, {"minimum": 2}]}"#, ["2"], ["1", "2.5"]),
            (#"{"anyOf": [{"type": "integer"}, {"type": "string"}]}"#, ["2", #""x""#], ["null"]),
            (#"{"oneOf": [{"type": "integer"}, {"minimum": 2}]}"#, ["1", "2.5"], ["3", "0.5"]),
            (#"{"not": {"type": "null"}}"#, ["0"], ["null"]),
            (##"{"definitions": {"pos": {"type": "integer", "minimum": 0}}, "properties": {"n": {"$ref": "#/definitions/pos"}}}"##,
             [#"{"n": 3}"#], [#"{"n": -1}"#]),
        ]
        for c in cases {
            for document in c.passes { #expect(try valid(s, c.schema, document) == "1", "\(c.schema) should pass \(document)") }
            for document in c.fails { #expect(try valid(s, c.schema, document) == "0", "\(c.schema) should fail \(document)") }
        }
        // the deepest failure is reported, with JSON pointers into both documents
        #expect(try report(s, #"{"properties": {"a/b": {"items": {"type": "string"}}}}"#, #"{"a/b": ["x", 2]}"#).contains(
            ##""schema-location": "#/properties/a~1b/items", "document-location": "#/a~1b/1", "schema-failed-keyword": "type""##))
        #expect(try report(s, ##"{"definitions": {"pos": {"minimum": 0}}, "items": {"$ref": "#/definitions/pos"}}"##, "[1, -1]").contains(
            ##""schema-location": "#/definitions/pos", "document-location": "#/1", "schema-failed-keyword": "minimum""##))
    }

    @Test func errors() throws {
        let (engine, s, _) = try makeEngine()
        defer { s.close(); try? engine.close() }
        #expect(sqlError(s, "SELECT JSON_SCHEMA_VALID('[1]', '1')")?.code == 3853)
        #expect(sqlError(s, "SELECT JSON_SCHEMA_VALID('{', '1')")?.code == 3141)
        #expect(sqlError(s, "SELECT JSON_SCHEMA_VALID('{}', 'nope')")?.code == 3141)
        #expect(sqlError(s, #"SELECT JSON_SCHEMA_VALID('{"$ref": "http://example.com/s.json"}', '1')"#)?.code == 1235)
        #expect(sqlError(s, "SELECT JSON_SCHEMA_VALID('{}')")?.code == 1582)
        // a schema that refers to itself ends
        #expect(try valid(s, ##"{"properties": {"a": {"$ref": "#"}}}"##, #"{"a": {"a": {"a": 1}}}"#) == "1")
        // a schema from a column, row by row
        try run(s, "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, s JSON, doc JSON)")
        try run(s, #"INSERT INTO t VALUES (1, '{"type": "integer"}', '5'), (2, '{"type": "string"}', '5'), (3, NULL, '5')"#)
        #expect(rowsText(try run(s, "SELECT id, JSON_SCHEMA_VALID(s, doc) FROM t ORDER BY id")) == [["1", "1"], ["2", "0"], ["3", "NULL"]])
    }
}
