"""Fault injection with real servers.

- Redis is killed in the middle of a sale (its own redis-server process): bookings go on under the
  database's guarantees or answer 503 problem+json, never 500, never oversell; confirmed bookings
  stay intact; when Redis comes back on the same port, normal service resumes.
- PostgreSQL drops every connection of the app mid-traffic (pg_terminate_backend): requests recover
  (pool_pre_ping), failures in between are 503 problem+json, and nothing is left half made.
- The API process is SIGKILLed during a burst of bookings and confirmations: the database holds no
  half-made state (every invariant between bookings, lines, counters and tickets holds).

(SMTP outages and a slow Stripe are covered in tests/tickets/test_email_and_cancellation.py and
tests/payments/test_breaker.py.)
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from boxoffice.config import Settings
from tests.bookings.conftest import book, counters, order
from tests.conftest import serve_app
from tests.fixtures.auth import Buyer
from tests.fixtures.stripe import _free_port
from tests.hardening.conftest import problem_violations
from tests.jobs_helpers import drain_jobs

BACKEND_DIR = Path(__file__).resolve().parents[2]
CARD = {"card_number": "4242424242424242"}

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")


# --- helpers --------------------------------------------------------------------------------------


class RedisProcess:
    """A private redis-server on a loopback port that a test may kill and restart."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with __import__("socket").create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=5)
        self.process = None


@pytest.fixture
def private_redis() -> Iterator[RedisProcess]:
    server = RedisProcess(_free_port())
    server.start()
    try:
        yield server
    finally:
        server.kill()


def assert_clean_failure(response: httpx.Response, allowed: set[int]) -> None:
    """A response during a fault is a success, an expected refusal, or a 503 problem."""
    assert response.status_code in allowed | {503}, (response.status_code, response.text)
    assert not problem_violations(response.status_code, response.headers.get("content-type", ""), response.content)


async def pay(http: httpx.AsyncClient, buyer: Buyer, booking_id: str) -> httpx.Response:
    """Demo payment: start, submit the test card, confirm. Returns the first failure or the confirmation."""
    started = await http.post(f"/api/bookings/{booking_id}/payment", headers=buyer.headers)
    if started.status_code != 201:
        return started
    card = await http.post(
        f"/api/payments/{started.json()['payment']['id']}/mock-card", json=CARD, headers=buyer.headers
    )
    if card.status_code != 200:
        return card
    return await http.post(f"/api/bookings/{booking_id}/confirm", headers=buyer.headers)


INVARIANTS = {
    "booking without lines": "SELECT count(*) FROM bookings b WHERE NOT EXISTS "
    "(SELECT 1 FROM booking_items i WHERE i.booking_id = b.id)",
    "held differs from pending lines": """
        SELECT count(*) FROM ticket_types t WHERE t.held <> (
            SELECT coalesce(sum(i.quantity), 0) FROM booking_items i JOIN bookings b ON b.id = i.booking_id
            WHERE i.ticket_type_id = t.id AND b.status = 'pending_payment')""",
    "sold differs from confirmed lines": """
        SELECT count(*) FROM ticket_types t WHERE t.sold <> (
            SELECT coalesce(sum(i.quantity), 0) FROM booking_items i JOIN bookings b ON b.id = i.booking_id
            WHERE i.ticket_type_id = t.id AND b.status = 'confirmed')""",
    "oversold": "SELECT count(*) FROM ticket_types WHERE sold + held > capacity",
    "ticket without a confirmed booking": "SELECT count(*) FROM tickets k JOIN bookings b ON b.id = k.booking_id "
    "WHERE b.status <> 'confirmed' AND k.status <> 'void'",
    "confirmed booking without all its tickets": """
        SELECT count(*) FROM bookings b WHERE b.status = 'confirmed' AND
            (SELECT coalesce(sum(quantity), 0) FROM booking_items WHERE booking_id = b.id)
            <> (SELECT count(*) FROM tickets WHERE booking_id = b.id AND status <> 'void')""",
    "succeeded payment of an unconfirmed booking": "SELECT count(*) FROM payments p JOIN bookings b ON "
    "b.id = p.booking_id WHERE p.status = 'succeeded' AND b.status = 'pending_payment'",
    "coupon uses differ from redemptions": """
        SELECT count(*) FROM coupons c WHERE c.used_count <> (
            SELECT count(*) FROM coupon_redemptions r WHERE r.coupon_id = c.id AND r.released_at IS NULL)""",
}


async def broken_invariants(database_url: str) -> dict[str, int]:
    """Every invariant checked in one consistent snapshot."""
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            found = {name: int(await conn.fetchval(query)) for name, query in INVARIANTS.items()}
    finally:
        await conn.close()
    return {name: n for name, n in found.items() if n}


