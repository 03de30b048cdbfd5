#!/usr/bin/env bash
# How fast `hookscope <id> --print ndjson --failed` is on a big call, against curl merely
# downloading the same response and against `curl | jq`; `--print`'s peak memory; and the
# explorer's first frame and peak memory, at COUNT and at 100,000 logs.
#
#   bash scripts/bench-print.sh [COUNT]      (default 20000 logs; needs hyperfine, jq, curl, python3)
#
# The calls are generated deterministically (examples/make_call.rs) and served by Python's
# http.server on 127.0.0.1, so every contender reads the same bytes over the same loopback; the
# download is timed again from scripts/sendfile_server.py, which curl reads from faster.
# The machine may be shared: medians are reported, and ratios of medians.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-20000}"
runs="${RUNS:-30}"
for tool in hyperfine jq curl python3; do
  command -v "$tool" >/dev/null || { echo "bench-print: $tool is needed (apt-get install $tool)" >&2; exit 2; }
done

cargo build --release --quiet --bin hookscope --example make_call
dir=$(mktemp -d)
trap 'kill "$server" "${sendfile_server:-}" 2>/dev/null; rm -rf "$dir"' EXIT
mkdir -p "$dir/api/v1/calls/1" "$dir/api/v1/calls/2"
target/release/examples/make_call "$count" 1 > "$dir/api/v1/calls/1/webhook-logs"
target/release/examples/make_call 100000 2 > "$dir/api/v1/calls/2/webhook-logs"
bytes=$(stat -c %s "$dir/api/v1/calls/1/webhook-logs")
big_bytes=$(stat -c %s "$dir/api/v1/calls/2/webhook-logs")
port=$((20000 + RANDOM % 20000))
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir" >/dev/null 2>&1 &
server=$!
base="http://127.0.0.1:$port"
url="$base/api/v1/calls/1/webhook-logs"
# The same files sent with sendfile(2): a server that is not itself the bottleneck, so that
# `curl` downloads as fast as loopback allows and the ratio is the harsher one.
sendfile_port=$((port + 1))
python3 scripts/sendfile_server.py "$sendfile_port" "$dir" >/dev/null 2>&1 &
sendfile_server=$!
sendfile_base="http://127.0.0.1:$sendfile_port"
sendfile_url="$sendfile_base/api/v1/calls/1/webhook-logs"
for _ in $(seq 50); do curl -sf -o /dev/null "$url" && curl -sf -o /dev/null "$sendfile_url" && break; sleep 0.1; done

export BURKI_API_KEY=burki_bench_key
hookscope="target/release/hookscope 1 --base-url $base --print ndjson --failed"
sendfile_hookscope="target/release/hookscope 1 --base-url $sendfile_base --print ndjson --failed"
jq_pipe="curl -s $url | jq -c '.[] | select(.success == false)' > /dev/null"
hyperfine --warmup 3 --runs "$runs" -N --export-json "$dir/http_server.json" \
  --command-name curl "curl -s -o /dev/null $url" \
  --command-name hookscope "$hookscope" >/dev/null
hyperfine --warmup 3 --runs "$runs" -N --export-json "$dir/sendfile.json" \
  --command-name curl "curl -s -o /dev/null $sendfile_url" \
  --command-name hookscope "$sendfile_hookscope" >/dev/null
hyperfine --warmup 2 --runs "$((runs / 3 + 1))" --export-json "$dir/jq.json" \
  --command-name "curl | jq" "$jq_pipe" >/dev/null
median() { jq -r --arg name "$2" '.results[] | select(.command == $name) | .median * 1000' "$1"; }
curl_ms=$(median "$dir/http_server.json" curl)
hookscope_ms=$(median "$dir/http_server.json" hookscope)
jq_ms=$(median "$dir/jq.json" "curl | jq")
sendfile_curl_ms=$(median "$dir/sendfile.json" curl)
sendfile_hookscope_ms=$(median "$dir/sendfile.json" hookscope)

echo "call: $count logs, $bytes bytes, served from 127.0.0.1"
awk -v c="$curl_ms" -v h="$hookscope_ms" -v j="$jq_ms" -v sc="$sendfile_curl_ms" -v sh="$sendfile_hookscope_ms" 'BEGIN {
  printf "curl download only:                 median %6.1f ms\n", c
  printf "hookscope --print ndjson --failed:  median %6.1f ms  = %.2f x curl (goal <= 2)\n", h, h / c
  printf "  from a sendfile server: curl %.1f ms, hookscope %.1f ms = %.2f x curl\n", sc, sh, sh / sc
  printf "curl | jq -c (same selection):      median %6.1f ms  = %.1f x hookscope (goal >= 10)\n", j, j / h
}'
hookscope_failed=$($hookscope | wc -l)
jq_failed=$(curl -s "$url" | jq -c '.[] | select(.success == false)' | wc -l)
echo "failed logs printed: hookscope $hookscope_failed, jq $jq_failed"
for call in 1 2; do
  size=$([ "$call" = 1 ] && echo "$bytes" || echo "$big_bytes")
  kb=$( { /usr/bin/time -f "%M" target/release/hookscope "$call" --base-url "$base" --print ndjson --failed > /dev/null; } 2>&1 | tail -1)
  awk -v kb="$kb" -v size="$size" 'BEGIN {
    printf "--print max RSS: %.1f MiB for a %.1f MiB response (goal <= 64 MiB)\n", kb / 1024, size / 1048576 }'
done
for call in 1 2; do
  size=$([ "$call" = 1 ] && echo "$bytes" || echo "$big_bytes")
  awk -v size="$size" 'BEGIN { printf "explorer, %.1f MiB response (memory goal <= %.1f MiB: 1.5x + 40; first frame <= 1 s): ", size / 1048576, (1.5 * size / 1048576) + 40 }'
  python3 scripts/first_frame.py target/release/hookscope "$base" "$call" 5 | tail -1
done
