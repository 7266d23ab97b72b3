-- JSON columns hold MySQL's binary form: documents are normalised on write (the last of
-- duplicate keys wins, members sorted by key length then bytes, MySQL's spacing), read by path
-- without parsing text, and compared and sorted by MySQL's JSON rules. MariaDB keeps JSON as
-- the text it was given (LONGTEXT with a CHECK), so most results here are MySQL's.
CREATE TABLE jb (id INT PRIMARY KEY, j JSON);
INSERT INTO jb VALUES (1, '{"b": 1, "a": [1, 2], "a": {"x": "y"}, "ccc": null, "dd": true}'), (2, '[3, "x", 2.5, -7, 18446744073709551615, 1e3]'), (3, '"plain"'), (4, '12'), (5, 'null'), (6, NULL), (7, '  {"nested": {"deep": [1, {"k": "v"}]}}  ');
-- MySQL: normalised text (MariaDB: as inserted).
-- mysql: id\tj
-- mysql: 1\t{"a": {"x": "y"}, "b": 1, "dd": true, "ccc": null}
-- mysql: 2\t[3, "x", 2.5, -7, 18446744073709551615, 1000.0]
-- mysql: 3\t"plain"
-- mysql: 4\t12
-- mysql: 5\tnull
-- mysql: 6\tNULL
-- mysql: 7\t{"nested": {"deep": [1, {"k": "v"}]}}
SELECT id, j FROM jb ORDER BY id;
-- MySQL: 3140 (MariaDB: its CHECK constraint, 4025).
-- mysql: --------------
-- mysql: INSERT INTO jb VALUES (8, '{"a": 1,}')
-- mysql: --------------
-- mysql: ERROR 3140
INSERT INTO jb VALUES (8, '{"a": 1,}');
-- mysql: --------------
-- mysql: INSERT INTO jb VALUES (8, '')
-- mysql: --------------
-- mysql: ERROR 3140
INSERT INTO jb VALUES (8, '');
-- The whole document through a path is the normalised one in MySQL.
-- mysql: id\tJSON_EXTRACT(j, '$.b')\tJSON_EXTRACT(j, '$[1]')\tJSON_UNQUOTE(JSON_EXTRACT(j, '$[1]'))\tJSON_EXTRACT(j, '$.nested.deep[1].k')\tJSON_EXTRACT(j, '$[0]')
-- mysql: 1\t1\tNULL\tNULL\tNULL\t{"a": {"x": "y"}, "b": 1, "dd": true, "ccc": null}
-- mysql: 2\tNULL\t"x"\tx\tNULL\t3
-- mysql: 3\tNULL\tNULL\tNULL\tNULL\t"plain"
-- mysql: 4\tNULL\tNULL\tNULL\tNULL\t12
-- mysql: 5\tNULL\tNULL\tNULL\tNULL\tnull
-- mysql: 6\tNULL\tNULL\tNULL\tNULL\tNULL
-- mysql: 7\tNULL\tNULL\tNULL\t"v"\t{"nested": {"deep": [1, {"k": "v"}]}}
SELECT id, JSON_EXTRACT(j, '$.b'), JSON_EXTRACT(j, '$[1]'), JSON_UNQUOTE(JSON_EXTRACT(j, '$[1]')), JSON_EXTRACT(j, '$.nested.deep[1].k'), JSON_EXTRACT(j, '$[0]') FROM jb ORDER BY id;
-- MariaDB has no -> and ->>.
-- mysql: id\tj->'$.a'\tj->>'$.a.x'\tj->'$[1]'\tj->>'$[1]'
-- mysql: 1\t{"x": "y"}\ty\tNULL\tNULL
-- mysql: 2\tNULL\tNULL\t"x"\tx
-- mysql: 3\tNULL\tNULL\tNULL\tNULL
-- mysql: 4\tNULL\tNULL\tNULL\tNULL
-- mysql: 5\tNULL\tNULL\tNULL\tNULL
-- mysql: 6\tNULL\tNULL\tNULL\tNULL
-- mysql: 7\tNULL\tNULL\tNULL\tNULL
SELECT id, j->'$.a', j->>'$.a.x', j->'$[1]', j->>'$[1]' FROM jb ORDER BY id;
-- MySQL counts the members left after the duplicate "a" is dropped.
-- mysql: id\tJSON_TYPE(j)\tJSON_LENGTH(j)\tJSON_DEPTH(j)\tJSON_VALID(j)
-- mysql: 1\tOBJECT\t4\t3\t1
-- mysql: 2\tARRAY\t6\t2\t1
-- mysql: 3\tSTRING\t1\t1\t1
-- mysql: 4\tINTEGER\t1\t1\t1
-- mysql: 5\tNULL\t1\t1\t1
-- mysql: 6\tNULL\tNULL\tNULL\tNULL
-- mysql: 7\tOBJECT\t1\t5\t1
SELECT id, JSON_TYPE(j), JSON_LENGTH(j), JSON_DEPTH(j), JSON_VALID(j) FROM jb ORDER BY id;
-- MySQL keeps unsigned integers and doubles written with an exponent apart.
-- mysql: JSON_TYPE(JSON_EXTRACT(j, '$[4]'))\tJSON_TYPE(JSON_EXTRACT(j, '$[2]'))\tJSON_TYPE(JSON_EXTRACT(j, '$[5]'))
-- mysql: UNSIGNED INTEGER\tDOUBLE\tDOUBLE
SELECT JSON_TYPE(JSON_EXTRACT(j, '$[4]')), JSON_TYPE(JSON_EXTRACT(j, '$[2]')), JSON_TYPE(JSON_EXTRACT(j, '$[5]')) FROM jb WHERE id = 2;
SELECT id FROM jb WHERE JSON_EXTRACT(j, '$.b') = 1;
SELECT id FROM jb WHERE JSON_EXTRACT(j, '$[1]') = 'x';
SELECT id FROM jb WHERE JSON_EXTRACT(j, '$.dd') = TRUE;
-- MySQL compares JSON with a SQL value as JSON: a string is a JSON string ('12' is not the
-- number 12), strings rank above numbers and compare by bytes. MariaDB compares the text.
-- mysql: id\tj = 12\tj = '12'\tj > 5\tj < 'a'
-- mysql: 3\t0\t0\t1\t0
-- mysql: 4\t1\t0\t1\t1
SELECT id, j = 12, j = '12', j > 5, j < 'a' FROM jb WHERE id IN (3, 4) ORDER BY id;
-- MariaDB has no CAST(... AS JSON).
-- mysql: id
-- mysql: 4
SELECT id FROM jb WHERE j = CAST('12' AS JSON);
CREATE TABLE js (id INT PRIMARY KEY, j JSON);
INSERT INTO js VALUES (1, '"b"'), (2, '10'), (3, 'true'), (4, '[1, 2]'), (5, 'null'), (6, '2.5'), (7, '"a"'), (8, 'false'), (9, '{"k": 1}'), (10, '[0]'), (11, NULL), (12, '-3');
-- MySQL's JSON order: SQL NULL, JSON null, numbers, strings, objects, arrays (by length),
-- false, true. MariaDB sorts the text.
-- mysql: id\tj
-- mysql: 11\tNULL
-- mysql: 5\tnull
-- mysql: 12\t-3
-- mysql: 6\t2.5
-- mysql: 2\t10
-- mysql: 7\t"a"
-- mysql: 1\t"b"
-- mysql: 9\t{"k": 1}
-- mysql: 10\t[0]
-- mysql: 4\t[1, 2]
-- mysql: 8\tfalse
-- mysql: 3\ttrue
SELECT id, j FROM js ORDER BY j, id;
-- mysql: id\tj
-- mysql: 3\ttrue
-- mysql: 8\tfalse
-- mysql: 4\t[1, 2]
-- mysql: 10\t[0]
-- mysql: 9\t{"k": 1}
-- mysql: 1\t"b"
-- mysql: 7\t"a"
-- mysql: 2\t10
-- mysql: 6\t2.5
-- mysql: 12\t-3
-- mysql: 5\tnull
-- mysql: 11\tNULL
SELECT id, j FROM js ORDER BY j DESC, id;
-- mysql: MIN(j)\tMAX(j)
-- mysql: -3\t"b"
SELECT MIN(j), MAX(j) FROM js WHERE id IN (1, 2, 6, 7, 12);
-- MySQL's binary form of JSON values (MariaDB has no JSON_STORAGE_SIZE).
-- mysql: id\tJSON_STORAGE_SIZE(j)
-- mysql: 1\t3
-- mysql: 2\t3
-- mysql: 4\t11
-- mysql: 5\t2
-- mysql: 9\t13
SELECT id, JSON_STORAGE_SIZE(j) FROM js WHERE id IN (1, 2, 4, 5, 9) ORDER BY id;
INSERT INTO js VALUES (13, '10.0'), (14, '"a"'), (15, '[1, 2]');
-- 10 and 10.0 are equal JSON numbers in MySQL (MariaDB compares the text).
-- mysql: COUNT(*)\tMIN(id)
-- mysql: 1\t1
-- mysql: 2\t2
-- mysql: 1\t3
-- mysql: 2\t4
-- mysql: 1\t5
-- mysql: 1\t6
-- mysql: 2\t7
-- mysql: 1\t8
-- mysql: 1\t9
-- mysql: 1\t10
-- mysql: 1\t11
-- mysql: 1\t12
SELECT COUNT(*), MIN(id) FROM js GROUP BY j ORDER BY MIN(id);
-- mysql: j
-- mysql: 10
-- mysql: "a"
SELECT DISTINCT j FROM js WHERE id IN (2, 13, 7, 14) ORDER BY j;
-- mysql: id\tid
-- mysql: 2\t13
-- mysql: 4\t15
-- mysql: 7\t14
SELECT a.id, b.id FROM js a JOIN js b ON a.j = b.j AND a.id < b.id ORDER BY a.id;
-- The setters write binary documents back; MySQL prints them normalised.
UPDATE jb SET j = JSON_SET(j, '$.b', 2, '$.new', JSON_ARRAY(1, 'two')) WHERE id = 1;
UPDATE jb SET j = JSON_INSERT(j, '$[6]', 'end', '$[0]', 'no') WHERE id = 2;
UPDATE jb SET j = JSON_REPLACE(j, '$.nested.deep[0]', 100, '$.nested.none', 1) WHERE id = 7;
UPDATE jb SET j = JSON_REMOVE(j, '$.ccc') WHERE id = 1;
-- mysql: id\tj
-- mysql: 1\t{"a": {"x": "y"}, "b": 2, "dd": true, "new": [1, "two"]}
-- mysql: 2\t[3, "x", 2.5, -7, 18446744073709551615, 1000.0, "end"]
-- mysql: 7\t{"nested": {"deep": [100, {"k": "v"}]}}
SELECT id, j FROM jb WHERE id IN (1, 2, 7) ORDER BY id;
SELECT JSON_EXTRACT(j, '$.new[1]'), JSON_EXTRACT(j, '$.b') + 1, JSON_LENGTH(j, '$.new') FROM jb WHERE id = 1;
SELECT id, CONCAT(j, ''), LENGTH(j) FROM jb WHERE id = 7;
CREATE TABLE copy AS SELECT id, j FROM jb WHERE id IN (1, 2, 7);
-- mysql: id\tj
-- mysql: 1\t{"a": {"x": "y"}, "b": 2, "dd": true, "new": [1, "two"]}
-- mysql: 2\t[3, "x", 2.5, -7, 18446744073709551615, 1000.0, "end"]
-- mysql: 7\t{"nested": {"deep": [100, {"k": "v"}]}}
SELECT id, j FROM copy ORDER BY id;
-- JSON_STORAGE_SIZE examples of MySQL's manual (MariaDB has no JSON_STORAGE_*).
-- mysql: JSON_STORAGE_SIZE('[100, "sakila", [1, 3, 5], 425.05]')\tJSON_STORAGE_SIZE('{"a": 1000, "b": "wxyz", "c": "[1, 3, 5, 7]"}')\tJSON_STORAGE_SIZE('"abc"')\tJSON_STORAGE_FREE('[1]')
-- mysql: 45\t47\t5\t0
SELECT JSON_STORAGE_SIZE('[100, "sakila", [1, 3, 5], 425.05]'), JSON_STORAGE_SIZE('{"a": 1000, "b": "wxyz", "c": "[1, 3, 5, 7]"}'), JSON_STORAGE_SIZE('"abc"'), JSON_STORAGE_FREE('[1]');
-- MySQL parses a string cast to JSON (3141 when it is not JSON); decimals keep their scale.
-- mysql: CAST('{"b": 1, "a": 2}' AS JSON)\tCAST(3 AS JSON)\tCAST(2.50 AS JSON)\tCAST('[1,  "x"]' AS JSON)
-- mysql: {"a": 2, "b": 1}\t3\t2.50\t[1, "x"]
SELECT CAST('{"b": 1, "a": 2}' AS JSON), CAST(3 AS JSON), CAST(2.50 AS JSON), CAST('[1,  "x"]' AS JSON);
-- mysql: --------------
-- mysql: SELECT CAST('x' AS JSON)
-- mysql: --------------
-- mysql: ERROR 3141
SELECT CAST('x' AS JSON);
-- MySQL: the last duplicate key of JSON_OBJECT wins and members print in MySQL's order.
-- mysql: JSON_OBJECT('b', 1, 'a', 2, 'b', 3)\tJSON_ARRAY(1, '2', TRUE, NULL, 1.50)\tJSON_MERGE_PATCH('{"b": 1}', '{"a": 2}')
-- mysql: {"a": 2, "b": 3}\t[1, "2", true, null, 1.50]\t{"a": 2, "b": 1}
SELECT JSON_OBJECT('b', 1, 'a', 2, 'b', 3), JSON_ARRAY(1, '2', TRUE, NULL, 1.50), JSON_MERGE_PATCH('{"b": 1}', '{"a": 2}');
-- An UPDATE to an equal JSON value that is not the same document writes it ({"n": 1.0}).
INSERT INTO js VALUES (20, '{"n": 1}');
UPDATE js SET j = '{"n": 1.0}' WHERE id = 20;
SELECT j, JSON_TYPE(JSON_EXTRACT(j, '$.n')) FROM js WHERE id = 20;
-- JSON_QUOTE and JSON_UNQUOTE (and ->>) give utf8mb4_bin strings, not JSON values.
SELECT JSON_QUOTE('x"y'), JSON_ARRAY(JSON_QUOTE('x')), COLLATION(JSON_QUOTE('a')), COLLATION(JSON_UNQUOTE('"a"'));
