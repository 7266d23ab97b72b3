-- JSON_SCHEMA_VALID and JSON_SCHEMA_VALIDATION_REPORT (MySQL 8.0.17+; MariaDB 10.11 has
-- neither, so every statement gives MySQL's output, from the examples of MySQL's manual).
SET @schema = '{"id": "http://json-schema.org/geo", "$schema": "http://json-schema.org/draft-04/schema#", "description": "A geographical coordinate", "type": "object", "properties": {"latitude": {"type": "number", "minimum": -90, "maximum": 90}, "longitude": {"type": "number", "minimum": -180, "maximum": 180}}, "required": ["latitude", "longitude"]}';
-- mysql: ok\tmissing
-- mysql: 1\t0
SELECT JSON_SCHEMA_VALID(@schema, '{"latitude": 63.444697, "longitude": 10.445118}') AS ok, JSON_SCHEMA_VALID(@schema, '{}') AS missing;
-- mysql: r
-- mysql: {"valid": false, "reason": "The JSON document location '#/longitude' failed requirement 'maximum' at JSON Schema location '#/properties/longitude'", "schema-location": "#/properties/longitude", "document-location": "#/longitude", "schema-failed-keyword": "maximum"}
SELECT JSON_SCHEMA_VALIDATION_REPORT(@schema, '{"latitude": 63.444697, "longitude": 310.445118}') AS r;
-- mysql: r
-- mysql: {"valid": true}
SELECT JSON_SCHEMA_VALIDATION_REPORT(@schema, '{"latitude": 63.444697, "longitude": 10.445118}') AS r;
-- An invalid regular expression in "pattern" is ignored.
-- mysql: bad_pattern\tmatch\tno_match
-- mysql: 1\t1\t0
SELECT JSON_SCHEMA_VALID('{"type": "string", "pattern": "("}', '"abc"') AS bad_pattern, JSON_SCHEMA_VALID('{"type": "string", "pattern": "^a"}', '"abc"') AS `match`, JSON_SCHEMA_VALID('{"type": "string", "pattern": "^a"}', '"cba"') AS no_match;
-- mysql: n
-- mysql: NULL
SELECT JSON_SCHEMA_VALID(NULL, '{}') AS n;
-- mysql: --------------
-- mysql: SELECT JSON_SCHEMA_VALID('[1]', '1')
-- mysql: --------------
-- mysql: ERROR 3853
SELECT JSON_SCHEMA_VALID('[1]', '1');
-- mysql: --------------
-- mysql: SELECT JSON_SCHEMA_VALID('{}', 'nope')
-- mysql: --------------
-- mysql: ERROR 3141
SELECT JSON_SCHEMA_VALID('{}', 'nope');
