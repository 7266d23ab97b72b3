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
