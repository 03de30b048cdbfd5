#!/usr/bin/env bash
# How fast `hookscope <id> --print ndjson --failed` is on a big call, against curl merely
# downloading the same response and against `curl | jq`; and hookscope's peak memory.
#
#   bash scripts/bench-print.sh [COUNT]      (default 20000 logs; needs hyperfine, jq, curl, python3)
#
# The call is generated deterministically (examples/make_call.rs) and served by Python's
# http.server on 127.0.0.1, so every contender reads the same bytes over the same loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-20000}"
for tool in hyperfine jq curl python3; do
  command -v "$tool" >/dev/null || { echo "bench-print: $tool is needed (apt-get install $tool)" >&2; exit 2; }
done

cargo build --release --quiet --bin hookscope --example make_call
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
mkdir -p "$dir/api/v1/calls/1"
target/release/examples/make_call "$count" 1 > "$dir/api/v1/calls/1/webhook-logs"
bytes=$(stat -c %s "$dir/api/v1/calls/1/webhook-logs")
port=$((20000 + RANDOM % 20000))
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir" >/dev/null 2>&1 &
server=$!
url="http://127.0.0.1:$port/api/v1/calls/1/webhook-logs"
for _ in $(seq 50); do curl -sf -o /dev/null "$url" && break; sleep 0.1; done

echo "call: $count logs, $bytes bytes"
export BURKI_API_KEY=burki_bench_key
hyperfine --warmup 3 --runs "${RUNS:-20}" -N \
  --command-name "curl (download only)" "curl -s -o /dev/null $url" \
  --command-name "hookscope --print ndjson --failed" "target/release/hookscope 1 --base-url http://127.0.0.1:$port --print ndjson --failed" \
  --export-markdown "$dir/curl-hookscope.md"
hyperfine --warmup 2 --runs "${RUNS:-20}" \
  --command-name "curl | jq -c '.[] | select(.success == false)'" \
  "curl -s $url | jq -c '.[] | select(.success == false)' > /dev/null"
hookscope_failed=$(target/release/hookscope 1 --base-url "http://127.0.0.1:$port" --print ndjson --failed | wc -l)
jq_failed=$(curl -s "$url" | jq -c '.[] | select(.success == false)' | wc -l)
echo "failed logs printed: hookscope $hookscope_failed, jq $jq_failed"
/usr/bin/time -f "hookscope max RSS: %M KB for $bytes bytes of response" \
  target/release/hookscope 1 --base-url "http://127.0.0.1:$port" --print ndjson --failed > /dev/null
python3 scripts/first_frame.py target/release/hookscope "http://127.0.0.1:$port" 1 "${RUNS:-10}" | tail -1 | sed 's/^/explorer: /'
