-- The UCA collations. utf8mb4_unicode_ci (UCA 4.0.0, PAD SPACE) is compared with MariaDB
-- directly. MariaDB 10.11 has no utf8mb4_0900_ai_ci (1273): those statements carry MySQL 8.0's
-- output — orderings from mysql-test's ctype_unicode900 result, equalities from MySQL's manual.
CREATE TABLE u (id INT PRIMARY KEY, s VARCHAR(30) COLLATE utf8mb4_unicode_ci, KEY (s));
INSERT INTO u VALUES (1, 'a_b'), (2, 'ab'), (3, 'a-b'), (4, 'x1'), (5, 'x-1'), (6, '(paren'), (7, 'Zeta'), (8, 'éclair'), (9, 'eclipse'), (10, '€uro'), (11, '10'), (12, '9'), (13, 'ω'), (14, 'ά'), (15, '中'), (16, '一'), (17, 'straße'), (18, 'strasse2'), (19, 'Æsir'), (20, 'b'), (21, '가'), (22, '😀'), (23, '🍺'), (24, 'ǆ'), (25, 'ﬁx'), (26, 'Ω'), (27, 'ё'), (28, 'е'), (29, '$5'), (30, '#tag'), (31, 'a b'), (32, 'a\tb'), (33, 'ab '), (34, 'Ab'), (35, 'ä'), (36, 'Ø'), (37, 'Ł'), (38, 'ŀ'), (39, 'Þ'), (40, 'ĳ');
SELECT id, s FROM u ORDER BY s, id;
SELECT id FROM u ORDER BY s DESC, id;
SELECT GROUP_CONCAT(id ORDER BY id), MIN(id) FROM u GROUP BY s ORDER BY MIN(s), MIN(id);
SELECT COUNT(DISTINCT s) FROM u;
SELECT id FROM u WHERE s BETWEEN 'a' AND 'c' ORDER BY s, id;
SELECT id FROM u WHERE s > 'x' ORDER BY s, id;
SELECT id FROM u WHERE s < '1' ORDER BY s, id;
SELECT id FROM u WHERE s = 'AB' ORDER BY id;
SELECT id FROM u WHERE s = 'strasse' ORDER BY id;
SELECT id FROM u WHERE s = '🍣' ORDER BY id;
SELECT id FROM u WHERE s LIKE 'e%' ORDER BY id;
SELECT id FROM u WHERE s LIKE '_b' ORDER BY id;
SELECT id FROM u WHERE s IN ('A-B', 'OMEGA', 'Ω', 'dž') ORDER BY id;
SELECT 'a\t' = 'a' COLLATE utf8mb4_unicode_ci, 'a\t' < 'a' COLLATE utf8mb4_unicode_ci, 'a\t' > 'a' COLLATE utf8mb4_unicode_ci, 'a' = 'a ' COLLATE utf8mb4_unicode_ci;
SELECT 'a  a' > 'a' COLLATE utf8mb4_unicode_ci, 'a  \t' < 'a' COLLATE utf8mb4_unicode_ci, '' = '  ' COLLATE utf8mb4_unicode_ci, '\n' < '' COLLATE utf8mb4_unicode_ci;
SELECT 'ß' = 'ss' COLLATE utf8mb4_unicode_ci, 'Æ' = 'AE' COLLATE utf8mb4_unicode_ci, 'ø' = 'o' COLLATE utf8mb4_unicode_ci, 'ﬁ' = 'fi' COLLATE utf8mb4_unicode_ci, '🍣' = '🍺' COLLATE utf8mb4_unicode_ci AS sushi_beer, 'ά' = 'α' COLLATE utf8mb4_unicode_ci;
SELECT STRCMP('a_b', 'ab' COLLATE utf8mb4_unicode_ci), STRCMP('x-1', 'x1' COLLATE utf8mb4_unicode_ci), STRCMP('€', '0' COLLATE utf8mb4_unicode_ci), STRCMP('中', '一' COLLATE utf8mb4_unicode_ci), STRCMP('가', '나' COLLATE utf8mb4_unicode_ci);
SELECT 'é' LIKE 'e' COLLATE utf8mb4_unicode_ci, 'ß' LIKE 'ss' COLLATE utf8mb4_unicode_ci, 'Straße' LIKE 'stra_e' COLLATE utf8mb4_unicode_ci, '🍣' LIKE '🍺' COLLATE utf8mb4_unicode_ci AS sushi_beer, '🍣' LIKE '🍣' COLLATE utf8mb4_unicode_ci AS sushi, '🍣' LIKE '_' COLLATE utf8mb4_unicode_ci AS one;
CREATE TABLE uk (s VARCHAR(10) COLLATE utf8mb4_unicode_ci PRIMARY KEY);
INSERT INTO uk VALUES ('straße');
INSERT INTO uk VALUES ('STRASSE');
INSERT INTO uk VALUES ('strasse ');
INSERT INTO uk VALUES ('😀'), ('a');
INSERT INTO uk VALUES ('🍺');
SELECT s FROM uk ORDER BY s;
-- utf8mb4_0900_ai_ci: DUCET 9.0.0, NO PAD; the space weighs least.
-- mysql:
CREATE TABLE w (id INT PRIMARY KEY, ch VARCHAR(10) COLLATE utf8mb4_0900_ai_ci, KEY (ch));
-- mysql:
INSERT INTO w VALUES (1, '\t'), (2, ' '), (3, '_'), (4, '˜'), (5, 'ↀ'), (6, '$'), (7, '₠'), (8, 'a'), (9, 'ꜣ'), (10, 'ʭ'), (11, 'α'), (12, 'ᾩ'), (13, 'Ϸ'), (14, 'а'), (15, 'Ѫ'), (16, 'Ӏ'), (17, 'Ⰰ'), (18, 'ა'), (19, 'ա'), (20, 'ぁ');
-- mysql: id\tHEX(ch)
-- mysql: 2\t20
-- mysql: 1\t09
-- mysql: 3\t5F
-- mysql: 4\tCB9C
-- mysql: 5\tE28680
-- mysql: 6\t24
-- mysql: 7\tE282A0
-- mysql: 8\t61
-- mysql: 9\tEA9CA3
-- mysql: 10\tCAAD
-- mysql: 11\tCEB1
-- mysql: 12\tE1BEA9
-- mysql: 13\tCFB7
-- mysql: 14\tD0B0
-- mysql: 15\tD1AA
-- mysql: 16\tD380
-- mysql: 17\tE2B080
-- mysql: 18\tE18390
-- mysql: 19\tD5A1
-- mysql: 20\tE38181
SELECT id, HEX(ch) FROM w ORDER BY ch;
-- mysql: id
-- mysql: 3
-- mysql: 4
-- mysql: 5
-- mysql: 6
-- mysql: 7
SELECT id FROM w WHERE ch > '\t' AND ch < 'a' ORDER BY ch;
-- mysql: nopad\tspace_first\tspace_before_tab\tsharp_s\tae\tsushi_beer\tring
-- mysql: 0\t1\t1\t1\t1\t0\t1
SELECT 'a' = 'a ' COLLATE utf8mb4_0900_ai_ci AS nopad, 'a' < 'a ' COLLATE utf8mb4_0900_ai_ci AS space_first, 'a ' < 'a\t' COLLATE utf8mb4_0900_ai_ci AS space_before_tab, 'ß' = 'ss' COLLATE utf8mb4_0900_ai_ci AS sharp_s, 'æ' = 'ae' COLLATE utf8mb4_0900_ai_ci AS ae, '🍣' = '🍺' COLLATE utf8mb4_0900_ai_ci AS sushi_beer, 'Å' = 'a' COLLATE utf8mb4_0900_ai_ci AS ring;
