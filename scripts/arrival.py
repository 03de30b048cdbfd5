#!/usr/bin/env python3
"""Rows on screen while a big body is still arriving, from a server that sends about 2 MB/s.

    python3 scripts/arrival.py BINARY CALL_FILE [RUNS] [BYTES_PER_SECOND]

Serves CALL_FILE (a webhook-logs array) on 127.0.0.1 at the given rate (default 2,000,000 B/s),
runs the explorer against it in a 120x40 pseudo-terminal, and prints per run: the time from the
server's first body byte to the first frame with rows (the header's "deliveries"), how many
frames were drawn while the rest of the body arrived (bursts of output at least 20 ms apart:
the rows and the progress line moving), and the time to the whole body. Then the median
first-rows time.
"""
import fcntl, http.server, os, pty, select, statistics, struct, sys, termios, threading, time

binary, call_file = sys.argv[1:3]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
rate = int(sys.argv[4]) if len(sys.argv) > 4 else 2_000_000
body = open(call_file, "rb").read()
first_byte_at = []


class Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if "webhook-logs" not in self.path:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        piece = rate // 20
        started = time.monotonic()
        first_byte_at.append(started)
        for sent in range(0, len(body), piece):
            self.wfile.write(body[sent : sent + piece])
            self.wfile.flush()
            # Paced from the start, so the rate holds whatever each write costs.
            delay = started + (sent + piece) / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_address[1]}"
firsts = []
for _ in range(runs):
    first_byte_at.clear()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", BURKI_API_KEY="burki_bench_key")
        os.execve(binary, [binary, "1", "--base-url", base], env)
    seen, rows_at, frames, last_output = b"", None, 0, 0.0
    deadline = time.monotonic() + len(body) / rate + 20
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        now = time.monotonic()
        if ready:
            seen += os.read(fd, 1 << 16)
            arriving = first_byte_at and now < first_byte_at[0] + len(body) / rate
            if rows_at and arriving and now - last_output >= 0.02:
                frames += 1
            last_output = now
        if rows_at is None and b"deliveries" in seen:
            rows_at = now
        seen = seen[-4096:]
        if rows_at and first_byte_at and time.monotonic() > first_byte_at[0] + len(body) / rate + 1:
            break
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    os.close(fd)
    if rows_at is None or not first_byte_at:
        sys.exit("no rows were drawn")
    first = rows_at - first_byte_at[0]
    firsts.append(first)
    print(
        f"first rows {first * 1000:.0f} ms after the first byte; {frames} frames drawn while the rest arrived; "
        f"body of {len(body) / 1e6:.1f} MB took {len(body) / rate:.1f} s"
    )
print(f"median first rows {statistics.median(firsts) * 1000:.0f} ms after the first byte, over {runs} runs")
server.shutdown()
