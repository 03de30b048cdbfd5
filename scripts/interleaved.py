#!/usr/bin/env python3
"""Times commands in interleaved rounds, in a new random order each round, and prints each one's
median and quartiles. On a shared machine the load drifts over a run, and hyperfine times one
command after the other, so one of them can get a quiet minute and the other a busy one.
Interleaving gives both the same minutes.

    python3 scripts/interleaved.py ROUNDS NAME=COMMAND [NAME=COMMAND ...]

A command is split on spaces and run without a shell, with its output thrown away. The first
three rounds are a warm-up and are not counted. An example, with a call made and served as
bench-print.sh does it, on 127.0.0.1:8000:

    BURKI_API_KEY=k python3 scripts/interleaved.py 100 \\
      'curl=curl -s -o /dev/null http://127.0.0.1:8000/api/v1/calls/1/webhook-logs' \\
      'hookscope=target/release/hookscope 1 --base-url http://127.0.0.1:8000 --print ndjson --failed'
"""
import random
import statistics
import subprocess
import sys
import time

WARM_UP_ROUNDS = 3


def main():
    rounds = int(sys.argv[1])
    commands = [argument.split("=", 1) for argument in sys.argv[2:]]
    times = {name: [] for name, _ in commands}
    for round_number in range(WARM_UP_ROUNDS + rounds):
        for name, command in random.sample(commands, len(commands)):
            start = time.perf_counter()
            subprocess.run(command.split(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            if round_number >= WARM_UP_ROUNDS:
                times[name].append((time.perf_counter() - start) * 1000)
    for name, samples in times.items():
        low, _, high = statistics.quantiles(samples, n=4)
        print(f"{name:12s} median {statistics.median(samples):6.2f} ms  p25 {low:6.2f}  p75 {high:6.2f}")


if __name__ == "__main__":
    main()
