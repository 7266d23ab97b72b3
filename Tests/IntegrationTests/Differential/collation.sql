-- utf8mb4_general_ci, utf8mb4_unicode_ci, latin1 and ascii columns: weights, padding, character set checks.
CREATE TABLE names (id INT PRIMARY KEY, g VARCHAR(20) COLLATE utf8mb4_general_ci, u VARCHAR(20) COLLATE utf8mb4_unicode_ci, b VARCHAR(20) COLLATE utf8mb4_bin);
INSERT INTO names VALUES (1, 'strasse', 'strasse', 'strasse'), (2, 'straße', 'straße', 'straße'), (3, 'STRASSE', 'STRASSE', 'STRASSE'), (4, 'strase', 'strase', 'strase'), (5, 'Ärger', 'Ärger', 'Ärger'), (6, 'arger', 'arger', 'arger'), (7, 'apple ', 'apple ', 'apple '), (8, 'apple', 'apple', 'apple');
SELECT id FROM names WHERE g = 'strasse' ORDER BY id;
SELECT id FROM names WHERE u = 'strasse' ORDER BY id;
SELECT id FROM names WHERE g = 'strase' ORDER BY id;
SELECT id FROM names WHERE u = 'strase' ORDER BY id;
SELECT id FROM names WHERE g = 'ärger' ORDER BY id;
SELECT id FROM names WHERE u = 'ARGER' ORDER BY id;
SELECT id FROM names WHERE g = 'apple' ORDER BY id;
SELECT id FROM names WHERE u = 'apple  ' ORDER BY id;
SELECT id FROM names WHERE b = 'apple' ORDER BY id;
SELECT g, COUNT(*) FROM names WHERE id IN (1, 3, 6) GROUP BY g ORDER BY g;
SELECT 'ß' = 's' COLLATE utf8mb4_general_ci, 'ß' = 'ss' COLLATE utf8mb4_general_ci, 'ß' = 'ss' COLLATE utf8mb4_unicode_ci, 'Æ' = 'ae' COLLATE utf8mb4_unicode_ci, 'a ' = 'a' COLLATE utf8mb4_general_ci, 'a ' = 'a' COLLATE utf8mb4_unicode_ci;
SELECT COLLATION(g), COLLATION(u), CHARSET(g) FROM names WHERE id = 1;
CREATE TABLE l1 (id INT PRIMARY KEY, name VARCHAR(20) CHARACTER SET latin1, a VARCHAR(10) CHARACTER SET ascii, lb VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin);
INSERT INTO l1 VALUES (1, 'Åsa', 'plain', 'x'), (2, 'Zorro', 'Plain', 'X'), (3, 'Ärla', 'text', 'y'), (4, 'Östen', 'a', 'z'), (5, 'abc €', 'b', 'Y'), (6, 'Adam', 'c', 'a');
INSERT INTO l1 VALUES (7, 'snow ☃', 'x', 'x');
INSERT INTO l1 VALUES (8, 'ok', 'café', 'x');
INSERT INTO l1 VALUES (9, '日本', 'x', 'x');
SELECT id, name FROM l1 ORDER BY name, id;
SELECT id FROM l1 WHERE name = 'åsa';
SELECT id FROM l1 WHERE a = 'PLAIN' ORDER BY id;
SELECT id, lb FROM l1 ORDER BY lb, id;
SELECT COLLATION(name), CHARSET(name), COLLATION(a), CHARSET(a), COLLATION(lb) FROM l1 WHERE id = 1;
SELECT COLUMN_NAME, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'l1' ORDER BY ORDINAL_POSITION;
SELECT CONVERT('abc' USING latin1), CONVERT('€uro' USING latin1), CONVERT('☃ snow' USING latin1), CONVERT('日本' USING ascii), CHARSET(CONVERT('x' USING latin1)), COLLATION(CONVERT('x' USING ascii));
SELECT HEX(CONVERT('é' USING utf8mb4));
CREATE TABLE t_latin (id INT PRIMARY KEY, s VARCHAR(10)) DEFAULT CHARSET=latin1;
INSERT INTO t_latin VALUES (1, 'Öl');
INSERT INTO t_latin VALUES (2, '😀');
SELECT COLLATION(s) FROM t_latin;
ALTER TABLE t_latin ADD COLUMN note VARCHAR(10);
INSERT INTO t_latin (id, note) VALUES (3, '€');
INSERT INTO t_latin (id, note) VALUES (4, '☃');
SELECT id, s, note, COLLATION(note) FROM t_latin ORDER BY id;
-- utf8mb4's default collation is utf8mb4_0900_ai_ci in MySQL 8, utf8mb4_general_ci in MariaDB.
-- mysql: COLLATION_NAME\tCHARACTER_SET_NAME\tID\tIS_DEFAULT
-- mysql: ascii_bin\tascii\t65\t
-- mysql: ascii_general_ci\tascii\t11\tYes
-- mysql: binary\tbinary\t63\tYes
-- mysql: latin1_bin\tlatin1\t47\t
-- mysql: latin1_swedish_ci\tlatin1\t8\tYes
-- mysql: utf8mb4_bin\tutf8mb4\t46\t
-- mysql: utf8mb4_general_ci\tutf8mb4\t45\t
-- mysql: utf8mb4_unicode_ci\tutf8mb4\t224\t
SELECT COLLATION_NAME, CHARACTER_SET_NAME, ID, IS_DEFAULT FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN ('utf8mb4_general_ci', 'utf8mb4_unicode_ci', 'utf8mb4_bin', 'latin1_swedish_ci', 'latin1_bin', 'ascii_general_ci', 'ascii_bin', 'binary') ORDER BY COLLATION_NAME;
-- MySQL 8's SHOW COLLATION has a Pad_attribute column; MariaDB's has not.
-- mysql: Collation\tCharset\tId\tDefault\tCompiled\tSortlen\tPad_attribute
-- mysql: latin1_swedish_ci\tlatin1\t8\tYes\tYes\t1\tPAD SPACE
SHOW COLLATION LIKE 'latin1_swedish_ci';
SELECT CHARACTER_SET_NAME, DEFAULT_COLLATE_NAME, MAXLEN FROM information_schema.CHARACTER_SETS WHERE CHARACTER_SET_NAME IN ('latin1', 'ascii', 'binary') ORDER BY 1;
CREATE TABLE bad (s VARCHAR(10) CHARACTER SET klingon);
-- Mixed collations in one comparison (MySQL's aggregation): the lower coercibility wins
-- (COLLATE over a column over a literal), a _bin collation over another of the same
-- coercibility, a Unicode set over latin1; two columns (or two COLLATE clauses) of
-- different collations are 1267 (1270 for three operands).
CREATE TABLE mix (id INT PRIMARY KEY, g VARCHAR(10) COLLATE utf8mb4_general_ci, u VARCHAR(10) COLLATE utf8mb4_unicode_ci, b VARCHAR(10) COLLATE utf8mb4_bin, d VARCHAR(10), l VARCHAR(10) CHARACTER SET latin1);
INSERT INTO mix VALUES (1, 'a', 'A', 'a', 'a', 'a');
SELECT id FROM mix WHERE g = u;
SELECT id FROM mix WHERE u < g;
SELECT id FROM mix WHERE g = b;
-- MySQL's default utf8mb4_0900_ai_ci (d) and utf8mb4_general_ci do not mix; in MariaDB d is
-- utf8mb4_general_ci itself.
-- mysql: --------------
-- mysql: SELECT id FROM mix WHERE g = d
-- mysql: --------------
-- mysql: ERROR 1267
SELECT id FROM mix WHERE g = d;
SELECT id FROM mix WHERE g = l;
SELECT id FROM mix WHERE u = l;
SELECT id FROM mix WHERE g = 'A';
SELECT id FROM mix WHERE g = u COLLATE utf8mb4_unicode_ci;
SELECT id FROM mix WHERE g COLLATE utf8mb4_bin = u;
SELECT id FROM mix WHERE g COLLATE utf8mb4_bin = u COLLATE utf8mb4_general_ci;
SELECT id FROM mix WHERE g IN (u);
SELECT id FROM mix WHERE g IN (u, b);
SELECT id FROM mix WHERE g BETWEEN u AND b;
SELECT id FROM mix WHERE g LIKE u;
SELECT CASE g WHEN u THEN 1 END FROM mix;
SELECT STRCMP(g, u), NULLIF(g, 'x') FROM mix;
SELECT id FROM mix WHERE NULLIF(g, u) IS NULL;
SELECT id FROM mix WHERE (g, 1) = (u, 1);
-- latin1 values are held as UTF-8 but measured and shown in their own bytes (é is 0xE9, € 0x80).
CREATE TABLE lbytes (id INT PRIMARY KEY, s VARCHAR(20) CHARACTER SET latin1);
INSERT INTO lbytes VALUES (1, 'café'), (2, '€uro'), (3, 'plain'), (4, 'Ärger ÿ'), (5, '');
SELECT id, LENGTH(s), OCTET_LENGTH(s), CHAR_LENGTH(s), BIT_LENGTH(s), HEX(s) FROM lbytes ORDER BY id;
SELECT id, HEX(CAST(s AS BINARY)), LENGTH(CAST(s AS BINARY)), HEX(CONVERT(s USING binary)), HEX(CONVERT(s USING utf8mb4)), LENGTH(CONVERT(s USING utf8mb4)) FROM lbytes ORDER BY id;
SELECT LENGTH(CONVERT('é' USING latin1)), HEX(CONVERT('é€' USING latin1)), HEX(CONVERT(CONVERT('é' USING latin1) USING utf8mb4)), CHAR_LENGTH(CONVERT('é€' USING latin1));
SELECT id FROM lbytes WHERE LENGTH(s) = 4 ORDER BY id;
