"""Live updates across replicas: two uvicorn processes share PostgreSQL and Redis, a Socket.IO
client on each; what one replica commits reaches the clients of the other."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import socketio
import uvicorn

from boxoffice.auth.tokens import issue_access_token
from boxoffice.bookings import service as bookings
from boxoffice.config import Settings
from boxoffice.db import unit_of_work
from boxoffice.main import create_app
from boxoffice.maintenance import run_once
from boxoffice.models import Event, EventStatus, Role, User
from boxoffice.realtime import (
    announce_booking,
    announce_bookings,
    announce_checkin,
    announce_event_changed,
    worker_publisher,
)
from boxoffice.realtime.publisher import FLUSH_INTERVAL_SECONDS
from boxoffice.runtime import Runtime
from tests.bookings.conftest import counters, sql
from tests.realtime.conftest import LiveClient, Replica, _free_port, token_of

Clients = Callable[[], Awaitable[LiveClient]]


@dataclass
class Person:
    user: User
    headers: dict[str, str]

    @property
    def token(self) -> str:
        return token_of(self.headers)


@pytest.fixture
def person(make_user: Any, token_for: Any) -> Callable[[Role], Awaitable[Person]]:
    async def _make(role: Role = Role.CUSTOMER) -> Person:
        user = await make_user(role)
        return Person(user, await token_for(user))

    return _make


def order(event: Event, quantity: int = 1) -> dict[str, Any]:
    return {
        "event_id": str(event.id),
        "items": [{"ticket_type_id": str(event.ticket_types[0].id), "quantity": quantity}],
    }


def remaining(message: dict[str, Any]) -> int:
    value: int = message["ticket_types"][0]["remaining"]
    return value


async def watch_event(client: LiveClient, url: str, event: Event, token: str | None = None) -> dict[str, Any]:
    """Connect, join the event's room, return the snapshot the server sends on joining."""
    await client.connect(url, token)
    ack = await client.call("join_event", {"event_id": str(event.id)})
    assert ack == {"ok": True, "room": f"event:{event.id}"}, ack
    return await client.wait_for("availability")


