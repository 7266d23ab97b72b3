-- Information, encryption, compression, UUID, network, JSON aggregate and other functions.
SELECT CHARSET('a'), CHARSET(1), COERCIBILITY('a'), COERCIBILITY(1), COERCIBILITY(NULL), COERCIBILITY('a' COLLATE utf8mb4_bin), COERCIBILITY(USER()), COERCIBILITY(CONCAT('a', 'b'));
-- mysql: COLLATION('a')\tCOLLATION(_latin1'a')\tCOLLATION(1)
-- mysql: utf8mb4_0900_ai_ci\tlatin1_swedish_ci\tbinary
SELECT COLLATION('a'), COLLATION(_latin1'a'), COLLATION(1);
SELECT DATABASE(), SCHEMA(), USER() LIKE 'root@%', CURRENT_USER() LIKE 'root@%', SESSION_USER() = USER(), SYSTEM_USER() = USER(), CONNECTION_ID() > 0, VERSION() IS NOT NULL;
SELECT LENGTH(UUID()), UUID() <> UUID(), UUID_SHORT() > 0, UUID_SHORT() < UUID_SHORT(), ROW_COUNT(), FOUND_ROWS() >= 0, LAST_INSERT_ID(), LAST_INSERT_ID(5), LAST_INSERT_ID();
SELECT BENCHMARK(10, 1), SLEEP(0), IS_IPV4('10.0.0.1'), IS_IPV4('10.0.0.256'), IS_IPV4('1.2.3'), INET_ATON('10.0.0.1'), INET_ATON('127.1'), INET_ATON('1.2.3'), INET_ATON('1.2.3.x'), INET_NTOA(167772161), INET_NTOA(-1), INET_NTOA(NULL);
SELECT HEX(INET6_ATON('::1')), HEX(INET6_ATON('10.0.0.1')), HEX(INET6_ATON('fdfe::5a55:caff:fefa:9089')), HEX(INET6_ATON('::ffff:10.0.0.1')), INET6_ATON('1::2::3'), INET6_ATON('nope');
SELECT INET6_NTOA(INET6_ATON('::1')), INET6_NTOA(INET6_ATON('10.0.0.1')), INET6_NTOA(INET6_ATON('FDFE:0:0:0:5A55:CAFF:FEFA:9089')), INET6_NTOA(INET6_ATON('::ffff:1.2.3.4')), INET6_NTOA(INET6_ATON('1:0:0:2:0:0:0:3')), INET6_NTOA('abc'), INET6_NTOA(NULL);
SELECT IS_IPV6('::1'), IS_IPV6('10.0.0.1'), IS_IPV6('1:2:3:4:5:6:7:8'), IS_IPV6('1:2:3:4:5:6:7:8:9'), IS_IPV4_MAPPED(INET6_ATON('::ffff:10.0.0.1')), IS_IPV4_MAPPED(INET6_ATON('::10.0.0.1')), IS_IPV4_COMPAT(INET6_ATON('::10.0.0.1')), IS_IPV4_COMPAT(INET6_ATON('::ffff:10.0.0.1'));
-- mysql: IS_UUID('6ccd780c-baba-1026-9564-5b8c656024db')\tIS_UUID('{6ccd780c-baba-1026-9564-5b8c656024db}')\tIS_UUID('6ccd780cbaba102695645b8c656024db')\tIS_UUID('6ccd780c-baba-1026-9564-5b8c656024')\tIS_UUID(NULL)
-- mysql: 1\t1\t1\t0\tNULL
SELECT IS_UUID('6ccd780c-baba-1026-9564-5b8c656024db'), IS_UUID('{6ccd780c-baba-1026-9564-5b8c656024db}'), IS_UUID('6ccd780cbaba102695645b8c656024db'), IS_UUID('6ccd780c-baba-1026-9564-5b8c656024'), IS_UUID(NULL);
-- mysql: HEX(UUID_TO_BIN('6ccd780c-baba-1026-9564-5b8c656024db'))\tHEX(UUID_TO_BIN('6ccd780c-baba-1026-9564-5b8c656024db', 1))\tBIN_TO_UUID(UUID_TO_BIN('6ccd780c-baba-1026-9564-5b8c656024db', 1), 1)\tBIN_TO_UUID(UUID_TO_BIN('6ccd780c-baba-1026-9564-5b8c656024db'))\tUUID_TO_BIN(NULL)
-- mysql: 6CCD780CBABA102695645B8C656024DB\t1026BABA6CCD780C95645B8C656024DB\t6ccd780c-baba-1026-9564-5b8c656024db\t6ccd780c-baba-1026-9564-5b8c656024db\tNULL
SELECT HEX(UUID_TO_BIN('6ccd780c-baba-1026-9564-5b8c656024db')), HEX(UUID_TO_BIN('6ccd780c-baba-1026-9564-5b8c656024db', 1)), BIN_TO_UUID(UUID_TO_BIN('6ccd780c-baba-1026-9564-5b8c656024db', 1), 1), BIN_TO_UUID(UUID_TO_BIN('6ccd780c-baba-1026-9564-5b8c656024db')), UUID_TO_BIN(NULL);
-- mysql: --------------
-- mysql: SELECT UUID_TO_BIN('not-a-uuid')
-- mysql: --------------
-- mysql: ERROR 1411
SELECT UUID_TO_BIN('not-a-uuid');
SELECT HEX(AES_ENCRYPT('text', 'key')), AES_DECRYPT(AES_ENCRYPT('text', 'key'), 'key'), AES_DECRYPT(AES_ENCRYPT('text', 'key'), 'other'), HEX(AES_ENCRYPT('', 'k')), HEX(AES_ENCRYPT('0123456789abcdef', 'a much longer key than sixteen bytes')), AES_ENCRYPT(NULL, 'k'), AES_DECRYPT('short', 'k');
SELECT LENGTH(COMPRESS(REPEAT('a', 1000))), UNCOMPRESS(COMPRESS('hello')), UNCOMPRESSED_LENGTH(COMPRESS(REPEAT('a', 30))), COMPRESS(''), UNCOMPRESS(''), UNCOMPRESS('not compressed'), COMPRESS(NULL);
SELECT HEX(COMPRESS('hello')), HEX(COMPRESS('a ')), UNCOMPRESS(COMPRESS('a ')) = 'a ';
SELECT LENGTH(RANDOM_BYTES(16)), RANDOM_BYTES(16) <> RANDOM_BYTES(16), RANDOM_BYTES(NULL);
-- MariaDB returns NULL for lengths outside 1..1024, MySQL raises 1690
-- mysql: --------------
-- mysql: SELECT RANDOM_BYTES(0)
-- mysql: --------------
-- mysql: ERROR 1690
SELECT RANDOM_BYTES(0);
-- mysql: --------------
-- mysql: SELECT RANDOM_BYTES(1025)
-- mysql: --------------
-- mysql: ERROR 1690
SELECT RANDOM_BYTES(1025);
-- mysql: FORMAT_BYTES(18446644073709551615)\tFORMAT_BYTES(512)\tFORMAT_BYTES(1024)\tFORMAT_BYTES(1572864)\tFORMAT_BYTES(10)\tFORMAT_BYTES(NULL)
-- mysql: 16.00 EiB\t 512 bytes\t1.00 KiB\t1.50 MiB\t  10 bytes\tNULL
SELECT FORMAT_BYTES(18446644073709551615), FORMAT_BYTES(512), FORMAT_BYTES(1024), FORMAT_BYTES(1572864), FORMAT_BYTES(10), FORMAT_BYTES(NULL);
-- mysql: FORMAT_PICO_TIME(3501)\tFORMAT_PICO_TIME(188732396662000)\tFORMAT_PICO_TIME(12)\tFORMAT_PICO_TIME(1000000000000)\tFORMAT_PICO_TIME(86400000000000000)
-- mysql: 3.50 ns\t3.15 min\t 12 ps\t1.00 s\t1.00 d
SELECT FORMAT_PICO_TIME(3501), FORMAT_PICO_TIME(188732396662000), FORMAT_PICO_TIME(12), FORMAT_PICO_TIME(1000000000000), FORMAT_PICO_TIME(86400000000000000);
-- mysql: CURRENT_ROLE()\tICU_VERSION() IS NOT NULL\tPS_CURRENT_THREAD_ID() > 0\tPS_THREAD_ID(CONNECTION_ID()) > 0
-- mysql: NONE\t1\t1\t1
SELECT CURRENT_ROLE(), ICU_VERSION() IS NOT NULL, PS_CURRENT_THREAD_ID() > 0, PS_THREAD_ID(CONNECTION_ID()) > 0;
SELECT NAME_CONST('x', 5), NAME_CONST('y', 'abc') AS z;
-- MySQL prints JSON with a space after ',' and ':' and orders object keys by length, then bytes
-- mysql: JSON_ARRAYAGG(x)	JSON_OBJECTAGG(k, x)
-- mysql: [1, null, 3]	{"a": 1, "c": 3, "bb": null}
SELECT JSON_ARRAYAGG(x), JSON_OBJECTAGG(k, x) FROM (SELECT 'a' AS k, 1 AS x UNION ALL SELECT 'bb', NULL UNION ALL SELECT 'c', 3) t;
-- mysql: g	JSON_ARRAYAGG(x)
-- mysql: 1	["p", "q"]
-- mysql: 2	["r"]
SELECT g, JSON_ARRAYAGG(x) FROM (SELECT 1 AS g, 'p' AS x UNION ALL SELECT 1, 'q' UNION ALL SELECT 2, 'r') t GROUP BY g ORDER BY g;
SELECT JSON_ARRAYAGG(x), JSON_OBJECTAGG(x, x) FROM (SELECT 1 AS x) t WHERE x > 5;
-- MariaDB skips a NULL key, MySQL raises 3158
-- mysql: --------------
-- mysql: SELECT JSON_OBJECTAGG(k, v) FROM (SELECT NULL AS k, 1 AS v) t
-- mysql: --------------
-- mysql: ERROR 3158
SELECT JSON_OBJECTAGG(k, v) FROM (SELECT NULL AS k, 1 AS v) t;
CREATE TABLE sales (region VARCHAR(10), product VARCHAR(10), amount INT);
INSERT INTO sales VALUES ('east', 'a', 10), ('east', 'b', 20), ('west', 'a', 5);
-- MariaDB has no GROUPING()
-- mysql: region	product	SUM(amount)	GROUPING(region)	GROUPING(product)	GROUPING(region, product)
-- mysql: east	a	10	0	0	0
-- mysql: east	b	20	0	0	0
-- mysql: east	NULL	30	0	1	1
-- mysql: west	a	5	0	0	0
-- mysql: west	NULL	5	0	1	1
-- mysql: NULL	NULL	35	1	1	3
SELECT region, product, SUM(amount), GROUPING(region), GROUPING(product), GROUPING(region, product) FROM sales GROUP BY region, product WITH ROLLUP;
-- mysql: r	SUM(amount)
-- mysql: east	30
-- mysql: west	5
-- mysql: all	35
SELECT IF(GROUPING(region), 'all', region) AS r, SUM(amount) FROM sales GROUP BY region WITH ROLLUP;
-- mysql: --------------
-- mysql: SELECT GROUPING(region) FROM sales GROUP BY region
-- mysql: --------------
-- mysql: ERROR 1111
SELECT GROUPING(region) FROM sales GROUP BY region;
-- mysql: --------------
-- mysql: SELECT GROUPING(amount) FROM sales GROUP BY region WITH ROLLUP
-- mysql: --------------
-- mysql: ERROR 3601
SELECT GROUPING(amount) FROM sales GROUP BY region WITH ROLLUP;
CREATE TABLE kv (k INT PRIMARY KEY, v INT, n INT DEFAULT 0);
INSERT INTO kv VALUES (1, 10, 0), (2, 20, 0);
INSERT INTO kv VALUES (1, 15, 0), (3, 30, 0) ON DUPLICATE KEY UPDATE v = v + VALUES(v), n = n + 1;
SELECT * FROM kv ORDER BY k;
-- MySQL 8.0 accepts VALUES() outside ON DUPLICATE KEY UPDATE (deprecated): NULL
-- mysql: VALUES(k)
-- mysql: NULL
-- mysql: NULL
-- mysql: NULL
SELECT VALUES(k) FROM kv ORDER BY k;
SELECT GET_LOCK('fn_lock', 0), IS_FREE_LOCK('fn_lock'), IS_USED_LOCK('fn_lock') = CONNECTION_ID(), RELEASE_LOCK('fn_lock'), RELEASE_LOCK('fn_lock'), IS_FREE_LOCK('fn_lock'), RELEASE_LOCK('never_taken');
SELECT GET_LOCK('l1', 0), GET_LOCK('l2', 0), RELEASE_ALL_LOCKS(), IS_FREE_LOCK('l1'), IS_USED_LOCK('l2');
-- mysql: STATEMENT_DIGEST_TEXT('SELECT * FROM t1 WHERE c1 = 1 AND c2 IN (1, 2, 3)')
-- mysql: SELECT * FROM `t1` WHERE `c1` = ? AND `c2` IN (...)
SELECT STATEMENT_DIGEST_TEXT('SELECT * FROM t1 WHERE c1 = 1 AND c2 IN (1, 2, 3)');
-- DEFAULT(col): a column's default, per row; 1364 for a NOT NULL column without one.
CREATE TABLE fn_defaults (a INT DEFAULT 5, b VARCHAR(3) DEFAULT 'x', c INT, d INT NOT NULL, e DATETIME DEFAULT CURRENT_TIMESTAMP);
INSERT INTO fn_defaults (c, d) VALUES (1, 2), (3, 4);
SELECT DEFAULT(a), DEFAULT(b), a + DEFAULT(fn_defaults.a), DEFAULT(c), DEFAULT(e) IS NOT NULL FROM fn_defaults ORDER BY c;
UPDATE fn_defaults SET a = DEFAULT(a) + c;
SELECT a, b FROM fn_defaults ORDER BY c;
SELECT DEFAULT(d) FROM fn_defaults;
SELECT DEFAULT(nope) FROM fn_defaults;
DROP TABLE fn_defaults;
