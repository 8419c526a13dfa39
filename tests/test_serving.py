"""Serving: the gunicorn settings (read as the module gunicorn reads), a check that stops when
its client hangs up (a real socket, a real server), and the budget's watch that makes it stop."""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import socket
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import serve

from service import budget, pipeline
from service.http import create_app
from service.http.client import hung_up, watcher

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def load_conf(monkeypatch, **env: str):
    for name in [n for n in os.environ if n.startswith("TALLY_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("tally_gunicorn_conf", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_defaults(monkeypatch):
    conf = load_conf(monkeypatch)
    assert conf.worker_class == "sync" and conf.threads == 1
    assert conf.bind == "0.0.0.0:8080"
    assert (conf.timeout, conf.graceful_timeout) == (30, 20)
    assert (conf.max_requests, conf.max_requests_jitter) == (1000, 100)
    assert conf.max_rss_mb == 1024
    assert conf.preload_app is True


def test_gunicorn_from_the_environment(monkeypatch):
    conf = load_conf(
        monkeypatch,
        TALLY_BIND="unix:/tmp/x.sock",
        TALLY_THREADS="4",
        TALLY_TIMEOUT="12",
        TALLY_GRACEFUL_TIMEOUT="7",
        TALLY_MAX_REQUESTS="50",
        TALLY_MAX_REQUESTS_JITTER="5",
        TALLY_WORKER_MAX_RSS_MB="0",
    )
    assert conf.bind == "unix:/tmp/x.sock"
    assert (conf.worker_class, conf.threads) == ("gthread", 4)
    assert (conf.timeout, conf.graceful_timeout, conf.max_requests, conf.max_requests_jitter) == (12, 7, 50, 5)
    assert conf.max_rss_mb == 0


def worker() -> SimpleNamespace:
    return SimpleNamespace(alive=True, log=SimpleNamespace(info=lambda *a: None))


def test_a_worker_above_its_memory_cap_is_retired(monkeypatch):
    rss = load_conf(monkeypatch).rss_mb()
    assert 10 < rss < 100_000  # this process's resident memory, read from /proc
    small = load_conf(monkeypatch, TALLY_WORKER_MAX_RSS_MB="1")
    w = worker()
    small.post_request(w, None, {}, None)
    assert w.alive is False
    large = load_conf(monkeypatch, TALLY_WORKER_MAX_RSS_MB=str(int(rss) * 10))
    off = load_conf(monkeypatch, TALLY_WORKER_MAX_RSS_MB="0")
    for conf in (large, off):
        w = worker()
        conf.post_request(w, None, {}, None)
        assert w.alive is True


def test_hung_up_sees_a_closed_peer_and_not_pending_bytes():
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    server, _ = listener.accept()
    try:
        assert not hung_up(server)
        client.sendall(b"GET / HTTP/1.1\r\n")  # bytes waiting are not a hang-up
        time.sleep(0.05)
        assert not hung_up(server)
        assert server.recv(100)
        client.close()
        time.sleep(0.05)
        assert hung_up(server)
        assert watcher({"werkzeug.socket": server})() is True
        assert watcher({}) is None
    finally:
        server.close()
        listener.close()


def test_a_watched_check_stops_once_its_caller_has_gone():
    calls = []

    def gone() -> bool:
        calls.append(time.perf_counter())
        return len(calls) >= 3

    seen = 0
    with budget.watching(gone), pytest.raises(budget.OutOfTime):
        for _ in budget.paced(itertools.count()):  # no deadline: only the watch stops it
            seen += 1
            time.sleep(0.001)
    assert len(calls) == 3  # said gone, then never asked again
    assert all(b - a >= budget.GONE_EVERY * 0.9 for a, b in itertools.pairwise(calls))  # not at every item
    assert budget.abandoned() is False  # the watch ends with its block
    assert list(budget.paced(range(3))) == [0, 1, 2]


def test_a_check_stops_when_its_client_hangs_up(monkeypatch, capsys):
    """A real client sends a check and hangs up; the check, which would run for a minute, stops."""
    stopped = threading.Event()
    original = pipeline._check

    def endless(text, options, deadline):  # a stage that never ends but through its budget
        with budget.within(deadline):
            try:
                for _ in budget.paced(itertools.count()):
                    time.sleep(0.001)
            except budget.OutOfTime:
                stopped.set()
        return original(text, options, deadline)

    app = create_app({"TESTING": True, "TIME_BUDGET_MS": 60_000})
    monkeypatch.setattr(pipeline, "_check", endless)  # after the app's warm-up check
    for base in serve(app):
        host, port = base.removeprefix("http://").split(":")
        body = "2019年本年支出合计100万元。".encode()
        conn = socket.create_connection((host, int(port)))
        conn.sendall(
            b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + f"Content-Length: {len(body)}\r\nX-Request-Id: gone-1\r\n\r\n".encode()
            + body
        )
        time.sleep(0.3)
        assert not stopped.is_set()  # the check runs while its client waits
        hung_up_at = time.perf_counter()
        conn.close()
        assert stopped.wait(5), "the check went on after its client had gone"
        assert time.perf_counter() - hung_up_at < 2
        for _ in range(50):  # the request's log line: it ends, and says the client had gone
            lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if '"gone-1"' in x]
            if lines:
                break
            time.sleep(0.1)
        assert lines and lines[0]["client_gone"] is True and lines[0]["ms"] < 10_000
        assert isinstance(lines[0]["pid"], int)