async def test_socket_io_is_served_by_the_api_app(client: httpx.AsyncClient) -> None:
    handshake = await client.get("/socket.io/?EIO=4&transport=polling")
    assert handshake.status_code == 200 and handshake.text.startswith('0{"sid":')
    same_site = await client.get(
        "/socket.io/?EIO=4&transport=polling", headers={"Origin": "http://localhost:5173"}
    )  # the configured web origin (Vite in development)
    assert same_site.status_code == 200
    foreign = await client.get("/socket.io/?EIO=4&transport=polling", headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 400


async def test_a_booking_on_one_replica_reaches_a_client_on_the_other(
    replicas: tuple[Replica, Replica], live_client: Clients, make_event: Any, person: Any
) -> None:
    replica_a, replica_b = replicas
    organizer, buyer = await person(Role.ORGANIZER), await person(Role.CUSTOMER)
    event = await make_event(organizer.user, tiers=[("General", 2500, 100)])
    watcher = await live_client()  # anonymous, on replica B
    snapshot = await watch_event(watcher, replica_b.url, event)
    assert remaining(snapshot) == 100 and snapshot["changed_at"] is None
    assert snapshot["ticket_types"][0]["price_minor"] == 2500 and snapshot["sold_out"] is False

    async with httpx.AsyncClient(base_url=replica_a.url) as http:
        booked = await http.post("/api/bookings", json=order(event, 2), headers=buyer.headers)
    assert booked.status_code == 201, booked.text
    update = await watcher.wait_for("availability", lambda m: remaining(m) == 98, timeout=5)
    assert update["event_id"] == str(event.id) and update["changed_at"] is not None
    assert update["remaining"] == 98


async def test_booking_status_sales_and_checkins_reach_the_buyer_and_the_organizer(
    replicas: tuple[Replica, Replica], live_client: Clients, make_event: Any, person: Any, runtime: Any
) -> None:
    """What the app announces through ``boxoffice.realtime`` (here from this test's process,
    through Redis) reaches the buyer's and the organizer's clients on the replicas."""
    replica_a, replica_b = replicas
    organizer, buyer = await person(Role.ORGANIZER), await person(Role.CUSTOMER)
    event = await make_event(organizer.user, tiers=[("Free entry", 0, 100)])
    buyer_client, organizer_client = await live_client(), await live_client()
    await buyer_client.connect(replica_b.url, buyer.token)
    await organizer_client.connect(replica_a.url, organizer.token)
    assert await organizer_client.call("join_organizer", {}) == {"ok": True, "room": f"organizer:{organizer.user.id}"}
    async with httpx.AsyncClient(base_url=replica_a.url) as http:
        booking_id = (await http.post("/api/bookings", json=order(event, 3), headers=buyer.headers)).json()["id"]
        confirmed = await http.post(f"/api/bookings/{booking_id}/confirm", headers=buyer.headers)
        assert confirmed.status_code == 200, confirmed.text

    async with unit_of_work(runtime.sessionmaker) as session:
        booking = await bookings.load(session, uuid.UUID(booking_id))
        assert booking is not None
        announce_booking(session, booking, runtime=runtime)
        announce_checkin(session, event.id, runtime=runtime)
    status = await buyer_client.wait_for("booking_status", lambda m: m["status"] == "confirmed")
    assert status["booking_id"] == booking_id and status["event_id"] == str(event.id)
    sale = await organizer_client.wait_for("sale", lambda m: m["status"] == "confirmed")
    assert sale == {**sale, "booking_id": booking_id, "quantity": 3, "total_minor": 0, "currency": "EUR"}
    checkin = await organizer_client.wait_for("checkin")
    assert checkin == {**checkin, "event_id": str(event.id), "checked_in": 0, "sold": 3}  # read at send time

    async with unit_of_work(runtime.sessionmaker) as session:
        row = await session.get(Event, event.id)
        assert row is not None
        row.title = "Renamed"
        await session.flush()
        announce_event_changed(session, row, runtime=runtime)
    changed = await organizer_client.wait_for("event_changed")
    assert changed == {**changed, "event_id": str(event.id), "version": 2, "status": "published"}

    before = len(buyer_client.received["booking_status"])
    with pytest.raises(RuntimeError):  # rolled back: nothing is sent
        async with unit_of_work(runtime.sessionmaker) as session:
            booking = await bookings.load(session, uuid.UUID(booking_id))
            assert booking is not None
            announce_booking(session, booking, runtime=runtime)
            raise RuntimeError("rollback")
    await asyncio.sleep(0.3)
    assert len(buyer_client.received["booking_status"]) == before


async def test_bad_tokens_are_refused_on_connect(
    replicas: tuple[Replica, Replica], live_client: Clients, person: Any, runtime: Any
) -> None:
    replica_a, _ = replicas
    buyer = await person(Role.CUSTOMER)
    expired, _ = issue_access_token(
        user_id=buyer.user.id,
        session_id=uuid.uuid4(),
        role="customer",
        secret=runtime.settings.jwt_secret,
        ttl_seconds=-10,
    )
    forged, _ = issue_access_token(
        user_id=buyer.user.id, session_id=uuid.uuid4(), role="admin", secret="x" * 40, ttl_seconds=300
    )
    revoked = await person(Role.CUSTOMER)
    await sql(runtime, "UPDATE auth_sessions SET revoked_at = now() WHERE user_id = :id", id=revoked.user.id)
    cases = {
        "not-a-jwt": "invalid_token",
        forged: "invalid_token",
        expired: "token_expired",
        revoked.token: "session_revoked",
        "": "invalid_token",
    }
    for token, code in cases.items():
        client = await live_client()
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(replica_a.url, token)
        assert client.refused is not None and client.refused["data"]["code"] == code, (token, client.refused)

    accepted = await live_client()
    await accepted.connect(replica_a.url, buyer.token)
    assert accepted.sio.connected


async def test_a_connection_ends_with_its_session(
    replicas: tuple[Replica, Replica], live_client: Clients, person: Any, runtime: Any
) -> None:
    """Signing out, a disabled account or a changed role ends the live connection on every replica
    (each re-checks its own connections); other connections stay."""
    replica_a, replica_b = replicas
    signed_out, disabled = await person(Role.CUSTOMER), await person(Role.CUSTOMER)
    demoted, staying = await person(Role.ORGANIZER), await person(Role.ORGANIZER)
    connections: dict[str, LiveClient] = {}
    for name, who, replica in (
        ("signed_out", signed_out, replica_a),
        ("disabled", disabled, replica_b),
        ("demoted", demoted, replica_b),
        ("staying", staying, replica_a),
    ):
        connections[name] = await live_client()
        await connections[name].connect(replica.url, who.token)
    assert (await connections["demoted"].call("join_organizer", {}))["ok"] is True

    await sql(runtime, "UPDATE auth_sessions SET revoked_at = now() WHERE user_id = :id", id=signed_out.user.id)
    await sql(runtime, "UPDATE users SET is_active = false WHERE id = :id", id=disabled.user.id)
    await sql(runtime, "UPDATE users SET role = 'customer' WHERE id = :id", id=demoted.user.id)
    ended = ("signed_out", "disabled", "demoted")
    deadline = asyncio.get_running_loop().time() + 10
    while any(connections[name].sio.connected for name in ended):
        assert asyncio.get_running_loop().time() < deadline, {n: c.sio.connected for n, c in connections.items()}
        await asyncio.sleep(0.1)
    assert connections["staying"].sio.connected
    assert (await connections["staying"].call("join_organizer", {}))["ok"] is True


async def test_rooms_are_open_only_to_those_allowed(
    replicas: tuple[Replica, Replica], live_client: Clients, make_event: Any, person: Any
) -> None:
    _, replica_b = replicas
    organizer, other_organizer = await person(Role.ORGANIZER), await person(Role.ORGANIZER)
    admin, customer = await person(Role.ADMIN), await person(Role.CUSTOMER)
    draft = await make_event(organizer.user, status=EventStatus.DRAFT)
    anonymous = await live_client()
    await anonymous.connect(replica_b.url)

    own_room = {"organizer_id": str(organizer.user.id)}
    assert (await anonymous.call("join_organizer", own_room))["code"] == "unauthorized"
    assert (await anonymous.call("join_event", {"event_id": str(draft.id)}))["code"] == "event_not_found"
    assert (await anonymous.call("join_event", {"event_id": str(uuid.uuid4())}))["code"] == "event_not_found"
    assert (await anonymous.call("join_event", {"event_id": "1; DROP TABLE"}))["code"] == "invalid_event_id"
    assert (await anonymous.call("join_event", None))["code"] == "invalid_event_id"
    assert anonymous.received["availability"] == []

    as_customer, as_other, as_admin = await live_client(), await live_client(), await live_client()
    await as_customer.connect(replica_b.url, customer.token)
    await as_other.connect(replica_b.url, other_organizer.token)
    await as_admin.connect(replica_b.url, admin.token)
    assert (await as_customer.call("join_organizer", {}))["code"] == "forbidden"
    assert (await as_other.call("join_organizer", own_room))["code"] == "forbidden"
    assert (await as_other.call("join_organizer", {"organizer_id": "nope"}))["code"] == "invalid_organizer_id"
    assert await as_admin.call("join_organizer", own_room) == {"ok": True, "room": f"organizer:{organizer.user.id}"}


async def test_a_burst_is_coalesced_and_converges_to_the_database(
    replicas: tuple[Replica, Replica], live_client: Clients, make_event: Any, person: Any, runtime: Any
) -> None:
    replica_a, replica_b = replicas
    organizer = await person(Role.ORGANIZER)
    buyers = [await person(Role.CUSTOMER) for _ in range(10)]
    event = await make_event(organizer.user, tiers=[("Drop", 1000, 200)])
    watcher = await live_client()
    await watch_event(watcher, replica_b.url, event)
    watcher.received["availability"].clear()
    watcher.arrived["availability"].clear()

    bursts = 50
    async with httpx.AsyncClient(base_url=replica_a.url, timeout=30) as http:
        responses = await asyncio.gather(
            *(http.post("/api/bookings", json=order(event), headers=buyers[i % 10].headers) for i in range(bursts))
        )
    assert [r.status_code for r in responses] == [201] * bursts
    truth = await counters(runtime, event.ticket_types[0].id)
    assert truth["held"] == bursts
    await watcher.wait_for("availability", lambda m: remaining(m) == 200 - bursts, timeout=5)
    await asyncio.sleep(0.5)  # anything still on its way arrives
    messages, arrived = watcher.received["availability"], watcher.arrived["availability"]
    # At most one message per flush interval (150 ms), however many bookings it covers.
    windows = (arrived[-1] - arrived[0]) / FLUSH_INTERVAL_SECONDS
    assert 1 <= len(messages) <= windows + 2 and len(messages) < bursts // 2, (len(messages), windows)
    assert remaining(messages[-1]) == truth["capacity"] - truth["held"] - truth["sold"]
    assert [remaining(m) for m in messages] == sorted((remaining(m) for m in messages), reverse=True)


async def test_embedded_mode_uses_the_in_process_manager(
    settings: Settings, live_client: Clients, make_event: Any, person: Any
) -> None:
    """No Redis: one process, in-process Socket.IO manager (and fakeredis)."""
    organizer, buyer = await person(Role.ORGANIZER), await person(Role.CUSTOMER)
    event = await make_event(organizer.user, tiers=[("General", 0, 10)])
    app = create_app(settings.model_copy(update={"redis_url": None}))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(500):
            if server.started:
                break
            await asyncio.sleep(0.02)
        url = f"http://127.0.0.1:{port}"
        assert app.state.realtime.sio.manager.__class__.__name__ == "AsyncManager"
        watcher = await live_client()
        assert remaining(await watch_event(watcher, url, event, buyer.token)) == 10
        async with httpx.AsyncClient(base_url=url) as http:
            assert (await http.post("/api/bookings", json=order(event, 4), headers=buyer.headers)).status_code == 201
        await watcher.wait_for("availability", lambda m: remaining(m) == 6)
        await watcher.close()
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, timeout=10)


