#!/usr/bin/env python3
"""Time from launching the explorer to its first frame with data, in a 120x40 pseudo-terminal.

    python3 scripts/first_frame.py BINARY BASE_URL CALL_ID [RUNS]

Prints each run and the median. The frame counts once the header's "N deliveries" is drawn.
"""
import fcntl, os, pty, select, statistics, struct, sys, termios, time

binary, base_url, call_id = sys.argv[1:4]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 10
times = []
for _ in range(runs):
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        os.execve(binary, [binary, call_id, "--base-url", base_url], env)
    seen = b""
    while b"deliveries" not in seen:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            sys.exit("no data frame within 10 s")
        seen += os.read(fd, 1 << 16)
    times.append(time.monotonic() - started)
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    os.close(fd)
for t in times:
    print(f"first data frame after {t * 1000:.0f} ms")
print(f"median {statistics.median(times) * 1000:.0f} ms over {runs} runs")
