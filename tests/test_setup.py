"""The README's two commands, as make would run them on a fresh machine (dry runs: nothing is installed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def dry_run(target: str, *variables: str) -> str:
    """What `make TARGET` would run in a checkout without a venv (-B: every step, as on a new machine)."""
    out = subprocess.run(
        ["make", "-n", "-B", target, "VENV=/nonexistent/venv", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def test_make_run_installs_the_service_without_the_dev_extras_and_says_where_it_serves():
    commands = dry_run("run")
    assert "pip install -q -e ." in commands
    assert "[dev]" not in commands
    assert "http://127.0.0.1:8080" in commands
    assert "tally serve --host 127.0.0.1 --port 8080" in commands


def test_make_run_serves_where_host_and_port_say():
    commands = dry_run("run", "HOST=0.0.0.0", "PORT=9000")
    assert "http://0.0.0.0:9000" in commands
    assert "tally serve --host 0.0.0.0 --port 9000" in commands


def test_make_test_adds_the_dev_extras_and_runs_the_suite():
    commands = dry_run("test")
    assert "pip install -q -e '.[dev]'" in commands
    assert "ruff check service tests bench" in commands
    assert "-m pytest" in commands