async def test_the_invariant_checks_catch_half_made_state(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, make_buyers: Any, test_database: str
) -> None:
    """The control for the checks below: each kind of half-made state is reported."""
    event = await make_event(organizer.user, tiers=[("General", 2500, 10)])
    (buyer,) = await make_buyers(1)
    booking = await book(client, buyer, order(event, 2))
    assert booking.status_code == 201
    assert not await broken_invariants(test_database)
    conn = await asyncpg.connect(test_database)
    try:
        async with conn.transaction():
            await conn.execute("DELETE FROM booking_items")  # a booking without lines, seats still held
            assert set(await _broken(conn)) == {"booking without lines", "held differs from pending lines"}
            raise _Rollback
    except _Rollback:
        pass
    try:
        async with conn.transaction():
            await conn.execute("UPDATE bookings SET status = 'confirmed'")  # confirmed, but no sale, no tickets
            assert set(await _broken(conn)) == {
                "held differs from pending lines",
                "sold differs from confirmed lines",
                "confirmed booking without all its tickets",
            }
            raise _Rollback
    except _Rollback:
        pass
    finally:
        await conn.close()
    assert not await broken_invariants(test_database)


class _Rollback(Exception):
    pass


async def _broken(conn: asyncpg.Connection) -> list[str]:
    return [name for name, query in INVARIANTS.items() if int(await conn.fetchval(query))]


# --- Redis dies mid-sale --------------------------------------------------------------------------


async def test_redis_dies_mid_sale_and_comes_back(
    settings: Settings,
    private_redis: RedisProcess,
    make_event: Any,
    organizer: Buyer,
    make_buyers: Any,
    runtime: Any,
    test_database: str,
) -> None:
    capacity = 30
    event = await make_event(organizer.user, tiers=[("General", 2500, capacity), ("Later", 2500, 10)])
    tier = event.ticket_types[0].id
    buyers = await make_buyers(15)
    async with serve_app(settings, redis_url=private_redis.url) as (_, http):
        # Before: a normal sale. Eight holds, three of them paid.
        held = [await book(http, buyers[i], order(event, 2)) for i in range(8)]
        assert {r.status_code for r in held} == {201}
        confirmed = [r.json()["id"] for r in held[:3]]
        for i, booking_id in enumerate(confirmed):
            assert (await pay(http, buyers[i], booking_id)).status_code == 200
        await drain_jobs()
        assert (await http.get("/health/ready")).status_code == 200

        private_redis.kill()

        # During: the readiness probe says so; the sale goes on or fails closed, never 500.
        ready = await http.get("/health/ready")
        assert ready.status_code == 503 and ready.json()["checks"]["redis"]["status"] == "error"
        rush = await asyncio.gather(*(book(http, buyers[i % 15], order(event, 2)) for i in range(30)))
        outcomes = Counter(r.status_code for r in rush)
        for response in rush:
            assert_clean_failure(response, {201, 409})
        # Without the sold-out flags (and rate limits) in Redis the database alone decides: the
        # remaining seats sell, exactly, and the rest is refused.
        assert outcomes[201] == (capacity - 16) // 2, outcomes
        state = await counters(runtime, tier)
        assert state["sold"] + state["held"] == capacity, state
        paying = [await pay(http, buyers[i], held[i].json()["id"]) for i in (3, 4)]
        for response in paying:
            assert_clean_failure(response, {200})
        browse = await http.get(f"/api/events/{event.id}")
        assert_clean_failure(browse, {200})
        cancelled = await http.delete(f"/api/bookings/{held[5].json()['id']}", headers=buyers[5].headers)
        assert_clean_failure(cancelled, {200})
        assert not await broken_invariants(test_database)
        state = await counters(runtime, tier)
        assert state["sold"] + state["held"] <= capacity
        for i, booking_id in enumerate(confirmed):  # confirmed bookings are intact
            kept = await http.get(f"/api/bookings/{booking_id}", headers=buyers[i].headers)
            assert kept.status_code == 200 and kept.json()["status"] == "confirmed", kept.text

        # After: Redis returns on the same port; normal service resumes without a restart.
        private_redis.start()
        deadline = time.monotonic() + 15
        while (await http.get("/health/ready")).status_code != 200:
            assert time.monotonic() < deadline, "readiness did not recover"
            await asyncio.sleep(0.2)
        again = await book(http, buyers[14], order(event, 2, tier=1))
        assert again.status_code == 201, again.text
        assert (await pay(http, buyers[14], again.json()["id"])).status_code == 200
        await drain_jobs()
        assert not await broken_invariants(test_database)
    print(f"\nredis down: booking outcomes {dict(outcomes)}, payments {[r.status_code for r in paying]}")


# --- PostgreSQL drops the app's connections -------------------------------------------------------

TERMINATE = (
    "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()) AS killed"
)


