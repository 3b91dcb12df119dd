#!/usr/bin/env bash
# Concurrent writers: many clients ingesting orders at once, on SQLite and on PostgreSQL.
#
# What it measures. For each database, one Sous server on a free loopback port, a fresh
# database, one tenant (`sous tenant create`) and an owner's token for it (`sous token`, signed
# with the run's SOUS_AUTH_SECRET, which the server verifies), one location (Europe/Paris, open
# every day) and one menu item made through the API with that token; then `wrk -t4 -c16 -d30s`
# where every request POSTs one new order (unique external_id: run tag, wrk thread id and a
# per-thread counter) with the token to /api/v1/locations/{id}/orders/batch. A Lua hook counts the answers by status class (wrk itself
# only says "Non-2xx") and sums the `created` counts of the 2xx bodies (rows acknowledged), and
# keeps a few non-2xx bodies. Afterwards the orders actually stored are counted through the API
# (GET .../history/daily, summing `orders`) and, as a cross-check, straight in the database
# (sqlite3 / psql, when installed). Every acknowledged row must be stored; a few more stored
# than acknowledged is possible (requests still in flight when wrk stops). One summary line per
# database:
#   RESULT db=… pool=… requests=… 2xx=… 4xx=… 5xx=… stored=… acked=… missing=… rows/s=… p50=… p99=…
# rows/s = stored rows / run duration; p50/p99 are wrk's latency percentiles.
# Exit status 1 when a run lost an acknowledged row or answered any 5xx (the failing bodies and
# the server's warn/error log lines are printed above the summary).
#
# How to run it (it does not build anything; build first with `cargo build --release`):
#   bash benches/concurrent_writers.sh                       # SQLite only
#   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:55433/postgres bash benches/concurrent_writers.sh
#   SOUS_DB_MAX_CONNECTIONS=1 bash benches/concurrent_writers.sh   # any SOUS_* is passed to the server
# The signing secret is made for the run (a given SOUS_AUTH_SECRET, 32+ bytes, is used instead).
#
# Needs: wrk (Debian: apt-get install -y wrk), curl, jq; sqlite3 and psql for the direct row
# counts (optional for SQLite; psql is required for PostgreSQL, to create the run's database).
#
# Environment:
#   SOUS_BIN            the sous binary (default target/release/sous)
#   BENCH_POSTGRES_URL  a PostgreSQL server URL whose user may CREATE DATABASE; a fresh database
#                       sous_bench_<time>_<pid> is created for the run (and dropped after it
#                       unless BENCH_KEEP=1). Unset: PostgreSQL is skipped.
#   BENCH_DATABASES     which to run, default "sqlite postgres" (postgres only with the URL)
#   BENCH_THREADS / BENCH_CONNECTIONS / BENCH_SECONDS   wrk -t / -c / -d (default 4 / 16 / 30)
#   BENCH_WRK_TIMEOUT   wrk --timeout (default 30s: longer than SQLite's 5 s busy wait, so a
#                       slow answer is measured rather than counted as a socket timeout)
#   BENCH_KEEP=1        keep the temporary directory (server logs, wrk output, SQLite file)
#   SOUS_AUTH_SECRET    HS256 secret shared by the server and `sous token` (default: random)
set -euo pipefail
cd "$(dirname "$0")/.."

SOUS_BIN=${SOUS_BIN:-target/release/sous}
threads=${BENCH_THREADS:-4}
conns=${BENCH_CONNECTIONS:-16}
secs=${BENCH_SECONDS:-30}
wrk_timeout=${BENCH_WRK_TIMEOUT:-30s}
databases=${BENCH_DATABASES:-sqlite postgres}

for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (apt-get install -y $tool)" >&2; exit 1; }
done
[ -x "$SOUS_BIN" ] || { echo "SOUS_BIN=$SOUS_BIN is not an executable (cargo build --release?)" >&2; exit 1; }
# The server and `sous token` share it: every /api/v1 request carries an owner's bearer token.
export SOUS_AUTH_SECRET=${SOUS_AUTH_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}

work=$(mktemp -d /tmp/sous-bench-writers.XXXXXX)
server_pid=""
pg_admin_url=""
pg_db=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$pg_db" ] && [ "${BENCH_KEEP:-0}" != 1 ]; then
    psql -q -X "$pg_admin_url" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The orders are placed three days ago at 19:30 in the location's time zone.
export TZ_LOC=Europe/Paris
service_date=$(TZ=$TZ_LOC date -d '3 days ago' +%F)
ordered_at=$(TZ=$TZ_LOC date -d "$service_date 19:30" +%Y-%m-%dT%H:%M:%S%:z)
history_to=$(date -d "$service_date + 1 day" +%F)

cat >"$work/orders.lua" <<'LUA'
-- One new order per request; counts answers by status class in each thread, sums them in done().
local threads = {}
local next_tid = 0

function setup(thread)
  next_tid = next_tid + 1
  thread:set("tid", next_tid)
  table.insert(threads, thread)
end

