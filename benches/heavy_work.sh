#!/usr/bin/env bash
# Heavy work vs. light requests: does a burst of one-year backtests starve the server?
#
# What it measures. One Sous server (`serve --demo`, a year of demo data, in a fresh temporary
# directory, on a free loopback port, /metrics on a second one), read with the tokens the demo
# prints (its own signing secret, made in that directory): the staff token for the plan reads,
# the reviewer's for the backtests. Then two phases measured the same way:
#   reference  no other load: `wrk -t1 -c4 -d15s --latency` on /healthz and, at the same time,
#              another one on a cached plan read (GET /api/v1/locations/{id}/staffing?date=
#              tomorrow, read twice beforehand so that every measured read is a cache hit);
#   loaded     16 clients (`wrk -t2 -c16 -d25s --timeout 60s`) that ask for a one-year backtest
#              (GET /api/v1/locations/{id}/backtest?from=today-365d&to=today, `to` excluded)
#              again and again for the whole phase; 3 s after they start, the same two
#              measurements as in the reference.
# A Lua hook counts the backtest answers by status (200, 503, other) and keeps the first few
# non-200 bodies (with Retry-After). The probes use a long wrk timeout (30 s) so that a starved
# request is measured as slow rather than dropped as a socket timeout. One line per phase and
# endpoint:
#   SUMMARY bin=… phase=… endpoint=… p50=…ms p90=…ms p99=…ms max=…ms req/s=… status_ge400=… sock_errors=c/r/w/t
#   SUMMARY bin=… phase=loaded endpoint=backtest completed=… 200=… 503=… other=… backtests/s=… p50=… p99=… max=…
# plus the load average at each step, the server's CPU seconds per phase, a plain one-year
# backtest's time with no load, the plan cache's counters (from the metrics listener) and the
# server's warn/error log lines.
#
# How to run it (it builds nothing; build first with `cargo build --release`; no secret or token
# to set up, the demo makes its own):
#   bash benches/heavy_work.sh                                  # target/release/sous
#   SOUS_BIN=/tmp/sous-before bash benches/heavy_work.sh        # any binary; label = its file name
#   BENCH_LABEL=after SOUS_BIN=/tmp/sous-after bash benches/heavy_work.sh
# To compare two binaries, run it for each, one after the other, on an otherwise idle machine
# (and again in the other order): the numbers depend on the cores available.
#
# Needs: wrk (Debian: apt-get install -y wrk), curl; awk, sed, date (GNU).
#
# Environment:
#   SOUS_BIN              the sous binary (default target/release/sous)
#   BENCH_LABEL           name in the summary lines (default: the binary's file name)
#   BENCH_PROBE_SECONDS   duration of each probe measurement (default 15)
#   BENCH_LOAD_SECONDS    duration of the backtest load (default 25)
#   BENCH_LOAD_DELAY      seconds between the start of the backtests and the probes (default 3)
#   BENCH_BACKTESTERS     concurrent backtest clients (default 16)
#   BENCH_RANGE_DAYS      days replayed by each backtest (default 365)
#   BENCH_KEEP=1          keep the temporary directory (server output, wrk output)
set -euo pipefail
cd "$(dirname "$0")/.."

SOUS_BIN=${SOUS_BIN:-target/release/sous}
probe_secs=${BENCH_PROBE_SECONDS:-15}
load_secs=${BENCH_LOAD_SECONDS:-25}
load_delay=${BENCH_LOAD_DELAY:-3}
backtesters=${BENCH_BACKTESTERS:-16}
range_days=${BENCH_RANGE_DAYS:-365}

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (apt-get install -y $tool)" >&2; exit 1; }
done
[ -x "$SOUS_BIN" ] || { echo "SOUS_BIN=$SOUS_BIN is not an executable (cargo build --release?)" >&2; exit 1; }
SOUS_BIN=$(cd "$(dirname "$SOUS_BIN")" && pwd)/$(basename "$SOUS_BIN")
label=${BENCH_LABEL:-$(basename "$SOUS_BIN")}

