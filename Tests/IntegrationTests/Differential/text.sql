-- Character sets and collations as the default utf8mb4 columns compare them; JSON basics.
CREATE TABLE words (id INT PRIMARY KEY, w VARCHAR(20), b VARBINARY(20), bin VARCHAR(20) COLLATE utf8mb4_bin);
INSERT INTO words VALUES (1, 'apple', 'apple', 'apple'), (2, 'Apple', 'Apple', 'Apple'), (3, 'äpple', 'äpple', 'äpple'), (4, 'banana', 'banana', 'banana'), (5, 'apple ', 'apple ', 'apple '), (6, 'Ärger', 'Ärger', 'Ärger'), (7, '😀 emoji', '😀 emoji', '😀 emoji');
-- MySQL's default utf8mb4_0900_ai_ci is NO PAD ('apple ' differs); MariaDB's utf8mb4_general_ci pads.
-- mysql: COUNT(*)
-- mysql: 3
SELECT COUNT(*) FROM words WHERE w = 'APPLE';
SELECT COUNT(*) FROM words WHERE b = 'apple';
SELECT COUNT(*) FROM words WHERE bin = 'apple';
SELECT id FROM words WHERE w LIKE 'app%' ORDER BY id;
SELECT id FROM words WHERE bin LIKE 'App%' ORDER BY id;
SELECT id, w FROM words ORDER BY bin, id;
SELECT UPPER(w), LOWER(w), LENGTH(w), CHAR_LENGTH(w) FROM words WHERE id IN (3, 6, 7) ORDER BY id;
SELECT 'a' = 'A', 'a' = 'A' COLLATE utf8mb4_bin, BINARY 'a' = 'A', 'abc' < 'ABD', STRCMP('abc', 'ABC');
SELECT w, COUNT(*) FROM words WHERE id IN (1, 2, 4) GROUP BY w ORDER BY w;
SELECT DISTINCT LOWER(w) FROM words WHERE id < 3;
SELECT 'it''s', 'back\\slash', 'tab\there', "double \"quoted\"", 'new\nline', _utf8mb4'x', N'national', X'E282AC';
SELECT HEX('€'), CHAR_LENGTH('€'), LENGTH('€'), HEX(CONVERT('abc' USING utf8mb4)), CAST(X'E282AC' AS CHAR);
CREATE TABLE docs (id INT PRIMARY KEY, body JSON);
INSERT INTO docs VALUES (1, '{"name": "onebox", "tags": ["db", "web"], "n": 3, "nested": {"ok": true}}'), (2, '[1, 2, 3]'), (3, NULL);
-- MySQL: 3140 Invalid JSON text; MariaDB checks JSON with a CHECK constraint (4025).
-- mysql: --------------
-- mysql: INSERT INTO docs VALUES (4, '{bad json')
-- mysql: --------------
-- mysql: ERROR 3140
INSERT INTO docs VALUES (4, '{bad json');
-- MariaDB has no -> and ->> operators.
-- mysql: id\tJSON_EXTRACT(body, '$.name')\tJSON_UNQUOTE(JSON_EXTRACT(body, '$.name'))\tbody->'$.n'\tbody->>'$.tags[1]'
-- mysql: 1\t"onebox"\tonebox\t3\tweb
-- mysql: 2\tNULL\tNULL\tNULL\tNULL
-- mysql: 3\tNULL\tNULL\tNULL\tNULL
SELECT id, JSON_EXTRACT(body, '$.name'), JSON_UNQUOTE(JSON_EXTRACT(body, '$.name')), body->'$.n', body->>'$.tags[1]' FROM docs ORDER BY id;
SELECT JSON_LENGTH(body), JSON_TYPE(body), JSON_VALID(body) FROM docs ORDER BY id;
-- MySQL keeps object members sorted by key length, then bytes; MariaDB keeps them as written.
-- mysql: JSON_KEYS(body)
-- mysql: ["n", "name", "tags", "nested"]
SELECT JSON_KEYS(body) FROM docs WHERE id = 1;
SELECT JSON_CONTAINS(body, '"db"', '$.tags'), JSON_CONTAINS_PATH(body, 'one', '$.nested.ok', '$.zzz') FROM docs WHERE id = 1;
SELECT JSON_ARRAY(1, 'a', NULL, TRUE), JSON_OBJECT('k', 1, 'v', JSON_ARRAY(2)), JSON_QUOTE('x"y');
SELECT JSON_UNQUOTE(JSON_EXTRACT(JSON_SET(body, '$.n', 4, '$.new', 'x'), '$.new')), JSON_EXTRACT(JSON_REMOVE(body, '$.tags'), '$.tags') FROM docs WHERE id = 1;
SELECT JSON_EXTRACT(JSON_INSERT('{"a": 1}', '$.a', 2, '$.b', 3), '$.b'), JSON_EXTRACT(JSON_REPLACE('{"a": 1}', '$.a', 2, '$.b', 3), '$.a');
SELECT id FROM docs WHERE JSON_EXTRACT(body, '$.n') = 3;
SELECT JSON_SEARCH('["a", "b"]', 'one', 'b'), JSON_DEPTH('[[1]]'), JSON_ARRAY_APPEND('[1]', '$', 2);
-- MySQL ignores a path that matches nothing in JSON_ARRAY_APPEND; MariaDB returns NULL.
-- mysql: JSON_ARRAY_INSERT('[1, 2, 3]', '$[1]', 'x')\tJSON_ARRAY_APPEND('{"a": [1]}', '$.a', 2, '$.b', 3)\tJSON_MERGE_PATCH('{"a": 1, "b": 2}', '{"b": null, "c": 3}')
-- mysql: [1, "x", 2, 3]\t{"a": [1, 2]}\t{"a": 1, "c": 3}
SELECT JSON_ARRAY_INSERT('[1, 2, 3]', '$[1]', 'x'), JSON_ARRAY_APPEND('{"a": [1]}', '$.a', 2, '$.b', 3), JSON_MERGE_PATCH('{"a": 1, "b": 2}', '{"b": null, "c": 3}');
SELECT JSON_MERGE_PRESERVE('{"a": 1}', '{"a": 2}', '[3]'), JSON_OVERLAPS('[1, 3]', '[3, 4]'), JSON_SEARCH('{"a": ["x", "y"], "b": "x"}', 'all', 'x');
-- MySQL lists several paths' matches in path order (MariaDB in document order).
-- mysql: JSON_EXTRACT('{"a": {"b": 1}, "c": {"b": 2}}', '$.*.b')\tJSON_EXTRACT('[1, [2, 3]]', '$[1][0]', '$[0]')\tJSON_EXTRACT('[1, 2, 3]', '$[last]')
-- mysql: [1, 2]\t[2, 1]\t3
SELECT JSON_EXTRACT('{"a": {"b": 1}, "c": {"b": 2}}', '$.*.b'), JSON_EXTRACT('[1, [2, 3]]', '$[1][0]', '$[0]'), JSON_EXTRACT('[1, 2, 3]', '$[last]');
SELECT JSON_REMOVE('[1, 2, 3]', '$[0]', '$[0]'), JSON_SET('[1]', '$[5]', 2), JSON_INSERT('1', '$[1]', 2), JSON_REPLACE('{"a": 1}', '$.b', 2);
-- MySQL: a malformed path is error 3143; MariaDB warns and returns NULL.
-- mysql: --------------
-- mysql: SELECT JSON_EXTRACT('{"a": 1}', '$a')
-- mysql: --------------
-- mysql: ERROR 3143
SELECT JSON_EXTRACT('{"a": 1}', '$a');
-- MySQL: invalid JSON text is error 3141; MariaDB warns and returns NULL.
-- mysql: --------------
-- mysql: SELECT JSON_EXTRACT('not json', '$')
-- mysql: --------------
-- mysql: ERROR 3141
SELECT JSON_EXTRACT('not json', '$');
SELECT JSON_TYPE('1.5'), JSON_TYPE('"s"'), JSON_TYPE('true'), JSON_TYPE('null'), JSON_TYPE('{}'), JSON_VALID('{"a": [1, }'), JSON_VALID('"\\u00e9"');
