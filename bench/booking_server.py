"""The API in a real HTTP server: gunicorn on 127.0.0.1, started and stopped by the bench.

Sync workers, as many as the hot-slot round has clients, so that all 32 requests of a round are
in the database at once, as they would be behind a load balancer with enough capacity; the kernel
hands each new connection to an idle worker, so the load spreads evenly over the processes. Each
worker keeps one database connection. The application is loaded once before the workers fork.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    workers: int


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _ready(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _wait_ready(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        if _ready(port):
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {READY_TIMEOUT:.0f} s; see {log}")


@contextmanager
def server_running(*, workers: int, log: Path) -> Iterator[Server]:
    """gunicorn serving the bench URLconf with the environment the bench set up (settings, keys)."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "api.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--preload",
        "--backlog=256",
        "--timeout=120",
        "--log-level=warning",
    ]
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "bench.settings"}
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        # The command line is the bench's own, not input: nothing reaches a shell.
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            _wait_ready(process, port, log)
            yield Server(host=HOST, port=port, workers=workers)
        finally:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