work=$(mktemp -d /tmp/sous-bench-heavy.XXXXXX)
server_pid=""
bg_pids=()
cleanup() {
  for pid in "${bg_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' ','; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
note() { echo "[$(date +%T)] $*" >&2; }

# The probes: latency percentiles in ms and requests/s, from wrk's own histogram.
cat >"$work/probe.lua" <<'LUA'
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "PROBE requests=%d p50=%.2f p90=%.2f p99=%.2f max=%.2f rps=%.1f status_ge400=%d errors=c%d/r%d/w%d/t%d\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6), e.status, e.connect, e.read, e.write, e.timeout))
end
LUA

# The backtests: answers counted by status in each thread, summed in done().
cat >"$work/backtest.lua" <<'LUA'
local threads = {}
local next_tid = 0

function setup(thread)
  next_tid = next_tid + 1
  thread:set("tid", next_tid)
  table.insert(threads, thread)
end

function init(args)
  s200, s503, sother = 0, 0, 0
  samples, nsamples = "", 0
end

function response(status, headers, body)
  if status == 200 then s200 = s200 + 1
  elseif status == 503 then s503 = s503 + 1
  else sother = sother + 1 end
  if status ~= 200 and nsamples < 3 then
    nsamples = nsamples + 1
    local retry = headers["Retry-After"] or headers["retry-after"] or "-"
    samples = samples .. string.format("NON200 thread=%d status=%d retry-after=%s body=%s\n",
      tid, status, retry, string.sub(body, 1, 300))
  end
end

function done(summary, latency, requests)
  local t = { s200 = 0, s503 = 0, sother = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
    local s = thread:get("samples")
    if s and s ~= "" then io.write(s) end
  end
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BACKTEST completed=%d s200=%d s503=%d other=%d per_s=%.2f p50=%.2f p99=%.2f max=%.2f " ..
    "duration=%.1f errors=c%d/r%d/w%d/t%d\n",
    summary.requests, t.s200, t.s503, t.sother, t.s200 / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    secs, e.connect, e.read, e.write, e.timeout))
end
LUA

# --- the server -------------------------------------------------------------------------------
note "$label: $SOUS_BIN; load average $(loadavg)"
(cd "$work" && exec env SOUS_ADDR=127.0.0.1:0 SOUS_METRICS_ADDR=127.0.0.1:0 SOUS_LOG=warn SOUS_NIGHTLY_AT=off \
  "$SOUS_BIN" serve --demo >"$work/server.out" 2>"$work/server.err") &
server_pid=$!
base=""
for _ in $(seq 1 240); do
  base=$(sed -n 's|^Sous listening on \(http://[^ ]*\).*|\1|p' "$work/server.out" | head -n 1)
  if [ -n "$base" ] && curl -sf "$base/healthz" >/dev/null; then break; fi
  base=""
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$base" ]; then
  echo "the server did not come up; its output:" >&2
  cat "$work/server.out" "$work/server.err" >&2
  exit 1
fi
location=$(sed -n 's|.*Demo location id: \([0-9][0-9]*\).*|\1|p' "$work/server.out" | head -n 1)
tomorrow=$(sed -n 's|.*staffing?date=\([0-9-]*\).*|\1|p' "$work/server.out" | head -n 1)
metrics=$(sed -n 's|^ *Metrics: *\(http://[^ ]*\).*|\1|p' "$work/server.out" | head -n 1)
staff_token=$(sed -n 's/^ *export SOUS_STAFF_TOKEN=//p' "$work/server.out" | head -n 1)
reviewer_token=$(sed -n 's/^ *export SOUS_REVIEWER_TOKEN=//p' "$work/server.out" | head -n 1)
[ -n "$location" ] && [ -n "$tomorrow" ] && [ -n "$staff_token" ] && [ -n "$reviewer_token" ] ||
  { echo "no location id, date or tokens in:" >&2; cat "$work/server.out" >&2; exit 1; }
staff_auth="Authorization: Bearer $staff_token"
reviewer_auth="Authorization: Bearer $reviewer_token"
grep -i 'seeded' "$work/server.out" >&2 || true
# "Tomorrow" is the location's; today (excluded from the backtest) is the day before.
today=$(date -d "$tomorrow - 1 day" +%F)
from=$(date -d "$today - $range_days days" +%F)
healthz="$base/healthz"
staffing="$base/api/v1/locations/$location/staffing?date=$tomorrow"
backtest="$base/api/v1/locations/$location/backtest?from=$from&to=$today"

# Warm the cache: the first read makes the plan, the second is a hit.
for _ in 1 2; do curl -sf -o /dev/null -H "$staff_auth" "$staffing" || { echo "GET $staffing failed" >&2; exit 1; }; done
# One backtest alone, to check that the range is accepted and to time it.
code_time=$(curl -s -o "$work/backtest.json" -w '%{http_code} %{time_total}' -H "$reviewer_auth" "$backtest")
if [ "${code_time%% *}" != 200 ]; then
  echo "GET $backtest answered ${code_time%% *}: $(head -c 400 "$work/backtest.json")" >&2
  echo "(set BENCH_RANGE_DAYS to a range the server accepts)" >&2
  exit 1
