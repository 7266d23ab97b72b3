-- The foobar.com blog: schema and starter content (plain MySQL 8 / MariaDB SQL).
-- Load with:  mariadb -u root -p < Data/schema/foobar.sql
-- The benchmark data set (10,000 posts, 100,000 comments) comes from Tools/gen-blog-data.

CREATE DATABASE IF NOT EXISTS foobar CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE foobar;

CREATE TABLE IF NOT EXISTS posts (
  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  author VARCHAR(100) NOT NULL,
  body TEXT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  -- The front page reads the newest posts in this order.
  KEY idx_created (created_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS comments (
  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  post_id BIGINT UNSIGNED NOT NULL,
  author VARCHAR(100) NOT NULL,
  body TEXT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_post (post_id, created_at),
  FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO posts (id, title, author, body, created_at) VALUES
(1, 'Hello from one box', 'Maya Okafor',
'This site, its DNS, its HTTPS front, the application you are reading and the database behind it all run from one binary on one small server.

We did it to find out how far a single, carefully written program can go before it needs a second machine. The answer so far: further than we expected.

Over the next weeks we will write up each part: how the front terminates TLS, how the app talks to the database over the MySQL protocol, and how the storage engine keeps your comments safe when the power goes out.',
'2026-09-01 09:00:00'),
(2, 'Why we measure everything against the tool it replaces', 'Jonas Lindqvist',
'Every component here has a well-known peer: nginx for the front, uWSGI for the app, MariaDB for the database, Knot and NSD for DNS.

A benchmark run starts the peer and our component side by side on the same machine, alternates the load between them, and writes down the command that made the figures. A number without its command is a rumour.

When we lose, we say so, and we keep the losing figure in the repository until we have earned a better one.',
'2026-09-15 14:30:00'),
(3, 'Write-ahead logging in four paragraphs', 'Maya Okafor',
'A database promises that a committed change survives a crash. The trick that makes the promise cheap is the write-ahead log: before a page changes on disk, a record of the change is appended to a log and forced to stable storage.

Appending is sequential and fast. The pages themselves can then be written lazily, in any order, whenever it suits the buffer pool.

After a crash, recovery replays the log from the last checkpoint. Every change whose commit record reached the disk is redone; every change without one is ignored.

The rest is detail: checksums so a torn page is noticed, group commit so one fsync serves many transactions, and tests that pull the plug thousands of times.',
'2026-10-02 08:15:00'),
(4, 'Plain HTML is fast HTML', 'Priya Raman',
'These pages have no JavaScript, one stylesheet and one small logo. They render in a single round trip and work on every browser we could find, including a text-mode one.

Forms still work the way they did in 1999, with one difference: every form carries a token tied to a cookie, so another site cannot post comments in your name.

If you type something the server cannot accept, the page comes back with a message next to the field and everything you wrote still in place.',
'2026-10-20 17:45:00');

INSERT INTO comments (post_id, author, body, created_at) VALUES
(1, 'Sam Whitfield', 'Great to see this written down. How much memory does the whole stack use at idle?', '2026-09-01 11:20:00'),
(1, 'Maya Okafor', 'Under a hundred megabytes for all four roles at the moment. We will publish the exact figure with the benchmarks.', '2026-09-01 12:05:00'),
(2, 'Lena Fischer', 'Alternating the runs in one invocation is such a good habit. Too many benchmarks compare Tuesday''s machine with Friday''s.', '2026-09-16 08:40:00'),
(3, 'Tomasz Nowak', 'Nice summary. Do you log full page images after a checkpoint, or use a doublewrite buffer?

Either way, thanks for the clear write-up.', '2026-10-02 19:10:00'),
(4, 'Ana Souza', 'Loaded in 40 ms on my phone over a train connection. More of this, please.', '2026-10-21 07:55:00');
