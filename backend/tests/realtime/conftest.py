"""Two real API replicas (uvicorn subprocesses) sharing the test database and Redis, and a
Socket.IO client that records what it receives."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import socketio

BACKEND_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Replica:
    url: str
    process: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start(port: int) -> subprocess.Popen[bytes]:
    # The environment carries conftest's settings: the test database, Redis db 15, memory jobs,
    # cheap Argon2, no maintenance loop.
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "boxoffice.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=BACKEND_DIR,
        # Sessions re-checked twice a second, so a revoked session's socket ends within the test.
        env={**os.environ, "BOXOFFICE_LOG_LEVEL": "WARNING", "BOXOFFICE_REALTIME_SESSION_CHECK_SECONDS": "0.5"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_ready(replica: Replica, deadline: float) -> None:
    while time.monotonic() < deadline:
        if replica.process.poll() is not None:
            err = replica.process.stderr.read().decode() if replica.process.stderr else ""
            raise RuntimeError(f"replica exited: {err[-3000:]}")
        try:
            if httpx.get(f"{replica.url}/health/live", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"replica {replica.url} did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    if process.stderr:
        process.stderr.close()


@pytest.fixture(scope="package")
def replicas(test_database: str) -> Iterator[tuple[Replica, Replica]]:
    """Replica A and replica B, started once for the package, always stopped."""
    started: list[Replica] = []
    try:
        for _ in range(2):
            port = _free_port()
            started.append(Replica(f"http://127.0.0.1:{port}", _start(port)))
        deadline = time.monotonic() + 90  # importing the app takes ~3 s of CPU each; more on a busy machine
        for replica in started:
            _wait_ready(replica, deadline)
        yield started[0], started[1]
    finally:
        for replica in started:
            _stop(replica.process)


class LiveClient:
    """A Socket.IO client (websocket transport) recording every message it receives."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.received: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.arrived: dict[str, list[float]] = defaultdict(list)  # time.monotonic() of each message
        self.refused: Any = None
        self.sio.on("*", self._record)
        self.sio.on("connect_error", self._refused)

    async def _record(self, event: str, data: Any) -> None:
        self.received[event].append(data)
        self.arrived[event].append(time.monotonic())

    async def _refused(self, data: Any) -> None:
        self.refused = data

    async def connect(self, base_url: str, token: str | None = None) -> None:
        await self.sio.connect(
            base_url,
            transports=["websocket"],
            socketio_path="socket.io",
            auth={"token": token} if token is not None else None,
            wait_timeout=5,
        )

    async def call(self, event: str, data: Any) -> dict[str, Any]:
        answer: dict[str, Any] = await self.sio.call(event, data, timeout=5)
        return answer

    async def wait_for(
        self, event: str, predicate: Callable[[dict[str, Any]], bool] = lambda _: True, timeout: float = 5.0
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.received[event]:
                if predicate(message):
                    return message
            await asyncio.sleep(0.01)
        raise AssertionError(f"no matching {event!r} within {timeout}s; got {self.received.get(event)}")

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


@pytest.fixture
async def live_client() -> AsyncIterator[Callable[[], Awaitable[LiveClient]]]:
    """Factory of clients, all disconnected at the end of the test."""
    made: list[LiveClient] = []

    async def _make() -> LiveClient:
        client = LiveClient()
        made.append(client)
        return client

    yield _make
    for client in made:
        await client.close()


def token_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")
