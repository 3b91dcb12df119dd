#!/usr/bin/env bash
# Cached-read throughput and latency of the plan endpoints, with wrk on loopback, beside a bare
# poem handler returning the same bytes, in the same run. The targets take turns, round after
# round, so a slower minute of a shared machine hits them all alike; medians are reported, with
# each target's throughput as a fraction of the bare handler's and the server's CPU time per
# request. Needs wrk (apt-get install wrk).
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
  target/release/sous serve --demo --addr 127.0.0.1:18181 >"$work/sous.log" 2>&1 &
sous_pid=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:18181/healthz >/dev/null && break; sleep 0.5; done
staffing="http://127.0.0.1:18181/api/v1/locations/1/staffing"
prep="http://127.0.0.1:18181/api/v1/locations/1/prep-list"
curl -sf "$staffing" -o "$work/plan.json"       # the first reads generate; the rest are hits
curl -sf "$prep" -o /dev/null
etag=$(curl -sI "$staffing" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}')
"$bare" "$work/plan.json" 127.0.0.1:18182 &
bare_pid=$!
sleep 1

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# run <label> <pid> <url> [header]: one wrk run, one line "label rps p99_ms us_per_request".
run() {
  local label=$1 pid=$2 url=$3 header=${4:-}
  local before after out
  before=$(cpu_ticks "$pid")
  if [ -n "$header" ]; then out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -H "$header" "$url"); else
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$url"); fi
  after=$(cpu_ticks "$pid")
  echo "$out" | awk -v label="$label" -v ticks=$((after - before)) -v secs="$secs" -v hz="$(getconf CLK_TCK)" '
    / 99%/ { p99 = $2; if (p99 ~ /us$/) p99 = p99 / 1000; else if (p99 ~ /ms$/) p99 = p99 + 0; else p99 = p99 * 1000 }
    /Requests\/sec/ { rps = $2 }
    END { printf "%s %.0f %.2f %.2f\n", label, rps, p99, ticks / hz * 1e6 / (rps * secs) }'
}

echo "body: $(wc -c <"$work/plan.json") bytes; wrk -t2 -c$conns -d${secs}s --latency; $rounds rounds; SOUS_LOG=${SOUS_LOG:-warn}"
for round in $(seq 1 "$rounds"); do
  run bare "$bare_pid" http://127.0.0.1:18182/
  run staffing "$sous_pid" "$staffing"
  run prep-list "$sous_pid" "$prep"
  run staffing-304 "$sous_pid" "$staffing" "If-None-Match: $etag"
done | tee "$work/runs.txt"
python3 - "$work/runs.txt" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, rps, p99, cpu = line.split()
    runs.setdefault(label, []).append((float(rps), float(p99), float(cpu)))
bare = statistics.median(r[0] for r in runs["bare"])
print(f"{'median of':<14}{'req/s':>10}{'× bare':>9}{'p99 ms':>9}{'server µs/req':>15}")
for label, rs in runs.items():
    rps = statistics.median(r[0] for r in rs)
    print(f"{label:<14}{rps:>10.0f}{rps / bare:>9.2f}{statistics.median(r[1] for r in rs):>9.2f}"
          f"{statistics.median(r[2] for r in rs):>15.1f}")
EOF
curl -s http://127.0.0.1:18181/metrics | grep -E "^sous_plan_cache_(hits|misses|memory_reads)"