async def test_database_connections_dropped_mid_traffic_recover(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, make_buyers: Any, test_database: str
) -> None:
    event = await make_event(organizer.user, tiers=[("General", 2500, 500)])
    buyers = await make_buyers(8)
    done = asyncio.Event()
    seen: list[httpx.Response] = []

    async def shopper(buyer: Buyer) -> None:
        while not done.is_set():
            for response in (
                await client.get(f"/api/events/{event.id}"),
                await book(client, buyer, order(event, 1)),
                await client.get("/api/bookings/my/bookings", headers=buyer.headers),
            ):
                seen.append(response)
            created = seen[-2]
            if created.status_code == 201 and len(seen) % 4 == 1:
                seen.append(await pay(client, buyer, created.json()["id"]))

    async def drop_connections() -> int:
        conn = await asyncpg.connect(test_database)
        killed = 0
        try:
            for _ in range(6):
                await asyncio.sleep(0.25)
                killed += int(await conn.fetchval(TERMINATE))
        finally:
            await conn.close()
            done.set()
        return killed

    killed, *_ = await asyncio.gather(drop_connections(), *(shopper(b) for b in buyers))
    assert isinstance(killed, int) and killed > 0
    statuses = Counter(r.status_code for r in seen)
    for response in seen:
        assert_clean_failure(response, {200, 201})
    # Recovery: stale pooled connections are replaced (pool_pre_ping); everything works again.
    for buyer in buyers:
        created = await book(client, buyer, order(event, 1))
        assert created.status_code == 201, created.text
        paid = await pay(client, buyer, created.json()["id"])
        assert paid.status_code == 200, paid.text
        assert (await client.get(f"/api/events/{event.id}")).status_code == 200
    await drain_jobs()
    assert not await broken_invariants(test_database)
    print(f"\npostgres drops: {killed} connections killed, statuses during {dict(statuses)}")


# --- the API process is SIGKILLed during a burst --------------------------------------------------


def start_api(port: int) -> subprocess.Popen[bytes]:
    """The real app in its own process, configured by conftest's environment (test database, Redis)."""
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
        cwd=BACKEND_DIR,
        env={**os.environ, "BOXOFFICE_LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_live(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient(base_url=base, timeout=1) as http:
        while time.monotonic() < deadline:
            assert process.poll() is None, "the API process exited"
            try:
                if (await http.get("/health/live")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the API process did not start")


async def test_sigkill_during_bookings_leaves_no_half_made_state(
    client: httpx.AsyncClient, make_event: Any, organizer: Buyer, make_buyers: Any, test_database: str
) -> None:
    event = await make_event(organizer.user, tiers=[("General", 2500, 120), ("Balcony", 4000, 60)])
    coupon = await client.post(
        "/api/coupons",
        headers=organizer.headers,
        json={"code": "KILLTEST", "event_id": str(event.id), "kind": "percent", "amount": 10, "usage_limit": 40},
    )
    assert coupon.status_code == 201, coupon.text
    buyers = await make_buyers(20)
    # Bookings whose card is in: the burst confirms them (seats to sold, tickets, mail: one transaction).
    to_confirm = []
    for buyer in buyers[:10]:
        created = await book(client, buyer, order(event, 2, tier=1))
        assert created.status_code == 201, created.text
        started = await client.post(f"/api/bookings/{created.json()['id']}/payment", headers=buyer.headers)
        card = await client.post(
            f"/api/payments/{started.json()['payment']['id']}/mock-card", json=CARD, headers=buyer.headers
        )
        assert card.status_code == 200, card.text
        to_confirm.append((buyer, created.json()["id"]))

    port = _free_port()
    api = start_api(port)
    answered: Counter[str] = Counter()
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_live(base, api)
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:

            async def one(i: int) -> None:
                buyer = buyers[i % len(buyers)]
                try:
                    if i < len(to_confirm):
                        who, booking_id = to_confirm[i]
                        response = await http.post(f"/api/bookings/{booking_id}/confirm", headers=who.headers)
                    else:
                        extra = {"coupon_code": "KILLTEST"} if i % 3 == 0 else {}
                        response = await http.post(
                            "/api/bookings", json=order(event, 1 + i % 3, tier=i % 2, **extra), headers=buyer.headers
                        )
                    answered[str(response.status_code)] += 1
                except httpx.TransportError:
                    answered["connection lost"] += 1

            async def killer() -> None:
                while sum(answered.values()) < 25:
                    await asyncio.sleep(0.005)
                api.send_signal(signal.SIGKILL)

            semaphore = asyncio.Semaphore(24)

            async def limited(i: int) -> None:
                async with semaphore:
                    await one(i)

            await asyncio.gather(killer(), *(limited(i) for i in range(300)))
    finally:
        if api.poll() is None:
            api.kill()
        api.wait(timeout=10)
    assert api.returncode == -signal.SIGKILL
    assert answered["connection lost"] > 0, answered  # the kill did land mid-burst
    assert answered["201"] + answered["200"] > 0, answered
    assert not await broken_invariants(test_database)
    print(f"\nsigkill: {dict(answered)}")
