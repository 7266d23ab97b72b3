-- Foreign keys, views, CHECK-free constraints and transactions as a dump and an ORM use them.
CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(10));
CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, note VARCHAR(10), CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE strict_child (id INT PRIMARY KEY, parent_id INT, FOREIGN KEY (parent_id) REFERENCES parent (id));
CREATE TABLE nullable_child (id INT PRIMARY KEY, parent_id INT, FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET NULL);
INSERT INTO parent VALUES (1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO child VALUES (10, 1, 'x'), (11, 1, 'y'), (12, 2, 'z');
INSERT INTO strict_child VALUES (20, 3);
INSERT INTO nullable_child VALUES (30, 2);
INSERT INTO child VALUES (13, 99, 'bad');
INSERT INTO child VALUES (13, NULL, 'orphan ok');
DELETE FROM parent WHERE id = 1;
SELECT id, parent_id FROM child ORDER BY id;
UPDATE parent SET id = 22 WHERE id = 2;
SELECT id, parent_id FROM child ORDER BY id;
SELECT id, parent_id FROM nullable_child;
DELETE FROM parent WHERE id = 3;
UPDATE parent SET id = 33 WHERE id = 3;
DELETE FROM parent WHERE id = 22;
SELECT id, parent_id FROM nullable_child;
SELECT id, parent_id FROM child ORDER BY id;
-- MySQL 8.0 refuses with 3730 (referenced by a foreign key); MariaDB with 1451.
-- mysql: --------------
-- mysql: DROP TABLE parent
-- mysql: --------------
-- mysql: ERROR 3730
DROP TABLE parent;
SET FOREIGN_KEY_CHECKS = 0;
INSERT INTO strict_child VALUES (21, 404);
SET FOREIGN_KEY_CHECKS = 1;
SELECT id, parent_id FROM strict_child ORDER BY id;
SELECT CONSTRAINT_NAME, TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL AND TABLE_NAME = 'child';
ALTER TABLE child DROP FOREIGN KEY fk_parent;
INSERT INTO child VALUES (14, 404, 'free');
ALTER TABLE child ADD CONSTRAINT fk_again FOREIGN KEY (parent_id) REFERENCES parent (id);
DELETE FROM child WHERE id = 14;
ALTER TABLE child ADD CONSTRAINT fk_again FOREIGN KEY (parent_id) REFERENCES parent (id);
INSERT INTO child VALUES (15, 404, 'refused');

CREATE TABLE sales (id INT PRIMARY KEY, region VARCHAR(5), amount DECIMAL(8,2));
INSERT INTO sales VALUES (1, 'n', 10), (2, 's', 20.5), (3, 'n', 30), (4, 'e', NULL);
CREATE VIEW by_region AS SELECT region, SUM(amount) AS total, COUNT(*) AS n FROM sales GROUP BY region;
SELECT * FROM by_region ORDER BY region;
SELECT r.region, r.total, s.id FROM by_region r JOIN sales s ON s.region = r.region WHERE s.amount > 15 ORDER BY s.id;
SELECT region FROM sales WHERE region IN (SELECT region FROM by_region WHERE n > 1);
CREATE VIEW by_region AS SELECT 1;
CREATE OR REPLACE VIEW by_region (reg, total) AS SELECT region, SUM(amount) FROM sales GROUP BY region;
SELECT reg, total FROM by_region ORDER BY reg;
CREATE VIEW north AS SELECT id, amount FROM sales WHERE region = 'n';
SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME;
SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME;
DROP VIEW north, by_region;
-- MySQL 8.0: 1051 Unknown table; MariaDB: 4092 Unknown VIEW.
-- mysql: --------------
-- mysql: DROP VIEW north
-- mysql: --------------
-- mysql: ERROR 1051
DROP VIEW north;
DROP VIEW IF EXISTS north;
SELECT * FROM north;

START TRANSACTION;
INSERT INTO sales VALUES (5, 'w', 1);
SAVEPOINT s1;
INSERT INTO sales VALUES (6, 'w', 2);
ROLLBACK TO SAVEPOINT s1;
COMMIT;
SELECT id FROM sales WHERE region = 'w';
BEGIN;
DELETE FROM sales;
ROLLBACK;
SELECT COUNT(*) FROM sales;
INSERT INTO sales VALUES (1, 'dup', 0);
INSERT IGNORE INTO sales VALUES (1, 'dup', 0), (7, 'new', 7);
INSERT INTO sales VALUES (1, 'x', 0) ON DUPLICATE KEY UPDATE amount = amount + VALUES(amount) + 100;
REPLACE INTO sales VALUES (2, 'rep', 2);
SELECT id, region, amount FROM sales ORDER BY id;
LOCK TABLES sales WRITE;
INSERT INTO sales VALUES (8, 'lock', 8);
UNLOCK TABLES;
SELECT COUNT(*) FROM sales;
