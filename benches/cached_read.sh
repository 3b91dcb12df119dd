#!/usr/bin/env bash
# Cached-read throughput and latency of the plan endpoints, with wrk on loopback, beside a bare
# poem handler returning the same bytes, in the same run. Needs wrk (apt-get install wrk).
# Usage: bash benches/cached_read.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
conns=${2:-64}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)"; exit 1; }
cargo build --release --bin sous --bench bare_poem >/dev/null 2>&1
bare=$(ls -t target/release/deps/bare_poem-* | grep -v '\.d$' | head -n 1)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

DATABASE_URL="sqlite://$work/demo.db?mode=rwc" SOUS_LOG=warn SOUS_NIGHTLY_AT=off \
  target/release/sous serve --demo --addr 127.0.0.1:18181 >"$work/sous.log" 2>&1 &
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:18181/healthz >/dev/null && break; sleep 0.5; done
url="http://127.0.0.1:18181/api/v1/locations/1/staffing"
curl -sf "$url" -o "$work/plan.json"       # first read generates; the rest are hits
"$bare" "$work/plan.json" 127.0.0.1:18182 &
sleep 1
echo "body: $(wc -c <"$work/plan.json") bytes; wrk -t2 -c$conns -d${secs}s --latency"
echo "--- bare poem handler, same bytes"
wrk -t2 -c"$conns" -d"${secs}s" --latency http://127.0.0.1:18182/ | grep -E "Requests/sec|Latency|99%|75%|50%"
echo "--- sous, cached staffing plan"
wrk -t2 -c"$conns" -d"${secs}s" --latency "$url" | grep -E "Requests/sec|Latency|99%|75%|50%"
echo "--- sous, cached prep list"
wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:18181/api/v1/locations/1/prep-list" | grep -E "Requests/sec|Latency|99%|75%|50%"
curl -s http://127.0.0.1:18181/metrics | grep -E "^sous_plan_cache_(hits|misses)"
