#!/usr/bin/env bash
# Cached-read throughput and latency of the plan endpoints, with wrk on loopback, beside a bare
# poem handler returning the same bytes, in the same run. The targets take turns, round after
# round, so a slower minute of a shared machine hits them all alike; medians are reported, with
# each target's throughput as a fraction of the bare handler's and the server's CPU time per
# request. Sous is read with the demo's staff token, as a wall dashboard reads it: every read
# verifies the token and the caller's right to the location before answering from memory.
# Needs wrk (apt-get install wrk).
# Usage: bash benches/cached_read.sh [seconds per run] [connections] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-8}
conns=${2:-64}
rounds=${3:-5}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)"; exit 1; }
cargo build --release --bin sous --bench bare_poem >/dev/null 2>&1
bare=$(ls -t target/release/deps/bare_poem-* | grep -v '\.d$' | head -n 1)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

DATABASE_URL="sqlite://$work/demo.db?mode=rwc" SOUS_LOG=${SOUS_LOG:-warn} SOUS_NIGHTLY_AT=off \
  SOUS_METRICS_ADDR=127.0.0.1:18184 target/release/sous serve --demo --addr 127.0.0.1:18181 >"$work/sous.log" 2>&1 &
sous_pid=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:18181/healthz >/dev/null && break; sleep 0.5; done
token=$(sed -n 's/^ *export SOUS_STAFF_TOKEN=//p' "$work/sous.log" | head -n 1)
[ -n "$token" ] || { echo "no staff token in the demo's output"; cat "$work/sous.log"; exit 1; }
auth="Authorization: Bearer $token"
staffing="http://127.0.0.1:18181/api/v1/locations/1/staffing"
prep="http://127.0.0.1:18181/api/v1/locations/1/prep-list"
curl -sf -H "$auth" "$staffing" -o "$work/staffing.json"   # the first reads generate; the rest are hits
curl -sf -H "$auth" "$prep" -o "$work/prep-list.json"
etag=$(curl -sI -H "$auth" "$staffing" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}')
# One bare server per plan, each returning that plan's bytes.
"$bare" "$work/staffing.json" 127.0.0.1:18182 &
bare_staffing_pid=$!
"$bare" "$work/prep-list.json" 127.0.0.1:18183 &
bare_prep_pid=$!
sleep 1

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# run <label> <pid> <url> [header...]: one wrk run, one line "label rps p99_ms us_per_request".
run() {
  local label=$1 pid=$2 url=$3
  shift 3
  local headers=() before after out
  for header in "$@"; do headers+=(-H "$header"); done
  before=$(cpu_ticks "$pid")
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "${headers[@]}" "$url")
  after=$(cpu_ticks "$pid")
  echo "$out" | awk -v label="$label" -v ticks=$((after - before)) -v secs="$secs" -v hz="$(getconf CLK_TCK)" '
    / 99%/ { p99 = $2; if (p99 ~ /us$/) p99 = p99 / 1000; else if (p99 ~ /ms$/) p99 = p99 + 0; else p99 = p99 * 1000 }
    /Requests\/sec/ { rps = $2 }
    END { printf "%s %.0f %.2f %.2f\n", label, rps, p99, ticks / hz * 1e6 / (rps * secs) }'
}

echo "bodies: staffing $(wc -c <"$work/staffing.json") bytes, prep list $(wc -c <"$work/prep-list.json") bytes"
echo "wrk -t2 -c$conns -d${secs}s --latency; $rounds rounds; SOUS_LOG=${SOUS_LOG:-warn}"
for round in $(seq 1 "$rounds"); do
  run bare-staffing "$bare_staffing_pid" http://127.0.0.1:18182/ "$auth"
  run staffing "$sous_pid" "$staffing" "$auth"
  run staffing-304 "$sous_pid" "$staffing" "$auth" "If-None-Match: $etag"
  run bare-prep-list "$bare_prep_pid" http://127.0.0.1:18183/ "$auth"
  run prep-list "$sous_pid" "$prep" "$auth"
done | tee "$work/runs.txt"
# Each plan against the bare server with its bytes; the 304 (no body) against the staffing one.
python3 - "$work/runs.txt" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, rps, p99, cpu = line.split()
    runs.setdefault(label, []).append((float(rps), float(p99), float(cpu)))
median = lambda label, i: statistics.median(r[i] for r in runs[label])
reference = {"staffing": "bare-staffing", "staffing-304": "bare-staffing", "prep-list": "bare-prep-list"}
print(f"{'median of':<16}{'req/s':>10}{'× bare':>9}{'p99 ms':>9}{'server µs/req':>15}")
for label in runs:
    ratio = median(label, 0) / median(reference.get(label, label), 0)
    print(f"{label:<16}{median(label, 0):>10.0f}{ratio:>9.2f}{median(label, 1):>9.2f}{median(label, 2):>15.1f}")
EOF
curl -s http://127.0.0.1:18184/metrics | grep -E "^sous_(plan_cache_(hits|misses|memory_reads)|tokens)"
