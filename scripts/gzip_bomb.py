#!/usr/bin/env python3
"""Serves a gzip bomb as a call's webhook logs on 127.0.0.1, for measuring hookscope's peak memory
against it: a log array whose first entry's string never ends, EXPANDED_MIB (default 2048) once
decompressed, about 2 MB on the wire.

    python3 scripts/gzip_bomb.py PORT [EXPANDED_MIB] &
    BURKI_API_KEY=burki_test_x /usr/bin/time -f 'peak %M KiB' \
        target/release/hookscope 101 --base-url http://127.0.0.1:PORT --print json
"""

import gzip
import http.server
import io
import sys

port = int(sys.argv[1])
expanded_mib = int(sys.argv[2]) if len(sys.argv) > 2 else 2048

buffer = io.BytesIO()
with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as bomb:
    bomb.write(b'[{"id": 1, "webhook_type": "t", "request_payload": "')
    block = b"A" * (1 << 20)
    for _ in range(expanded_mib):
        bomb.write(block)
BODY = buffer.getvalue()


class Bomb(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


print(f"serving {len(BODY)} bytes expanding to {expanded_mib} MiB on 127.0.0.1:{port}", flush=True)
http.server.ThreadingHTTPServer(("127.0.0.1", port), Bomb).serve_forever()
