"""Slow clients against a running Tally: ordinary throughput with and without them, and how the
ordinary requests spread over the workers.

    python3 bench/slow_clients.py --url http://127.0.0.1:8080 --slow 256 --clients 16 --seconds 30 \
        --logs "podman logs tally"

Three phases of ``--seconds`` each (without, with, without again): ``--clients`` ordinary clients,
each on one kept-alive connection (http.client, as a portal's pool would), POST a small report to
/v1/check one after another; in the second, ``--slow`` more clients send at a byte a second, half
of them their headers, half a body of 100 KB (one that is cut off, by a 408, connects again).
Prints each phase's answers a second and the ratio of the second to the mean of the others; with
``--logs`` (a command that prints the service's JSON log lines), the share of each worker (the
``pid`` of the log line of each request id sent) per phase. Exits 1 when the ratio is below
``--min-ratio`` or an ordinary request failed. Standard library only.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import http.client
import json
import multiprocessing
import shlex
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

SAMPLE = "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。".encode()


class Slow:
    """``count`` connections that each send one byte a second, for as long as they are kept, from
    a process of their own (so that they take no time from the ordinary clients' threads)."""

    def __init__(self, host: str, port: int, count: int) -> None:
        self.host, self.port, self.count = host, port, count
        self.socks: list[tuple[socket.socket, bool] | None] = [None] * count
        self.stop = multiprocessing.Event()
        self.cut = multiprocessing.Value("i", 0)
        self.process = multiprocessing.Process(target=self.run, daemon=True)

    @property
    def reconnects(self) -> int:
        return self.cut.value

    def open(self, i: int) -> None:
        header = i % 2 == 0  # even: slow headers; odd: a slow body
        sock = socket.create_connection((self.host, self.port), timeout=5)
        if header:
            sock.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        else:
            sock.sendall(
                b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain; charset=utf-8\r\n"
                b"Content-Length: 100000\r\n\r\n1"
            )
        self.socks[i] = (sock, header)

    def run(self) -> None:
        for i in range(self.count):
            self.open(i)
        while not self.stop.wait(1.0):
            for i, entry in enumerate(self.socks):
                try:
                    entry[0].sendall(b"a" if entry[1] else b"1")
                except OSError:
                    entry[0].close()
                    with self.cut.get_lock():
                        self.cut.value += 1
                    with contextlib.suppress(OSError):
                        self.open(i)

    def start(self) -> None:
        self.process.start()

    def close(self) -> None:
        self.stop.set()
        self.process.join(timeout=10)  # its sockets close with it


def ordinary(host: str, port: int, seconds: float, clients: int, prefix: str) -> dict:
    """``clients`` kept-alive clients checking SAMPLE for ``seconds``: answers, failures, connections."""
    until = time.monotonic() + seconds
    counts = collections.Counter()
    lock = threading.Lock()

    def client(k: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        n = 0
        local = collections.Counter(connections=1)
        while time.monotonic() < until:
            n += 1
            headers = {"Content-Type": "text/plain; charset=utf-8", "X-Request-Id": f"{prefix}-{k}-{n}"}
            try:
                conn.request("POST", "/v1/check", SAMPLE, headers)
                response = conn.getresponse()
                response.read()
                local["ok" if response.status == 200 else f"status {response.status}"] += 1
                if response.will_close:
                    conn.close()
                    local["connections"] += 1
            except (OSError, http.client.HTTPException):
                local["failed"] += 1
                conn.close()
                local["connections"] += 1
        conn.close()
        with lock:
            counts.update(local)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"seconds": round(elapsed, 1), "per_second": round(counts["ok"] / elapsed, 1), **counts}


def shares(logs: str, prefix: str) -> tuple[dict[str, float], float, float]:
    """Each worker's share of the requests whose id starts with ``prefix``, from the JSON log lines;
    then, second by second, the busiest worker's share, as the mean and the highest of the seconds
    (workers are recycled, so a pid's share of a whole run says less: with 2 workers, 0.5 is an even
    spread and 1.0 every request on one worker)."""
    pids = collections.Counter()
    seconds: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for line in logs.splitlines():
        if f'"{prefix}-' not in line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if str(record.get("request_id", "")).startswith(prefix + "-") and "pid" in record:
            pids[record["pid"]] += 1
            seconds[str(record.get("timestamp", ""))[:19]][record["pid"]] += 1
    total = sum(pids.values()) or 1
    busiest = [max(c.values()) / sum(c.values()) for c in seconds.values() if sum(c.values()) >= 10] or [0.0]
    return (
        {str(pid): round(n / total, 3) for pid, n in pids.most_common()},
        round(sum(busiest) / len(busiest), 3),
        round(max(busiest), 3),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--slow", type=int, default=256)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--logs", help="a command printing the service's log lines (podman logs NAME)")
    parser.add_argument("--min-ratio", type=float, default=0.8, help="with/without slow clients, at least")
    parser.add_argument("--prefix", default="", help="printed before every line")
    args = parser.parse_args()
    url = urllib.parse.urlsplit(args.url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    run = uuid.uuid4().hex[:8]
    say = lambda text: print(f"{args.prefix}{text}", flush=True)  # noqa: E731

    ordinary(host, port, 1, args.clients, f"warm-{run}")  # every worker and connection warmed
    without = ordinary(host, port, args.seconds, args.clients, f"plain-{run}")
    say(f"{args.clients} keep-alive clients, {args.seconds:g} s: {without}")
    slow = Slow(host, port, args.slow)
    slow.start()
    time.sleep(2)  # all of them connected and sending
    with_slow = ordinary(host, port, args.seconds, args.clients, f"slow-{run}")
    slow.close()
    bodies = args.slow - args.slow // 2
    say(
        f"the same with {args.slow} clients at 1 byte/s ({args.slow // 2} headers, {bodies} bodies; "
        f"{slow.reconnects} cut off and reconnected): {with_slow}"
    )
    # once more without: the machine's own load drifts, the slow phase is set against both
    after = ordinary(host, port, args.seconds, args.clients, f"after-{run}")
    say(f"and again without: {after}")
    base = (without["per_second"] + after["per_second"]) / 2
    ratio = with_slow["per_second"] / base if base else 0.0
    say(f"throughput with slow clients: {ratio:.0%} of without (at least {args.min_ratio:.0%} wanted)")
    if args.logs:
        time.sleep(0.5)
        logs = subprocess.run(shlex.split(args.logs), capture_output=True, text=True, check=False)
        text = logs.stdout + logs.stderr
        for phase in ("plain", "slow", "after"):
            by_pid, mean, worst = shares(text, f"{phase}-{run}")
            say(f"per-worker share ({phase}): {by_pid}; busiest worker's share of a second: mean {mean}, max {worst}")
    failed = sum(
        v for phase in (without, with_slow, after) for k, v in phase.items() if k == "failed" or k.startswith("status")
    )
    return 0 if ratio >= args.min_ratio and not failed and without.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
