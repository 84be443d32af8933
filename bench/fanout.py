"""Live-update fan-out benchmark: N Socket.IO clients watch one event while it sells.

Run from the repo root:  cd backend && uv run python ../bench/fanout.py [--clients 1000]
(or: cd backend && PYTHONPATH=.. uv run python -m bench.fanout)

It creates a scratch database on the local PostgreSQL, migrates it, seeds one published event and
a few buyers with access tokens, starts ``--replicas`` real app processes (uvicorn, one worker
each) on loopback ports sharing Redis (``redis://127.0.0.1:6379/14``, flushed) so that fan-out
crosses replicas the way it does in production, and connects ``--clients`` WebSocket clients
spread over the replicas, each joined to the event's room. Then it books ``--bookings`` tickets
on replica 0 at ``--rate`` per second (0: as fast as it can) and records every ``availability``
message each client receives.

The clients speak the Socket.IO v5 / Engine.IO v4 wire protocol directly over aiohttp
WebSockets (a python-socketio client per connection costs more CPU than the server under test).

Figures (one JSON object on stdout):
  delay_ms        commit -> delivery: from the commit of the oldest change a message covers
                  (``changed_at``) to its arrival at a client; includes the coalescing window
  fanout_ms       database read -> delivery (``at`` -> arrival): the cost of the fan-out alone
  msgs_per_second deliveries per second over the window in which messages arrived
  converged       clients whose last message equals the database's final count
Loopback only, bounded in time (--time-limit), drops its database and stops its servers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

REPO = Path(__file__).resolve().parents[1]
BACKEND = REPO / "backend"
sys.path.insert(0, str(BACKEND))

PG_SERVER = os.environ.get("BOXOFFICE_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BOXOFFICE_BENCH_FANOUT_REDIS_URL", "redis://127.0.0.1:6379/14")
CAPACITY = 1_000_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def spread(values: list[float]) -> dict[str, float]:
    return {"p50": percentile(values, 0.50), "p99": percentile(values, 0.99), "max": round(max(values, default=0), 1)}


async def admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_SERVER)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def migrate(db_url: str) -> None:
    env = {**os.environ, "BOXOFFICE_DATABASE_URL": db_url}
    subprocess.run(
        [sys.executable, "-m", "boxoffice.cli", "migrate"], cwd=BACKEND, env=env, check=True, capture_output=True
    )


async def seed(db_url: str, buyers: int, secret: str) -> tuple[str, str, list[str]]:
    from boxoffice.auth.tokens import issue_access_token

    conn = await asyncpg.connect(db_url)
    try:
        organizer, event, ticket_type = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        await conn.execute(
            "INSERT INTO users (id, email, full_name, role, is_active, email_verified_at) "
            "VALUES ($1, 'fanout-org@example.com', 'Bench Organizer', 'organizer', true, now())",
            organizer,
        )
        starts = datetime.now(UTC) + timedelta(days=30)
        await conn.execute(
            "INSERT INTO events (id, organizer_id, title, slug, summary, description_md, category, tags, starts_at, "
            "ends_at, timezone, status, visibility, currency, version) VALUES ($1, $2, 'Fan-out', 'fan-out', '', '', "
            "'music', '{}', $3, $4, 'UTC', 'published', 'public', 'EUR', 1)",
            event,
            organizer,
            starts,
            starts + timedelta(hours=3),
        )
        await conn.execute(
            "INSERT INTO ticket_types (id, event_id, name, description, price_minor, currency, capacity, sold, held, "
            "min_per_order, max_per_order, sort_order, hidden, pricing_rules) VALUES ($1, $2, 'GA', '', 4500, 'EUR', "
            "$3, 0, 0, 1, 10, 0, false, '[]')",
            ticket_type,
            event,
            CAPACITY,
        )
        users = [(uuid.uuid4(), uuid.uuid4()) for _ in range(buyers)]
        await conn.executemany(
            "INSERT INTO users (id, email, full_name, role, is_active, email_verified_at) "
            "VALUES ($1, $2, 'Buyer', 'customer', true, now())",
            [(u, f"fanout-buyer-{i}@example.com") for i, (u, _) in enumerate(users)],
        )
        await conn.executemany(
            "INSERT INTO auth_sessions (id, user_id, device_label, user_agent, login_method, expires_at) "
            "VALUES ($1, $2, 'bench', 'bench', 'password', now() + interval '1 day')",
            [(s, u) for u, s in users],
        )
        tokens = [
            issue_access_token(user_id=u, session_id=s, role="customer", secret=secret, ttl_seconds=3600)[0]
            for u, s in users
        ]
        return str(event), str(ticket_type), tokens
    finally:
        await conn.close()


async def remaining_in_db(db_url: str, ticket_type: str) -> int:
    conn = await asyncpg.connect(db_url)
    try:
        value = await conn.fetchval(
            "SELECT capacity - sold - held FROM ticket_types WHERE id = $1", uuid.UUID(ticket_type)
        )
        return int(value)
    finally:
        await conn.close()


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
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
            "--no-access-log",
        ],
        cwd=BACKEND,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_ready(base: str, within: float = 60) -> None:
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(f"{base}/health/ready") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{base} did not become ready")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)


def _timestamp(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


@dataclass
class Watcher:
    """One Socket.IO client on the event's room, speaking the wire protocol directly."""

    index: int
    delays: list[float] = field(default_factory=list)
    fanout: list[float] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)
    last_remaining: int | None = None
    messages: int = 0
    seen: list[tuple[float, int]] = field(default_factory=list)  # (arrival, remaining)
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self, http: aiohttp.ClientSession, base: str, event_id: str, stop: asyncio.Event) -> None:
        url = base.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        async with http.ws_connect(url, autoping=True, max_msg_size=0) as ws:
            opening = await ws.receive_str()
            if not opening.startswith("0"):
                raise RuntimeError(f"unexpected Engine.IO open packet {opening!r}")
            await ws.send_str("40")  # connect to namespace "/" (anonymous)
            connected = await ws.receive_str()
            if not connected.startswith("40"):
                raise RuntimeError(f"connection refused: {connected!r}")
            await ws.send_str("421" + json.dumps(["join_event", {"event_id": event_id}]))
            reading = asyncio.ensure_future(self._read(ws))
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
            for task in (reading, stopping):
                task.cancel()
            await ws.close()

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for frame in ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                break
            data: str = frame.data
            if data == "2":  # Engine.IO ping
                await ws.send_str("3")
            elif data.startswith("431"):
                ack = json.loads(data[3:])[0]
                if not ack.get("ok"):
                    raise RuntimeError(f"join_event refused: {ack}")
            elif data.startswith("42"):
                arrived = time.time()
                name, payload = json.loads(data[2:])
                if name != "availability":
                    continue
                self.last_remaining = payload["ticket_types"][0]["remaining"]
                if payload.get("changed_at") is None:  # the snapshot sent on joining
                    self.ready.set()
                    continue
                self.messages += 1
                self.arrivals.append(arrived)
                self.seen.append((arrived, self.last_remaining))
                self.delays.append((arrived - _timestamp(payload["changed_at"])) * 1000)
                self.fanout.append((arrived - _timestamp(payload["at"])) * 1000)