fi
note "one backtest alone ($range_days days, $from..$today excluded): ${code_time#* } s"
note "server $base, location $location, staffing date $tomorrow; pid $server_pid"

# probe <phase>: the two measurements at the same time; prints the SUMMARY lines. /healthz
# needs no token; the plan read is the staff's.
probe() {
  local phase=$1 name url auth pids=()
  for name in healthz staffing; do
    if [ "$name" = healthz ]; then url=$healthz; auth=(); else url=$staffing; auth=(-H "$staff_auth"); fi
    wrk -t1 -c4 -d"${probe_secs}s" --timeout 30s --latency "${auth[@]}" -s "$work/probe.lua" "$url" \
      >"$work/$phase-$name.wrk" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  for name in healthz staffing; do
    local line
    line=$(grep '^PROBE ' "$work/$phase-$name.wrk" | tail -n 1)
    if [ -z "$line" ]; then echo "wrk printed no result for $name:" >&2; cat "$work/$phase-$name.wrk" >&2; continue; fi
    echo "$line" | awk -v bin="$label" -v phase="$phase" -v ep="$name" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "SUMMARY bin=%s phase=%s endpoint=%s p50=%sms p90=%sms p99=%sms max=%sms req/s=%s status_ge400=%s sock_errors=%s\n",
        bin, phase, ep, v["p50"], v["p90"], v["p99"], v["max"], v["rps"], v["status_ge400"], v["errors"] }'
  done
}

summaries=()

# --- reference --------------------------------------------------------------------------------
sleep 2
before=$(cpu_ticks "$server_pid")
note "reference: load average $(loadavg)"
while IFS= read -r line; do summaries+=("$line"); done < <(probe reference)
after=$(cpu_ticks "$server_pid")
summaries+=("PHASE bin=$label phase=reference server_cpu_s=$(awk -v t=$((after - before)) -v hz="$hz" 'BEGIN { printf "%.1f", t / hz }') load_after=$(loadavg)")

# --- loaded -----------------------------------------------------------------------------------
sleep 2
before=$(cpu_ticks "$server_pid")
note "loaded: load average $(loadavg); wrk -t2 -c$backtesters -d${load_secs}s --timeout 60s $backtest"
wrk -t2 -c"$backtesters" -d"${load_secs}s" --timeout 60s --latency -H "$reviewer_auth" -s "$work/backtest.lua" "$backtest" \
  >"$work/loaded-backtest.wrk" 2>&1 &
load_pid=$!
bg_pids+=("$load_pid")
sleep "$load_delay"
while IFS= read -r line; do summaries+=("$line"); done < <(probe loaded)
wait "$load_pid" || true
bg_pids=()
after=$(cpu_ticks "$server_pid")
grep '^NON200 ' "$work/loaded-backtest.wrk" >&2 || true
line=$(grep '^BACKTEST ' "$work/loaded-backtest.wrk" | tail -n 1)
if [ -z "$line" ]; then
  echo "wrk printed no backtest result:" >&2; cat "$work/loaded-backtest.wrk" >&2
else
  summaries+=("$(echo "$line" | awk -v bin="$label" '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "SUMMARY bin=%s phase=loaded endpoint=backtest completed=%s 200=%s 503=%s other=%s backtests/s=%s p50=%sms p99=%sms max=%sms sock_errors=%s\n",
      bin, v["completed"], v["s200"], v["s503"], v["other"], v["per_s"], v["p50"], v["p99"], v["max"], v["errors"] }')")
fi
summaries+=("PHASE bin=$label phase=loaded server_cpu_s=$(awk -v t=$((after - before)) -v hz="$hz" 'BEGIN { printf "%.1f", t / hz }') load_after=$(loadavg)")

# --- the end ----------------------------------------------------------------------------------
kill -0 "$server_pid" 2>/dev/null || echo "the server died during the run" >&2
curl -s "$metrics" | grep -E '^sous_plan_cache_(hits|misses)_total' | tr '\n' ' ' >&2 || true; echo >&2
kill -TERM "$server_pid" 2>/dev/null || true
status=0; wait "$server_pid" 2>/dev/null || status=$?
server_pid=""
[ "$status" -eq 0 ] || echo "the server exited with status $status after SIGTERM" >&2
warn_lines=$(grep -ciE 'WARN|ERROR' "$work/server.err" || true)
if [ "$warn_lines" -gt 0 ]; then
  echo "server warn/error lines: $warn_lines (first 10):" >&2
  grep -m 10 -iE 'WARN|ERROR' "$work/server.err" >&2 || true
fi
summaries+=("END bin=$label server_warn_lines=$warn_lines server_exit=$status load=$(loadavg)")
printf '%s\n' "${summaries[@]}"
