-- Updatable views: UPDATE, DELETE and INSERT through simple single-table views; WITH CHECK OPTION.
CREATE TABLE staff (id INT PRIMARY KEY, name VARCHAR(20), dept VARCHAR(10), salary INT, active TINYINT DEFAULT 1);
INSERT INTO staff VALUES (1, 'ann', 'eng', 100, 1), (2, 'bob', 'eng', 90, 1), (3, 'cy', 'ops', 80, 0), (4, 'di', 'ops', 70, 1);
CREATE VIEW active_staff AS SELECT id, name, dept, salary FROM staff WHERE active = 1;
CREATE VIEW eng (emp, who, pay) AS SELECT id, name, salary FROM staff WHERE dept = 'eng' WITH CHECK OPTION;
CREATE VIEW renamed AS SELECT id AS staff_id, UPPER(name) AS shout, salary * 2 AS double_pay FROM staff;
CREATE VIEW by_dept AS SELECT dept, COUNT(*) AS n FROM staff GROUP BY dept;
CREATE VIEW uniq AS SELECT DISTINCT dept FROM staff;
UPDATE active_staff SET salary = salary + 5 WHERE dept = 'ops';
SELECT id, salary FROM staff ORDER BY id;
UPDATE active_staff SET name = 'anne' WHERE id = 1;
DELETE FROM active_staff WHERE salary < 80;
SELECT id, name FROM staff ORDER BY id;
INSERT INTO active_staff (id, name, dept, salary) VALUES (5, 'ed', 'eng', 60);
INSERT INTO active_staff VALUES (6, 'flo', 'ops', 65);
SELECT id, name, dept, salary, active FROM staff ORDER BY id;
UPDATE eng SET pay = pay + 1 WHERE who = 'bob';
SELECT emp, who, pay FROM eng ORDER BY emp;
INSERT INTO eng VALUES (7, 'gus', 50);
UPDATE staff SET dept = 'eng' WHERE id = 7;
INSERT INTO eng (emp, who, pay) VALUES (8, 'hal', 40);
SELECT id, dept FROM staff WHERE id >= 7 ORDER BY id;
DELETE FROM eng WHERE emp = 8;
UPDATE renamed SET double_pay = 1 WHERE staff_id = 1;
UPDATE renamed SET staff_id = 10 WHERE shout = 'ANNE';
SELECT id, name FROM staff WHERE id IN (1, 10);
-- MySQL inserts only into views whose columns are all plain columns; MariaDB inserts the plain ones.
-- mysql: --------------
-- mysql: INSERT INTO renamed (staff_id) VALUES (11)
-- mysql: --------------
-- mysql:
-- mysql: ERROR 1471
INSERT INTO renamed (staff_id) VALUES (11);
UPDATE by_dept SET n = 0;
DELETE FROM by_dept;
INSERT INTO uniq VALUES ('x');
DELETE FROM renamed WHERE staff_id = 10;
-- (MariaDB has the row the INSERT into `renamed` added.)
-- mysql: COUNT(*)
-- mysql: 4
SELECT COUNT(*) FROM staff;
SELECT TABLE_NAME, CHECK_OPTION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME;
-- Views over views: updatable when the view below is, rewritten down the chain (the WHERE of
-- every view applies); CHECK OPTION LOCAL and CASCADED down the chain.
CREATE TABLE chain (id INT PRIMARY KEY, a INT, b VARCHAR(10));
INSERT INTO chain VALUES (1, 5, 'x'), (2, 15, 'y'), (3, 25, 'z');
CREATE VIEW c1 AS SELECT id, a, b FROM chain WHERE a > 0;
CREATE VIEW c2 AS SELECT id, a AS aa, b FROM c1 WHERE a < 20;
CREATE VIEW c3 AS SELECT vv.id, vv.aa, vv.b, vv.aa * 2 AS dbl FROM c2 AS vv WHERE vv.b <> 'q';
UPDATE c2 SET b = 'w' WHERE aa = 15;
UPDATE c3 SET aa = aa + 1 WHERE id = 1;
UPDATE c3 SET aa = 0 WHERE id = 3;
SELECT * FROM chain ORDER BY id;
UPDATE c3 SET dbl = 1;
UPDATE c2 AS x SET b = 'al' WHERE x.id = 1;
DELETE FROM c2 WHERE id = 3;
DELETE FROM c3 WHERE id = 2;
SELECT * FROM chain ORDER BY id;
INSERT INTO c2 (id, aa, b) VALUES (4, 7, 'n');
-- MySQL: a view with an expression column is not insertable-into (1471), MariaDB inserts.
-- mysql: --------------
-- mysql: INSERT INTO c3 (id, aa, b) VALUES (5, 7, 'n')
-- mysql: --------------
-- mysql: ERROR 1471
INSERT INTO c3 (id, aa, b) VALUES (5, 7, 'n');
CREATE VIEW cc AS SELECT id, a, b FROM chain WHERE a < 100 WITH CHECK OPTION;
CREATE VIEW clocal AS SELECT id, a, b FROM cc WHERE a > 0 WITH LOCAL CHECK OPTION;
CREATE VIEW cnone AS SELECT id, a, b FROM chain WHERE a < 50;
CREATE VIEW clocal2 AS SELECT id, a, b FROM cnone WHERE a > 0 WITH LOCAL CHECK OPTION;
CREATE VIEW ccasc2 AS SELECT id, a, b FROM cnone WHERE a > 0 WITH CASCADED CHECK OPTION;
CREATE VIEW cplain AS SELECT id, a, b FROM cc WHERE a > 0;
-- MySQL 8.0: LOCAL checks the view's WHERE, then the views below that have a CHECK OPTION of
-- their own (cc: a < 100) — MySQL's manual example; MariaDB checks the view's WHERE only.
-- mysql: --------------
-- mysql: INSERT INTO clocal VALUES (10, 500, 'a')
-- mysql: --------------
-- mysql: ERROR 1369
INSERT INTO clocal VALUES (10, 500, 'a');
INSERT INTO clocal VALUES (11, -1, 'a');
INSERT INTO clocal2 VALUES (12, 70, 'a');
INSERT INTO ccasc2 VALUES (13, 70, 'a');
INSERT INTO ccasc2 VALUES (14, 30, 'a');
-- MySQL: a view without CHECK OPTION still checks the views below that have one (cc).
-- mysql: --------------
-- mysql: INSERT INTO cplain VALUES (15, 200, 'a')
-- mysql: --------------
-- mysql: ERROR 1369
INSERT INTO cplain VALUES (15, 200, 'a');
INSERT INTO cplain VALUES (16, -5, 'a');
UPDATE clocal2 SET a = 80 WHERE id = 14;
UPDATE ccasc2 SET a = 90 WHERE id = 12;
UPDATE ccasc2 SET a = 45 WHERE id = 14;
-- (MariaDB has the rows 5, 10 and 15 MySQL refuses.)
-- mysql: id\ta\tb
-- mysql: 1\t6\tal
-- mysql: 3\t25\tz
-- mysql: 4\t7\tn
-- mysql: 12\t70\ta
-- mysql: 14\t80\ta
-- mysql: 16\t-5\ta
SELECT * FROM chain ORDER BY id;
SELECT TABLE_NAME, CHECK_OPTION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'c%' ORDER BY TABLE_NAME;
CREATE VIEW cagg AS SELECT a, COUNT(*) AS n FROM chain GROUP BY a;
CREATE VIEW cover AS SELECT * FROM cagg;
UPDATE cover SET n = 1;
INSERT INTO cover VALUES (1, 1);
DELETE FROM cover;