def per_booking_delays(watchers: list[Watcher], committed: list[float]) -> list[float]:
    """For each booking (in commit order) and each client: from the booking's HTTP response,
    which follows its commit, to the first message showing the seats it took."""
    delays: list[float] = []
    for watcher in watchers:
        position = 0
        for k, committed_at in enumerate(committed, start=1):
            target = CAPACITY - k
            while position < len(watcher.seen) and watcher.seen[position][1] > target:
                position += 1
            if position == len(watcher.seen):
                break
            delays.append(max(0.0, watcher.seen[position][0] - committed_at) * 1000)
    return delays


async def connect_all(
    http: aiohttp.ClientSession, bases: list[str], event_id: str, count: int, stop: asyncio.Event, within: float
) -> tuple[list[Watcher], list[asyncio.Task[None]]]:
    watchers = [Watcher(i) for i in range(count)]
    tasks: list[asyncio.Task[None]] = []
    gate = asyncio.Semaphore(64)  # handshakes in flight

    async def join(watcher: Watcher) -> None:
        async with gate:
            task = asyncio.ensure_future(watcher.run(http, bases[watcher.index % len(bases)], event_id, stop))
            tasks.append(task)
            ready = asyncio.ensure_future(watcher.ready.wait())
            await asyncio.wait({task, ready}, timeout=within, return_when=asyncio.FIRST_COMPLETED)
            ready.cancel()
            if not watcher.ready.is_set():
                raise RuntimeError(repr(task.exception()) if task.done() else "no snapshot in time")

    results = await asyncio.gather(*(join(w) for w in watchers), return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        print(f"warning: {len(failed)} clients did not join: {failed[0]!r}", file=sys.stderr)
    return [w for w in watchers if w.ready.is_set()], tasks


async def book(
    base: str, event_id: str, ticket_type: str, tokens: list[str], count: int, rate: float, budget: float
) -> dict[str, Any]:
    """Books ``count`` tickets, one per request; stops starting new ones after ``budget`` seconds."""
    body = {"event_id": event_id, "items": [{"ticket_type_id": ticket_type, "quantity": 1}]}
    created = failed = skipped = 0
    committed: list[float] = []
    gate = asyncio.Semaphore(32)
    started = time.monotonic()

    async def one(http: aiohttp.ClientSession, index: int) -> None:
        nonlocal created, failed, skipped
        if rate > 0:
            await asyncio.sleep(max(0.0, started + index / rate - time.monotonic()))
        async with gate:
            if time.monotonic() - started > budget:
                skipped += 1
                return
            headers = {"Authorization": f"Bearer {tokens[index % len(tokens)]}"}
            async with http.post(f"{base}/api/bookings", json=body, headers=headers) as response:
                await response.read()
                if response.status == 201:
                    committed.append(time.time())
                    created += 1
                else:
                    failed += 1

    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(one(http, i) for i in range(count)))
    elapsed = time.monotonic() - started
    return {
        "committed_at": sorted(committed),
        "created": created,
        "failed": failed,
        "not_sent_over_budget": skipped,
        "seconds": round(elapsed, 2),
        "per_second": round(created / elapsed, 1),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    db_name = f"boxoffice_bench_fanout_{os.getpid()}"
    db_url = PG_SERVER.rsplit("/", 1)[0] + f"/{db_name}"
    secret = "bench-secret-" + uuid.uuid4().hex
    await admin(f'CREATE DATABASE "{db_name}"')
    servers: list[subprocess.Popen[bytes]] = []
    stop = asyncio.Event()
    try:
        await asyncio.to_thread(migrate, db_url)
        event_id, ticket_type, tokens = await seed(db_url, args.buyers, secret)
        import redis.asyncio as redis_asyncio

        redis = redis_asyncio.Redis.from_url(REDIS_URL)
        await redis.flushdb()
        await redis.aclose()
        env = {
            **os.environ,
            "BOXOFFICE_DATABASE_URL": db_url,
            "BOXOFFICE_REDIS_URL": REDIS_URL,
            "BOXOFFICE_JWT_SECRET": secret,
            "BOXOFFICE_LOG_LEVEL": "WARNING",
            "BOXOFFICE_MAINTENANCE_INTERVAL_SECONDS": "0",
            "BOXOFFICE_JOB_BROKER": "memory",
            "BOXOFFICE_SEED_DEMO_ON_START": "false",
        }
        ports = [free_port() for _ in range(args.replicas)]
        servers = [start_server(port, env) for port in ports]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        await asyncio.gather(*(wait_ready(base) for base in bases))

        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as http:
            connecting = time.monotonic()
            watchers, tasks = await connect_all(http, bases, event_id, args.clients, stop, within=30)
            connect_seconds = time.monotonic() - connecting
            await asyncio.sleep(0.5)  # let joins settle
            cpu_before = [cpu_seconds(server.pid) for server in servers]
            own_before = time.process_time()
            booking = await book(bases[0], event_id, ticket_type, tokens, args.bookings, args.rate, budget=40)
            truth = await remaining_in_db(db_url, ticket_type)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and any(w.last_remaining != truth for w in watchers):
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)
            cpu = {
                "replicas": [round(cpu_seconds(s.pid) - b, 2) for s, b in zip(servers, cpu_before, strict=True)],
                "bench_client": round(time.process_time() - own_before, 2),
            }
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)

        committed = booking.pop("committed_at")
        delays = [d for w in watchers for d in w.delays]
        fanout = [d for w in watchers for d in w.fanout]
        arrivals = [a for w in watchers for a in w.arrivals]
        window = (max(arrivals) - min(arrivals)) if len(arrivals) > 1 else 0.0
        per_client = [w.messages for w in watchers]
        return {
            "benchmark": "fanout",
            "clients": args.clients,
            "connected": len(watchers),
            "replicas": args.replicas,
            "connect_seconds": round(connect_seconds, 2),
            "bookings": booking,
            "messages_delivered": len(delays),
            "msgs_per_second": round(len(delays) / window, 1) if window else None,
            "messages_per_client": {
                "min": min(per_client, default=0),
                "max": max(per_client, default=0),
                "mean": round(sum(per_client) / len(per_client), 1) if per_client else 0,
            },
            "delay_ms": spread(delays),
            "delay_per_booking_ms": spread(per_booking_delays(watchers, committed)),
            "fanout_ms": spread(fanout),
            "final_remaining": truth,
            "converged": sum(1 for w in watchers if w.last_remaining == truth),
            "cpu_seconds_during_bookings": cpu,
            "load_average_1m": round(os.getloadavg()[0], 2),
            "flush_interval_ms": 150,
            "cpu_count": os.cpu_count(),
        }
    finally:
        stop.set()
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        await admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--replicas", type=int, default=2, help="app processes sharing Redis; clients spread over them")
    parser.add_argument("--bookings", type=int, default=600)
    parser.add_argument("--rate", type=float, default=200.0, help="bookings per second (0: as fast as possible)")
    parser.add_argument("--buyers", type=int, default=50)
    parser.add_argument("--time-limit", type=float, default=110.0)
    args = parser.parse_args()
    try:
        result = await asyncio.wait_for(run(args), args.time_limit)
    except TimeoutError:
        result = {"benchmark": "fanout", "error": f"time limit of {args.time_limit}s reached", "clients": args.clients}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
