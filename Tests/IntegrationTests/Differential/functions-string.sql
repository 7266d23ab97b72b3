-- String functions with MySQL's results for NULLs, edge cases and types.
SELECT CONCAT('a', 1, 2.5), CONCAT('a', NULL), CONCAT_WS('-', 'a', NULL, 'b'), CONCAT_WS(NULL, 'a'), LENGTH('héllo'), CHAR_LENGTH('héllo');
SELECT UPPER('abc'), LOWER('ÀBC'), LEFT('hello', 2), RIGHT('hello', 3), SUBSTRING('hello', 2, 3), SUBSTRING('hello', -3), SUBSTR('hello' FROM 2);
SELECT SUBSTRING('hello' FROM 2 FOR 2), SUBSTRING('héllo', 2, 2), MID('hello', 2, 2), SUBSTRING('abc', 5), SUBSTRING('abc', -5), SUBSTRING(NULL, 1);
SELECT TRIM('  x  '), LTRIM('  x'), RTRIM('x  '), TRIM(LEADING 'a' FROM 'aaxa'), TRIM(BOTH 'a' FROM 'aaxa'), TRIM(TRAILING 'a' FROM 'aaxa'), TRIM('ab' FROM 'ababxab');
SELECT LPAD('5', 3, '0'), RPAD('ab', 5, 'xy'), LPAD('hello', 2, 'x'), REPEAT('ab', 3), REVERSE('abc'), SPACE(3), REPLACE('aXbX', 'X', '-');
SELECT LPAD('a', 3, ''), RPAD(NULL, 2, 'x'), REVERSE('héllo'), REPLACE('abc', '', 'x'), REPLACE('aaa', 'a', 'bb'), REPEAT('x', 0);
SELECT INSTR('foobar', 'bar'), LOCATE('o', 'foobar'), LOCATE('o', 'foobar', 3), POSITION('b' IN 'abc'), FIELD('b', 'a', 'b'), FIND_IN_SET('c', 'a,b,c'), ELT(2, 'x', 'y');
SELECT INSTR('abc', ''), LOCATE('', 'abc', 2), FIELD(NULL, 'a', NULL), FIELD(2, 1, '2', 3), FIND_IN_SET('', 'a,,b'), FIND_IN_SET('a', NULL), ELT(0, 'x'), ELT(3, 'x', 'y');
SELECT SUBSTRING_INDEX('a.b.c', '.', 2), SUBSTRING_INDEX('a.b.c', '.', -1), INSERT('abcdef', 2, 3, 'XY'), QUOTE('it''s'), STRCMP('a', 'b'), ASCII('A'), ORD('a'), CHAR(72, 105);
SELECT SUBSTRING_INDEX('a.b.c', '.', 0), SUBSTRING_INDEX('a.b.c', '.', 5), SUBSTRING_INDEX('a..b', '..', 1), INSERT('abc', 0, 1, 'X'), INSERT('abc', 2, 100, 'X'), QUOTE(NULL), STRCMP('b', 'B'), ASCII(''), ORD('é');
SELECT HEX('abc'), HEX(255), HEX(-1), UNHEX('616263'), UNHEX('zz'), TO_BASE64('hello'), FROM_BASE64('aGVsbG8='), BIN(10), OCT(8), CONV('ff', 16, 10), CONV(10, 10, 2);
SELECT CONV('-1', 10, 16), CONV('zz', 36, 10), CONV('12', 3, 37), BIN(0), OCT(-1), HEX(''), TO_BASE64(''), FROM_BASE64('@@');
SELECT MD5('abc'), SHA1('abc'), SHA('abc'), SHA2('abc', 256), CRC32('abc'), CRC32(''), SHA2('abc', 1);
SELECT SHA2('abc', 224), SHA2('abc', 0), LENGTH(SHA2('abc', 512)), SHA2('', 384), SHA2(NULL, 256), MD5(NULL);
SELECT SHA2('abc', 512);
SELECT FORMAT(1234567.891, 2), FORMAT(0.5, 0), FORMAT(-1234.5, 1), FORMAT(1234.5678, 0), FORMAT(12, 3), FORMAT(NULL, 2);
SELECT BIT_LENGTH('ab'), OCTET_LENGTH('ab'), SOUNDEX('Robert'), SOUNDEX('Tymczak'), SOUNDEX('Quadratically'), SOUNDEX(''), SOUNDEX('123'), SOUNDEX('Pfister');
SELECT MAKE_SET(5, 'a', 'b', 'c'), MAKE_SET(1 | 4, 'hello', 'nice', NULL, 'world'), MAKE_SET(0, 'a'), MAKE_SET(NULL, 'a'), MAKE_SET(7, 'a', NULL, 'c');
SELECT EXPORT_SET(5, 'Y', 'N', ',', 4), EXPORT_SET(6, '1', '0', '', 10), EXPORT_SET(5, 'Y', 'N'), EXPORT_SET(NULL, 'Y', 'N');
SELECT LCASE('A'), UCASE('b'), CHARACTER_LENGTH('ab'), LENGTH(NULL);
SELECT CONCAT();
SELECT SUBSTRING('abc', 0), LEFT('abc', -1), REPEAT('x', -1), SPACE(-1), LPAD('a', -1, 'x'), CHAR_LENGTH(NULL);
-- MariaDB has no REGEXP_LIKE
-- mysql: REGEXP_LIKE('abc', '^a')	REGEXP_REPLACE('a1b22c', '[0-9]+', '#')	REGEXP_SUBSTR('abc123def', '[0-9]+')	REGEXP_INSTR('abc123', '[0-9]')	'ABC' REGEXP 'b'	'abc' RLIKE '^A'
-- mysql: 1	a#b#c	123	4	1	1
SELECT REGEXP_LIKE('abc', '^a'), REGEXP_REPLACE('a1b22c', '[0-9]+', '#'), REGEXP_SUBSTR('abc123def', '[0-9]+'), REGEXP_INSTR('abc123', '[0-9]'), 'ABC' REGEXP 'b', 'abc' RLIKE '^A';
SELECT 'abc' LIKE 'a%', 'abc' LIKE 'A_C', 'a%c' LIKE 'a\%c', 'abc' NOT LIKE '%d', 'a_c' LIKE 'a|_c' ESCAPE '|';
SELECT 'abc' SOUNDS LIKE 'abk', STRCMP(NULL, 'a'), CHAR(65, NULL, 66), CHAR(256), HEX(CHAR(1, 0)), LENGTH(CHAR(300));
SELECT LOCATE('B', 'abc'), INSTR('ABC', 'b'), REPLACE('aBc', 'b', 'x');
