"""Soak test: minutes of mixed traffic against one API process, watching errors, latency and memory.

Run from the repo root:  cd backend && uv run python ../bench/soak.py --minutes 5   (quick: --minutes 0.5)

It creates a scratch database on the local PostgreSQL, migrates it, seeds ``--events`` published
events (a free and a paid ticket type each, capacity large enough not to sell out), ``--customers``
verified customers, their organizer and door staff with access tokens, and starts the real app (uvicorn, one
worker, demo payments settling at once, Redis ``redis://127.0.0.1:6379/11``, flushed) on a loopback
port. Then an open-loop client starts ``--rate`` scenarios per second (at most ``--max-in-flight``
at once), picked by weight:

  browse  the event list, then one event page
  book    hold seats and leave them pending
  pay     hold, start the demo payment, submit the card, confirm; the tickets join the door queue
  cancel  hold then cancel, or cancel a paid booking (refund)
  scan    door staff (``--scanners`` accounts and the organizer) check a queued ticket in

Figures (one JSON object on stdout): per-operation counts, unexpected answers and p50/p99 latency;
the overall error rate and p99; the API process's resident memory at start, after the warm-up and
at the end (plus samples every 10 s); and the database invariants at the end (never oversold, held
and sold seats match the bookings). Loopback only, bounded in time, drops its database and stops
its server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import psutil

REPO = Path(__file__).resolve().parents[1]
BACKEND = REPO / "backend"
sys.path.insert(0, str(BACKEND))

PG_SERVER = os.environ.get("BOXOFFICE_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BOXOFFICE_SOAK_REDIS_URL", "redis://127.0.0.1:6379/11")
# The scaffolding (free port, percentiles, scratch database, readiness) is hot_drop's.
from hot_drop import admin, free_port, migrate, percentile, wait_ready  # noqa: E402

SCENARIOS = {"browse": 40, "book": 15, "pay": 25, "cancel": 8, "scan": 12}
CARD = {"card_number": "4242424242424242"}


@dataclass
class World:
    events: list[tuple[str, str, str]]  # (event id, free ticket type, paid ticket type)
    customers: list[str]  # access tokens
    door: list[str]  # the organizer and door staff (one scanner each)


async def seed(db_url: str, events: int, customers: int, scanners: int, secret: str) -> World:
    from boxoffice.auth.tokens import issue_access_token

    conn = await asyncpg.connect(db_url)
    try:
        people = [
            (uuid.uuid4(), uuid.uuid4(), "organizer" if i == 0 else "customer") for i in range(1 + customers + scanners)
        ]
        await conn.executemany(
            "INSERT INTO users (id, email, full_name, role, is_active, email_verified_at) "
            "VALUES ($1, $2, 'Soak', $3, true, now())",
            [(u, f"soak-{i}@example.com", role) for i, (u, _, role) in enumerate(people)],
        )
        await conn.executemany(
            "INSERT INTO auth_sessions (id, user_id, device_label, user_agent, login_method, expires_at) "
            "VALUES ($1, $2, 'soak', 'soak', 'password', now() + interval '1 day')",
            [(s, u) for u, s, _ in people],
        )
        tokens = [
            issue_access_token(user_id=u, session_id=s, role=role, secret=secret, ttl_seconds=6 * 3600)[0]
            for u, s, role in people
        ]
        organizer = people[0][0]
        seeded = []
        for n in range(events):
            event, free, paid = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            starts = datetime.now(UTC) + timedelta(days=30 + n)
            await conn.execute(
                "INSERT INTO events (id, organizer_id, title, slug, summary, description_md, category, tags, "
                "starts_at, ends_at, timezone, status, visibility, currency, version, refund_until_hours) "
                "VALUES ($1, $2, $3, $4, 'A soak test event', '', 'music', '{}', $5, $6, 'UTC', 'published', "
                "'public', 'EUR', 1, 1)",
                event,
                organizer,
                f"Soak {n}",
                f"soak-{n}",
                starts,
                starts + timedelta(hours=3),
            )
            for tt, name, price, order in ((free, "Free", 0, 0), (paid, "Paid", 2500, 1)):
                await conn.execute(
                    "INSERT INTO ticket_types (id, event_id, name, description, price_minor, currency, capacity, "
                    "sold, held, min_per_order, max_per_order, sort_order, hidden, pricing_rules) VALUES "
                    "($1, $2, $3, '', $4, 'EUR', 1000000, 0, 0, 1, 10, $5, false, '[]')",
                    tt,
                    event,
                    name,
                    price,
                    order,
                )
            seeded.append((str(event), str(free), str(paid)))
            await conn.executemany(
                "INSERT INTO event_staff (id, event_id, user_id, granted_by) VALUES ($1, $2, $3, $4)",
                [(uuid.uuid4(), event, u, organizer) for u, _, _ in people[1 + customers :]],
            )
        return World(events=seeded, customers=tokens[1 : 1 + customers], door=[tokens[0], *tokens[1 + customers :]])
    finally:
        await conn.close()


INVARIANTS = {
    "oversold": "SELECT count(*) FROM ticket_types WHERE sold + held > capacity",
    "held_mismatch": "SELECT count(*) FROM ticket_types t WHERE t.held <> (SELECT coalesce(sum(i.quantity), 0) "
    "FROM booking_items i JOIN bookings b ON b.id = i.booking_id WHERE i.ticket_type_id = t.id "
    "AND b.status = 'pending_payment')",
    "sold_mismatch": "SELECT count(*) FROM ticket_types t WHERE t.sold <> (SELECT coalesce(sum(i.quantity), 0) "
    "FROM booking_items i JOIN bookings b ON b.id = i.booking_id WHERE i.ticket_type_id = t.id "
    "AND b.status = 'confirmed')",
}


async def integrity(db_url: str) -> dict[str, int]:
    conn = await asyncpg.connect(db_url)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            result = {name: int(await conn.fetchval(sql)) for name, sql in INVARIANTS.items()}
            result["bookings"] = int(await conn.fetchval("SELECT count(*) FROM bookings"))
            result["tickets_checked_in"] = int(
                await conn.fetchval("SELECT count(*) FROM tickets WHERE status = 'checked_in'")
            )
        return result
    finally:
        await conn.close()


@dataclass
class Stats:
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    unexpected: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    scenarios: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    door_queue: list[str] = field(default_factory=list)
    paid: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (token, booking, codes) confirmed


class Client:
    def __init__(self, http: aiohttp.ClientSession, base: str, stats: Stats) -> None:
        self.http, self.base, self.stats = http, base, stats

    async def call(
        self,
        op: str,
        method: str,
        path: str,
        token: str | None = None,
        body: Any = None,
        expect: tuple[int, ...] = (200,),
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        started = time.perf_counter()
        try:
            async with self.http.request(method, self.base + path, json=body, headers=headers) as response:
                payload = await response.read()
                status = response.status
        except (TimeoutError, aiohttp.ClientError) as exc:
            self.stats.latency[op].append(time.perf_counter() - started)
            self.stats.unexpected[op][type(exc).__name__] += 1
            return None
        self.stats.latency[op].append(time.perf_counter() - started)
        if status not in expect:
            self.stats.unexpected[op][str(status)] += 1
            return None
        return json.loads(payload) if payload else {}


async def scenario(kind: str, client: Client, world: World, rng: random.Random) -> None:
    token = rng.choice(world.customers)
    event, free, paid = rng.choice(world.events)
    if kind == "browse":
        await client.call("list_events", "GET", "/api/events?limit=20")
        await client.call("get_event", "GET", f"/api/events/{event}")
        return
    if kind == "scan":
        if client.stats.door_queue:
            code = client.stats.door_queue.pop(0)
            await client.call("validate", "POST", "/api/tickets/validate", rng.choice(world.door), {"code": code})
        else:
            await client.call("get_event", "GET", f"/api/events/{event}")
        return
    tier = free if kind == "book" and rng.random() < 0.5 else paid
    body = {"event_id": event, "items": [{"ticket_type_id": tier, "quantity": rng.randint(1, 3)}]}
    if kind == "cancel" and client.stats.paid and rng.random() < 0.3:
        owner, booking_id, codes = client.stats.paid.pop(rng.randrange(len(client.stats.paid)))
        # Its tickets are void from now on: nobody brings them to the door.
        client.stats.door_queue[:] = [c for c in client.stats.door_queue if c not in codes]
        await client.call("cancel_paid", "DELETE", f"/api/bookings/{booking_id}", owner)
        return
    booking = await client.call("book", "POST", "/api/bookings", token, body, expect=(201,))
    if booking is None or kind == "book":
        return
    booking_id = booking["id"]
    if kind == "cancel":
        await client.call("cancel", "DELETE", f"/api/bookings/{booking_id}", token)
        return
    started = await client.call("start_payment", "POST", f"/api/bookings/{booking_id}/payment", token, expect=(201,))
    if started is None:
        return
    card = await client.call("mock_card", "POST", f"/api/payments/{started['payment']['id']}/mock-card", token, CARD)
    if card is None:
        return
    if await client.call("confirm", "POST", f"/api/bookings/{booking_id}/confirm", token) is None:
        return
    tickets = await client.call("tickets", "GET", f"/api/bookings/{booking_id}/tickets", token)
    if tickets:
        codes = [t["code"] for t in tickets]
        client.stats.door_queue.extend(codes)
        client.stats.paid.append((token, booking_id, codes))


def rss_mb(process: psutil.Process) -> float:
    return round(process.memory_info().rss / 1024 / 1024, 1)


async def drive(
    base: str, world: World, process: psutil.Process, seconds: float, rate: float, max_in_flight: int, seed_value: int
) -> dict[str, Any]:
    stats = Stats()
    rng = random.Random(seed_value)
    kinds, weights = list(SCENARIOS), list(SCENARIOS.values())
    warmup = min(30.0, seconds * 0.2)
    memory: dict[str, Any] = {"start": rss_mb(process), "samples": []}
    in_flight = asyncio.Semaphore(max_in_flight)
    tasks: set[asyncio.Task[None]] = set()
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=max_in_flight), timeout=timeout) as http:
        client = Client(http, base, stats)

        async def run(kind: str) -> None:
            try:
                await scenario(kind, client, world, rng)
            finally:
                in_flight.release()

        started = time.monotonic()
        next_sample, launched = started + 10, 0
        while (now := time.monotonic()) < started + seconds:
            if "after_warmup" not in memory and now >= started + warmup:
                memory["after_warmup"] = rss_mb(process)
            if now >= next_sample:
                memory["samples"].append(rss_mb(process))
                next_sample += 10
            due = started + launched / rate
            if due > now:
                await asyncio.sleep(due - now)
            await in_flight.acquire()
            kind = rng.choices(kinds, weights)[0]
            stats.scenarios[kind] += 1
            task = asyncio.create_task(run(kind))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            launched += 1
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
    memory["end"] = rss_mb(process)
    memory.setdefault("after_warmup", memory["start"])
    memory["growth_after_warmup_mb"] = round(memory["end"] - memory["after_warmup"], 1)

    operations = {}
    all_latency: list[float] = []
    total_unexpected = 0
    for op, latencies in sorted(stats.latency.items()):
        unexpected = dict(stats.unexpected.get(op, {}))
        total_unexpected += sum(unexpected.values())
        all_latency += latencies
        operations[op] = {
            "count": len(latencies),
            "unexpected": unexpected,
            "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        }
    return {
        "seconds": round(elapsed, 1),
        "scenarios": dict(stats.scenarios),
        "scenarios_per_second": round(launched / elapsed, 1),
        "requests": len(all_latency),
        "requests_per_second": round(len(all_latency) / elapsed, 1),
        "error_rate": round(total_unexpected / len(all_latency), 5) if all_latency else None,
        "latency_ms": {
            "p50": round(percentile(all_latency, 0.5) * 1000, 1),
            "p99": round(percentile(all_latency, 0.99) * 1000, 1),
        },
        "operations": operations,
        "memory_rss_mb": memory,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=25.0, help="scenarios started per second")
    parser.add_argument("--max-in-flight", type=int, default=32)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--scanners", type=int, default=4, help="door staff accounts (plus the organizer)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not 0 < args.minutes <= 120:
        parser.error("--minutes must be in (0, 120]")

    db_name = f"boxoffice_soak_{os.getpid()}"
    db_url = PG_SERVER.rsplit("/", 1)[0] + f"/{db_name}"
    secret = "soak-secret-" + uuid.uuid4().hex
    await admin(f'CREATE DATABASE "{db_name}"')
    server: subprocess.Popen[bytes] | None = None
    try:
        migrate(db_url)
        world = await seed(db_url, args.events, args.customers, args.scanners, secret)
        import redis.asyncio as redis_asyncio

        r = redis_asyncio.Redis.from_url(REDIS_URL)
        await r.flushdb()
        await r.aclose()
        port = free_port()
        env = {
            **os.environ,
            "BOXOFFICE_ENV": "test",
            "BOXOFFICE_DATABASE_URL": db_url,
            "BOXOFFICE_REDIS_URL": REDIS_URL,
            "BOXOFFICE_JWT_SECRET": secret,
            "BOXOFFICE_LOG_LEVEL": "WARNING",
            "BOXOFFICE_JOB_BROKER": "memory",
            "BOXOFFICE_MOCK_PAYMENT_DELAY_SECONDS": "0",
            "BOXOFFICE_SEED_DEMO_ON_START": "false",
        }
        server = subprocess.Popen(
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
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        await wait_ready(base)
        process = psutil.Process(server.pid)
        result = await drive(base, world, process, args.minutes * 60, args.rate, args.max_in_flight, args.seed)
        server.terminate()
        server.wait(timeout=30)
        server = None
        checks = await integrity(db_url)
        print(
            json.dumps(
                {
                    "benchmark": "soak",
                    "minutes": args.minutes,
                    "rate": args.rate,
                    **result,
                    "integrity": checks,
                    "consistent": not any(checks[name] for name in INVARIANTS),
                    "cpu_count": os.cpu_count(),
                },
                indent=2,
            )
        )
    finally:
        if server is not None:
            server.kill()
        await admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