function init(args)
  location_id, menu_item_id, ordered_at, run_tag, token = args[1], args[2], args[3], args[4], args[5]
  path = "/api/v1/locations/" .. location_id .. "/orders/batch"
  hdrs = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  counter, c2xx, c4xx, c5xx, cother, created, unchanged = 0, 0, 0, 0, 0, 0, 0
  samples, nsamples = "", 0
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"orders":[{"external_id":"%s-t%d-%d","ordered_at":"%s","covers":2,"channel":"dine_in",' ..
    '"lines":[{"menu_item_id":%s,"quantity":1}]}]}',
    run_tag, tid, counter, ordered_at, menu_item_id)
  return wrk.format("POST", path, hdrs, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    c2xx = c2xx + 1
    created = created + (tonumber(string.match(body, '"created":(%d+)')) or 0)
    unchanged = unchanged + (tonumber(string.match(body, '"unchanged":(%d+)')) or 0)
  else
    if status >= 400 and status < 500 then c4xx = c4xx + 1
    elseif status >= 500 then c5xx = c5xx + 1
    else cother = cother + 1 end
    if nsamples < 3 then
      nsamples = nsamples + 1
      local retry = headers["Retry-After"] or headers["retry-after"] or "-"
      samples = samples .. string.format("NON2XX thread=%d status=%d retry-after=%s body=%s\n",
        tid, status, retry, string.sub(body, 1, 400))
    end
  end
end

function done(summary, latency, requests)
  local t = { c2xx = 0, c4xx = 0, c5xx = 0, cother = 0, created = 0, unchanged = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
    local s = thread:get("samples")
    if s and s ~= "" then io.write(s) end
  end
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d s2xx=%d s4xx=%d s5xx=%d other=%d created=%d unchanged=%d " ..
    "p50_ms=%.2f p99_ms=%.2f max_ms=%.2f duration_s=%.2f " ..
    "err_connect=%d err_read=%d err_write=%d err_timeout=%d\n",
    summary.requests, t.c2xx, t.c4xx, t.c5xx, t.cother, t.created, t.unchanged,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.duration / 1e6, e.connect, e.read, e.write, e.timeout))
end
LUA

# post <url> <json>: POST with the owner's token ($token) and print the body; fails on a non-2xx
# answer. get <url>: the same for a GET.
post() { curl -sS -f -X POST "$1" -H "Authorization: Bearer $token" -H 'content-type: application/json' -d "$2"; }
get() { curl -sS -f "$1" -H "Authorization: Bearer $token"; }

# start_server <database url> <log prefix>: sets server_pid and base.
start_server() {
  local url=$1 log=$2
  DATABASE_URL="$url" SOUS_ADDR=127.0.0.1:0 SOUS_LOG=warn SOUS_NIGHTLY_AT=off \
    "$SOUS_BIN" serve >"$log.out" 2>"$log.err" &
  server_pid=$!
  base=""
  for _ in $(seq 1 120); do
    base=$(sed -n 's|^Sous listening on \(http://[^ ]*\).*|\1|p' "$log.out" | head -n 1)
    if [ -n "$base" ] && curl -sf "$base/healthz" >/dev/null; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "the server did not come up; its output:" >&2
  cat "$log.out" "$log.err" >&2
  return 1
}

stop_server() {
  local status=0
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || status=$?
  [ "$status" -eq 0 ] || echo "the server exited with status $status after SIGTERM" >&2
  server_pid=""
}

failed=0
summaries=()
# run_one <label> <database url> [direct count command...]
run_one() {
  local label=$1 url=$2; shift 2
  local log="$work/$label"
  echo "== $label: $(uptime | sed 's/.*load average/load average/')" >&2
  start_server "$url" "$log"

  # The tenant is the operator's to create; the location goes into the token's tenant.
  local tenant token location item hours
  tenant=$(DATABASE_URL="$url" SOUS_LOG=warn "$SOUS_BIN" tenant create --name "Bench tenant")
  token=$(DATABASE_URL="$url" SOUS_LOG=warn "$SOUS_BIN" token --tenant "$tenant" --role owner --ttl 1h)
  hours=$(for d in mon tue wed thu fri sat sun; do printf '{"weekday":"%s","opens":"11:00","closes":"23:00"},' "$d"; done)
  location=$(post "$base/api/v1/locations" \
    "{\"name\":\"Bench bistro\",\"timezone\":\"$TZ_LOC\",\"seats\":80,\"opening_hours\":[${hours%,}]}" | jq -r .id)
  item=$(post "$base/api/v1/locations/$location/menu-items" \
    '{"name":"Soupe du jour","category":"starter","price_cents":900}' | jq -r .id)

  local run_tag load_before load_after
  run_tag="bench-$(date +%s)-$$"
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "wrk -t$threads -c$conns -d${secs}s --timeout $wrk_timeout --latency -s orders.lua $base/ -- $location $item $ordered_at $run_tag TOKEN" >&2
  wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout "$wrk_timeout" --latency -s "$work/orders.lua" \
    "$base/" -- "$location" "$item" "$ordered_at" "$run_tag" "$token" >"$log.wrk" 2>&1 || true
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  sed -n '/^Running/,$p' "$log.wrk" | grep -v '^NON2XX\|^WRK ' >&2 || true
  grep '^NON2XX' "$log.wrk" >&2 || true

  local line
  line=$(grep '^WRK ' "$log.wrk" | tail -n 1)
  if [ -z "$line" ]; then echo "wrk printed no result:" >&2; cat "$log.wrk" >&2; stop_server; failed=1; return; fi
  # shellcheck disable=SC2086 # word splitting of key=value pairs is wanted
  local requests s2xx s4xx s5xx other created unchanged p50_ms p99_ms max_ms duration_s \
    err_connect err_read err_write err_timeout
  eval "$(echo "${line#WRK }" | tr ' ' '\n' | grep -E '^[a-z0-9_]+=[0-9.]+$')"

  # Rows stored, through the API once the requests wrk left in flight have finished (the count
  # no longer moves), then straight in the database once the server has stopped (SIGTERM lets
  # requests in flight finish).
  local stored previous=-1 direct
  for _ in $(seq 1 40); do
    stored=$(get "$base/api/v1/locations/$location/history/daily?from=$service_date&to=$history_to" |
      jq '[.[].orders] | add // 0')
    [ "$stored" = "$previous" ] && break
    previous=$stored
    sleep 1
  done

  local server_warn
  server_warn=$(grep -ciE 'WARN|ERROR' "$log.err" || true)
  stop_server
  direct=$("$@" "$location" 2>/dev/null || echo "n/a")
  if [ "$server_warn" -gt 0 ]; then
    echo "server warn/error lines: $server_warn (first 10):" >&2
    grep -iE 'WARN|ERROR' "$log.err" | head -n 10 >&2
  fi

  local missing=$((created > stored ? created - stored : 0))
  local problems=()
  if [ "$missing" -gt 0 ]; then problems+=("FAIL:acknowledged-rows-missing"); failed=1; fi
  if [ "$s5xx" -gt 0 ]; then problems+=("FAIL:5xx"); failed=1; fi
  if [ "$direct" != n/a ] && [ "$direct" != "$stored" ]; then problems+=("note:db_count($direct)!=api($stored)"); fi
  if [ "$created" -ne "$s2xx" ]; then problems+=("note:created($created)!=2xx($s2xx)"); fi
  local verdict=ok
  if [ "${#problems[@]}" -gt 0 ]; then verdict=$(IFS=,; echo "${problems[*]}"); fi
  local summary
  summary=$(printf 'RESULT db=%s pool=%s requests=%d 2xx=%d 4xx=%d 5xx=%d stored=%d acked=%d missing=%d rows/s=%.1f p50=%sms p99=%sms max=%sms db_count=%s sock_errors=c%d/r%d/w%d/t%d server_warn_lines=%d load=%s..%s verdict=%s' \
    "$label" "${SOUS_DB_MAX_CONNECTIONS:-default}" "$requests" "$s2xx" "$s4xx" "$s5xx" "$stored" "$created" \
    "$missing" "$(awk -v n="$stored" -v d="$duration_s" 'BEGIN { print n / d }')" "$p50_ms" "$p99_ms" "$max_ms" "$direct" \
    "$err_connect" "$err_read" "$err_write" "$err_timeout" "$server_warn" "${load_before// /,}" "${load_after// /,}" "$verdict")
  echo "$summary" >&2
  summaries+=("$summary")
}

sqlite_count() { command -v sqlite3 >/dev/null && sqlite3 "$work/bench.db" "SELECT count(*) FROM orders WHERE location_id = $1"; }
pg_count() { psql -qtA -X "$pg_url" -c "SELECT count(*) FROM orders WHERE location_id = $1"; }

echo "orders placed at $ordered_at (service date $service_date); wrk -t$threads -c$conns -d${secs}s; sous: $SOUS_BIN" >&2
for db in $databases; do
  case $db in
    sqlite)
      run_one sqlite "sqlite://$work/bench.db?mode=rwc" sqlite_count
      ;;
    postgres)
      if [ -z "${BENCH_POSTGRES_URL:-}" ]; then echo "== postgres: skipped (BENCH_POSTGRES_URL unset)" >&2; continue; fi
      command -v psql >/dev/null || { echo "psql is needed for PostgreSQL (apt-get install -y postgresql-client)" >&2; exit 1; }
      pg_admin_url=$BENCH_POSTGRES_URL
      pg_db="sous_bench_$(date +%s)_$$"
      psql -q -X "$pg_admin_url" -c "CREATE DATABASE $pg_db" >/dev/null
      # The same URL with the new database as its path, keeping any ?query.
      query=""; case $pg_admin_url in *\?*) query="?${pg_admin_url#*\?}" ;; esac
      no_query=${pg_admin_url%%\?*}
      authority=${no_query#*://}; scheme=${no_query%%://*}
      pg_url="$scheme://${authority%%/*}/$pg_db$query"
      run_one postgres "$pg_url" pg_count
      ;;
    *) echo "unknown database '$db' in BENCH_DATABASES" >&2; exit 1 ;;
  esac
done

printf '%s\n' "${summaries[@]}"
exit "$failed"
