-- sysbench script: the protocol path alone (COM_QUERY "SELECT 1", no table).
--   sysbench Tools/bench/db-select1.lua --db-driver=mysql --mysql-host=127.0.0.1 \
--     --mysql-port=PORT --mysql-user=root --mysql-password=PW --threads=8 --time=10 run
-- (the database named by --mysql-db, default sbtest, must exist)
function thread_init() drv = sysbench.sql.driver(); con = drv:connect() end
function event() con:query("SELECT 1") end