async def test_a_reconnecting_client_gets_a_fresh_snapshot(
    replicas: tuple[Replica, Replica], live_client: Clients, make_event: Any, person: Any
) -> None:
    replica_a, replica_b = replicas
    organizer, buyer = await person(Role.ORGANIZER), await person(Role.CUSTOMER)
    event = await make_event(organizer.user, tiers=[("General", 2500, 10)])
    first = await live_client()
    assert remaining(await watch_event(first, replica_a.url, event)) == 10
    await first.close()
    async with httpx.AsyncClient(base_url=replica_a.url) as http:  # missed while away
        assert (await http.post("/api/bookings", json=order(event, 10), headers=buyer.headers)).status_code == 201
    again = await live_client()
    snapshot = await watch_event(again, replica_b.url, event)
    assert remaining(snapshot) == 0 and snapshot["sold_out"] is True
    assert snapshot["ticket_types"][0]["sales_status"] == "sold_out"


async def test_a_worker_process_reaches_clients_through_redis(
    replicas: tuple[Replica, Replica], live_client: Clients, make_event: Any, person: Any, settings: Settings
) -> None:
    """``boxoffice worker`` serves no sockets: its changes (here, expired holds) go out through a
    write-only Redis manager and reach the clients of the API replicas."""
    replica_a, replica_b = replicas
    organizer, buyer = await person(Role.ORGANIZER), await person(Role.CUSTOMER)
    event = await make_event(organizer.user, tiers=[("General", 2500, 10)])
    async with httpx.AsyncClient(base_url=replica_a.url) as http:
        assert (await http.post("/api/bookings", json=order(event, 4), headers=buyer.headers)).status_code == 201
    watcher, buyer_client = await live_client(), await live_client()
    assert remaining(await watch_event(watcher, replica_b.url, event)) == 6
    await buyer_client.connect(replica_a.url, buyer.token)

    worker_runtime = await Runtime.start(settings)
    try:
        async with worker_publisher(worker_runtime) as publisher:
            assert publisher is not None
            await sql(worker_runtime, "UPDATE bookings SET hold_expires_at = now() - interval '1 second'")
            assert (await run_once(worker_runtime))["expired_holds"] == 1
            await watcher.wait_for("availability", lambda m: remaining(m) == 10)
            # What the expiry sweep will announce once wired (announce_bookings): the buyer's status.
            async with unit_of_work(worker_runtime.sessionmaker) as session:
                (booking_id,) = [row.id for row in await sql(worker_runtime, "SELECT id FROM bookings")]
                announce_bookings(session, [booking_id], runtime=worker_runtime)
            status = await buyer_client.wait_for("booking_status", lambda m: m["status"] == "expired")
            assert status["booking_id"] == str(booking_id)
    finally:
        await worker_runtime.close()


