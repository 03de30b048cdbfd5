#!/usr/bin/env python3
"""Time from launching the explorer to its first frame with data, in a 120x40 pseudo-terminal,
and its peak memory once the whole call is in.

    python3 scripts/first_frame.py BINARY BASE_URL CALL_ID [RUNS]

Prints each run and the medians. The frame counts once the header's "N deliveries" is drawn
(rows show while the body still arrives). The peak is the process's VmHWM once its resident
memory has held still for a second.
"""
import fcntl, os, pty, select, statistics, struct, sys, termios, time

binary, base_url, call_id = sys.argv[1:4]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 10
times, peaks = [], []
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
    last, still_since = None, time.monotonic()
    while time.monotonic() - still_since < 1:
        while select.select([fd], [], [], 0)[0]:
            os.read(fd, 1 << 16)
        status = open(f"/proc/{pid}/status").read()
        rss = int(status.split("VmRSS:")[1].split()[0])
        if rss != last:
            last, still_since = rss, time.monotonic()
        time.sleep(0.1)
    peaks.append(int(status.split("VmHWM:")[1].split()[0]) / 1024)
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    os.close(fd)
for t, peak in zip(times, peaks):
    print(f"first data frame after {t * 1000:.0f} ms; peak memory {peak:.1f} MiB")
print(f"median {statistics.median(times) * 1000:.0f} ms over {runs} runs; peak memory {statistics.median(peaks):.1f} MiB")
