#!/usr/bin/env bash
# Starts the product on its embedded default in a scratch data directory, waits for
# /api/health to answer 200, checks /login, then stops it with SIGTERM and expects a clean exit.
set -euo pipefail
port=${SMOKE_PORT:-3411}
data=$(mktemp -d /tmp/ct-smoke.XXXXXX)
log="$data/start.log"
# Job control gives the product a process group of its own, so that it can be signalled whole.
set -m
( unset DATABASE_URL; export PORT=$port CT_DATA_DIR="$data/state" CT_DB_PORT=${SMOKE_DB_PORT:-54339}; exec npm start ) >"$log" 2>&1 &
pid=$!
set +m
cleanup() { kill -KILL -- "-$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

t0=$(date +%s)
until [ "$(curl -s -o "$data/health.json" -w '%{http_code}' "http://127.0.0.1:$port/api/health")" = 200 ]; do
  if ! kill -0 "$pid" 2>/dev/null || [ $(( $(date +%s) - t0 )) -gt 600 ]; then
    echo "smoke: no healthy product; last lines:"; tail -30 "$log"; exit 1
  fi
  sleep 2
done
echo "smoke: health 200 after $(( $(date +%s) - t0 )) s: $(cat "$data/health.json")"
login=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/login")
[ "$login" = 200 ] || { echo "smoke: /login answered $login"; exit 1; }

# npm itself exits at once on SIGTERM (143); what counts is that the whole group stops in order
# and leaves no database server behind.
kill -TERM -- "-$pid"
for _ in $(seq 1 30); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 1; done
if kill -0 -- "-$pid" 2>/dev/null; then echo "smoke: did not stop within 30 s of SIGTERM"; tail -20 "$log"; exit 1; fi
pg_pid=$(head -1 "$data/state/pg/postmaster.pid" 2>/dev/null || true)
if [ -n "$pg_pid" ] && kill -0 "$pg_pid" 2>/dev/null; then
  echo "smoke: the embedded PostgreSQL is still running after the product stopped"; tail -20 "$log"; exit 1
fi
grep -q "embedded PostgreSQL stopped" "$log" || { echo "smoke: no clean database shutdown in the log"; tail -20 "$log"; exit 1; }
echo "smoke: stopped cleanly"
