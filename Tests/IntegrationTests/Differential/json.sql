-- JSON_TABLE (lateral, NESTED PATH, FOR ORDINALITY, EXISTS PATH, ON EMPTY / ON ERROR), JSON_VALUE, MEMBER OF.
CREATE TABLE orders (id INT PRIMARY KEY, doc JSON);
INSERT INTO orders VALUES (1, '{"customer": "ann", "items": [{"sku": "a1", "qty": 2, "tags": ["x", "y"]}, {"sku": "b2", "qty": 1}]}'), (2, '{"customer": "bob", "items": []}'), (3, '{"customer": "cy", "items": [{"sku": "c3", "qty": "many"}]}');
-- MySQL parses DEFAULT's string as JSON ('"none"' is the string none); MariaDB keeps the text.
-- mysql: rn\ta\tb\thas_b
-- mysql: 1\t1\tx\t1
-- mysql: 2\t2\tnone\t0
-- mysql: 3\tNULL\tz\t1
SELECT * FROM JSON_TABLE('[{"a": 1, "b": "x"}, {"a": 2}, {"b": "z"}]', '$[*]' COLUMNS (rn FOR ORDINALITY, a INT PATH '$.a', b VARCHAR(10) PATH '$.b' DEFAULT '"none"' ON EMPTY, has_b INT EXISTS PATH '$.b')) AS t;
-- A value that does not convert ('many' into INT) is MySQL's ON ERROR case (NULL by default); MariaDB stores 0.
-- mysql: id\tsku\tqty
-- mysql: 1\ta1\t2
-- mysql: 1\tb2\t1
-- mysql: 3\tc3\tNULL
SELECT o.id, t.sku, t.qty FROM orders o, JSON_TABLE(o.doc, '$.items[*]' COLUMNS (sku VARCHAR(10) PATH '$.sku', qty INT PATH '$.qty')) AS t ORDER BY o.id, t.sku;
SELECT o.id, t.* FROM orders o JOIN JSON_TABLE(o.doc, '$.items[*]' COLUMNS (n FOR ORDINALITY, sku VARCHAR(10) PATH '$.sku', NESTED PATH '$.tags[*]' COLUMNS (tag VARCHAR(5) PATH '$'))) AS t ON TRUE WHERE o.id = 1 ORDER BY n, tag;
SELECT * FROM JSON_TABLE('{"x": [1, 2], "y": ["a"]}', '$' COLUMNS (NESTED PATH '$.x[*]' COLUMNS (x INT PATH '$'), NESTED PATH '$.y[*]' COLUMNS (y VARCHAR(3) PATH '$'))) AS t;
SELECT * FROM JSON_TABLE('[{"n": "12"}, {"n": {"deep": 1}}]', '$[*]' COLUMNS (n INT PATH '$.n' DEFAULT '0' ON ERROR)) AS t;
-- MySQL's error for ERROR ON EMPTY is 3665 (MariaDB: 4176).
-- mysql: --------------
-- mysql: SELECT * FROM JSON_TABLE('[{}]', '$[*]' COLUMNS (n INT PATH '$.n' ERROR ON EMPTY)) AS t
-- mysql: --------------
-- mysql: ERROR 3665
SELECT * FROM JSON_TABLE('[{}]', '$[*]' COLUMNS (n INT PATH '$.n' ERROR ON EMPTY)) AS t;
SELECT * FROM JSON_TABLE('[1, 2]', '$[*]' COLUMNS (j JSON PATH '$', d DECIMAL(5,2) PATH '$')) AS t;
SELECT COUNT(*) FROM orders o, JSON_TABLE(o.doc, '$.items[*]' COLUMNS (sku VARCHAR(10) PATH '$.sku')) AS t;
SELECT * FROM JSON_TABLE(NULL, '$[*]' COLUMNS (a INT PATH '$')) AS t;
SELECT * FROM JSON_TABLE('[1]', '$[*]' COLUMNS (a INT PATH '$', a INT PATH '$')) AS t;
SELECT JSON_VALUE(doc, '$.customer') FROM orders ORDER BY id;
-- MariaDB's JSON_VALUE has no RETURNING / ON EMPTY / ON ERROR clauses (MySQL 8.0.21+).
-- mysql: JSON_VALUE('{"price": 12.5}', '$.price' RETURNING DECIMAL(6,2))\tJSON_VALUE('{"a": 1}', '$.b' DEFAULT 'none' ON EMPTY)\tJSON_VALUE('{"a": [1]}', '$.a')
-- mysql: 12.50\tnone\tNULL
SELECT JSON_VALUE('{"price": 12.5}', '$.price' RETURNING DECIMAL(6,2)), JSON_VALUE('{"a": 1}', '$.b' DEFAULT 'none' ON EMPTY), JSON_VALUE('{"a": [1]}', '$.a');
-- MySQL: 3966 (no value found); MariaDB cannot parse the clause.
-- mysql: --------------
-- mysql: SELECT JSON_VALUE('{"a": 1}', '$.b' ERROR ON EMPTY)
-- mysql: --------------
-- mysql: ERROR 3966
SELECT JSON_VALUE('{"a": 1}', '$.b' ERROR ON EMPTY);
-- MariaDB has no MEMBER OF.
-- mysql: 2 MEMBER OF ('[1, 2, 3]')\t'b' MEMBER OF ('["a", "b"]')\t5 MEMBER OF ('[1, 2]')\t'x' MEMBER OF ('"x"')
-- mysql: 1\t1\t0\t1
SELECT 2 MEMBER OF ('[1, 2, 3]'), 'b' MEMBER OF ('["a", "b"]'), 5 MEMBER OF ('[1, 2]'), 'x' MEMBER OF ('"x"');