async def test_a_burst_of_emits_travels_in_few_redis_messages_and_in_order(
    replicas: tuple[Replica, Replica], live_client: Clients, person: Any, settings: Settings
) -> None:
    """Emits made while a publish is in flight share one Redis message (BatchingRedisManager):
    the client still gets every message, in order; a lone emit keeps the library's own format."""
    import redis.asyncio as redis_asyncio

    from boxoffice.realtime.redis_manager import BATCH_METHOD
    from boxoffice.realtime.server import close_redis_manager, make_redis_manager, redis_channel

    replica_a, _ = replicas
    buyer = await person(Role.CUSTOMER)
    client = await live_client()
    await client.connect(replica_a.url, buyer.token)
    assert settings.redis_url
    spy = redis_asyncio.Redis.from_url(settings.redis_url)
    pubsub = spy.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(redis_channel(settings.redis_url))
    manager = make_redis_manager(settings.redis_url, write_only=True)
    room = f"user:{buyer.user.id}"
    try:
        await manager.emit("booking_status", {"n": -1}, room=room, namespace="/")
        await client.wait_for("booking_status", lambda m: m.get("n") == -1)
        await asyncio.gather(*(manager.emit("booking_status", {"n": n}, room=room, namespace="/") for n in range(200)))
        await client.wait_for("booking_status", lambda m: m.get("n") == 199)
        await manager.flush()
        seen: list[dict[str, Any]] = []
        quiet_until = asyncio.get_running_loop().time() + 0.5
        while asyncio.get_running_loop().time() < quiet_until:
            # None also stands for the (ignored) subscribe confirmation: read until 0.5 s of quiet.
            if (message := await pubsub.get_message(timeout=0.1)) is not None:
                seen.append(manager.json.loads(message["data"]))
                quiet_until = asyncio.get_running_loop().time() + 0.5
    finally:
        await close_redis_manager(manager)
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        await spy.aclose()
    assert [m["n"] for m in client.received["booking_status"]] == [-1, *range(200)]
    assert seen[0]["method"] == "emit" and seen[0]["data"] == [{"n": -1}]  # alone: the library's format
    assert 2 <= len(seen) <= 11, len(seen)  # 200 emits: the first goes alone, the rest wait for it
    assert all(m["method"] == BATCH_METHOD for m in seen[2:])
    assert sum(len(m["messages"]) if m["method"] == BATCH_METHOD else 1 for m in seen) == 201
