# Sourced by Tools/bench/db and Tools/bench/sql: starts onebox db and a private MariaDB on
# free loopback ports, each with a private data directory and durable commits (MariaDB:
# innodb_flush_log_at_trx_commit=1, 128 MiB buffer pool; onebox: full durability, the
# default, 128 MiB buffer pool), creates the `sbtest` database on both, and defines
#   sb PORT TEST THREADS ACTION [extra sysbench options...]
#   rss_kib PID / peak_rss_kib PID
# Sets: work, pids (onebox first), onebox_pid, maria_pid, onebox_port, maria_port, password.
# Needs: Tools/setup-system bench, a release build of onebox (built unless $ONEBOX_BINARY is set).
password=bench-Pa55

binary=${ONEBOX_BINARY:-}
if [ -z "$binary" ]; then
  swift build -c release --product onebox >&2
  binary=.build/release/onebox
fi

work=$(mktemp -d /tmp/onebox-bench-db.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# onebox
ONEBOX_CONFIG= ONEBOX_ROOT_PASSWORD=$password "$binary" db --state-dir "$work/onebox" --listen 127.0.0.1:0 \
  --socket "$work/onebox.sock" >"$work/onebox.out" 2>"$work/onebox.err" &
onebox_pid=$!
pids+=("$onebox_pid")
for _ in $(seq 300); do grep -q '^ready db mysql://' "$work/onebox.out" 2>/dev/null && break; sleep 0.1; done
onebox_port=$(sed -n 's|^ready db mysql://127.0.0.1:\([0-9]*\)$|\1|p' "$work/onebox.out")
[ -n "$onebox_port" ] || { cat "$work/onebox.err" >&2; exit 1; }

# MariaDB with a private datadir
maria_port=$(free_port)
mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$work/maria" --auth-root-authentication-method=normal \
  >"$work/maria-install.log" 2>&1
mariadbd --no-defaults --user="$(id -un)" --datadir="$work/maria" --port="$maria_port" --bind-address=127.0.0.1 \
  --socket="$work/maria.sock" --pid-file="$work/maria.pid" --skip-log-bin --innodb-flush-log-at-trx-commit=1 \
  --innodb-buffer-pool-size=128M --max-connections=200 >"$work/maria.log" 2>&1 &
maria_pid=$!
pids+=("$maria_pid")
for _ in $(seq 300); do mariadb --no-defaults --socket="$work/maria.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.1; done
mariadb --no-defaults --socket="$work/maria.sock" -uroot \
  -e "CREATE USER IF NOT EXISTS root@'127.0.0.1'; ALTER USER root@'127.0.0.1' IDENTIFIED BY '$password';
      GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION; ALTER USER root@localhost IDENTIFIED BY '$password'"

for port in "$onebox_port" "$maria_port"; do
  mariadb --no-defaults -h127.0.0.1 -P"$port" --protocol=TCP -uroot -p"$password" -e 'CREATE DATABASE sbtest'
done

sb() {  # sb PORT TEST THREADS ACTION [options...]
  local port=$1 test=$2 threads=$3 action=$4
  shift 4
  sysbench "$test" --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$port" --mysql-user=root \
    --mysql-password="$password" --mysql-db=sbtest --threads="$threads" --report-interval=0 --percentile=95 \
    "$@" "$action"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
peak_rss_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
