"""The Socket.IO server, mounted at ``/socket.io/`` on the API's own ASGI app.

Production (``BOXOFFICE_REDIS_URL`` set): a Redis manager (``AsyncRedisManager`` that batches bursts,
see redis_manager.py) fans every emit out through Redis pub/sub, so a change committed on any API
replica (or a worker) reaches the clients of every replica. Embedded mode: the in-process manager.
See realtime/events.py for the contract.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import socketio
import structlog
from sqlalchemy import text

from boxoffice.auth.dependencies import principal_from_token
from boxoffice.config import Settings
from boxoffice.errors import AppError
from boxoffice.models import EventStatus, Role
from boxoffice.realtime import events as ev
from boxoffice.realtime.publisher import Publisher, cancel_and_wait
from boxoffice.realtime.redis_manager import BatchingRedisManager
from boxoffice.realtime.snapshot import read_availability
from boxoffice.runtime import Runtime

log = structlog.get_logger(__name__)

MAX_EVENT_ROOMS = 20  # per connection: a page shows one event, a listing a handful
MAX_CLIENT_MESSAGE_BYTES = 16 * 1024  # clients only send small commands

_LIVE_SESSIONS = text(
    "SELECT s.id, u.role FROM auth_sessions s JOIN users u ON u.id = s.user_id "
    "WHERE s.id = ANY(:ids) AND s.revoked_at IS NULL AND s.expires_at > now() AND u.is_active"
)


def redis_channel(redis_url: str) -> str:
    """Pub/sub channels are global to a Redis server (not per database): name ours after the
    database so that deployments sharing a server with different databases do not cross-talk."""
    path = urlparse(redis_url).path.strip("/")
    return f"boxoffice:socketio:{path or '0'}"


def make_redis_manager(redis_url: str, *, write_only: bool = False) -> BatchingRedisManager:
    return BatchingRedisManager(
        redis_url,
        channel=redis_channel(redis_url),
        write_only=write_only,
        redis_options={"socket_connect_timeout": 2},
    )


async def close_redis_manager(manager: BatchingRedisManager) -> None:
    """Send what is still queued, stop the pub/sub listener and close its connections (the library
    offers no close())."""
    await manager.flush()
    listener: asyncio.Task[Any] | None = getattr(manager, "thread", None)
    if listener is not None:
        await cancel_and_wait(listener)
    for name in ("pubsub", "redis"):
        client = getattr(manager, name, None)
        if client is not None:
            with contextlib.suppress(Exception):
                await client.aclose()
    manager.connected = False  # the next publish reconnects


def _origin_checker(settings: Settings) -> Any:
    """Browsers send Origin on WebSocket handshakes: accept the configured web origins and the
    server's own origin (the web app is usually served by this very process)."""
    allowed = {o.rstrip("/") for o in settings.cors_origins}
    public = urlparse(settings.public_base_url)
    allowed.add(f"{public.scheme}://{public.netloc}")

    def check(origin: str | None, environ: dict[str, Any]) -> bool:
        if not origin:
            return True
        if origin.rstrip("/") in allowed:
            return True
        host = environ.get("HTTP_X_FORWARDED_HOST") or environ.get("HTTP_HOST")
        return bool(host) and urlparse(origin).netloc == str(host).split(",")[0].strip()

    return check


@dataclass
class _Client:
    user_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    role: Role | None = None
    event_rooms: set[str] = field(default_factory=set)


def _parse_uuid(data: Any, key: str) -> uuid.UUID | None:
    value = data.get(key) if isinstance(data, dict) else data
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _refused(message: str, code: str) -> Exception:
    """The client's ``connect_error`` gets ``{message, data: {code}}``."""
    error: Exception = socketio.exceptions.ConnectionRefusedError(message, {"code": code})
    return error


def _ack(ok: bool, *, room: str | None = None, code: str | None = None, message: str | None = None) -> dict[str, Any]:
    return ev.Ack(ok=ok, room=room, code=code, message=message).model_dump(exclude_none=True)


class RealtimeServer:
    """The Socket.IO server of one app, its ASGI endpoint, and (while the app runs) its publisher."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        manager = make_redis_manager(settings.redis_url) if settings.redis_url else None
        self.sio: Any = socketio.AsyncServer(
            async_mode="asgi",
            client_manager=manager,
            cors_allowed_origins=_origin_checker(settings),
            max_http_buffer_size=MAX_CLIENT_MESSAGE_BYTES,
            logger=False,
            engineio_logger=False,
        )
        # socketio_path=None: every request that reaches this app is Socket.IO (it is mounted).
        self.asgi_app: Any = socketio.ASGIApp(self.sio, socketio_path=None)
        self.runtime: Runtime | None = None
        self.publisher: Publisher | None = None
        self._clients: dict[str, _Client] = {}
        self._register()

    # --- lifecycle ---------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def running(self, runtime: Runtime) -> AsyncIterator[Publisher]:
        self.runtime = runtime
        if not self.sio.manager_initialized:  # start listening to the other replicas now
            self.sio.manager_initialized = True
            self.sio.manager.initialize()
        publisher = Publisher(runtime, _ServerEmitter(self.sio))
        publisher.start()
        self.publisher = publisher
        watcher = asyncio.create_task(self._watch_sessions(), name="realtime-session-watch")
        try:
            yield publisher
        finally:
            await cancel_and_wait(watcher)
            await publisher.stop()
            self.publisher = None
            await self.sio.shutdown()
            if self.settings.redis_url:
                await close_redis_manager(self.sio.manager)
            self.sio.manager_initialized = False  # a restarted lifespan starts listening again
            self.runtime = None

    # --- sessions end, connections follow ----------------------------------------------------

    async def _watch_sessions(self) -> None:
        interval = self.settings.realtime_session_check_seconds
        if interval <= 0:
            return
        while True:
            await asyncio.sleep(interval)
            try:
                await self.revalidate_sessions()
            except Exception:  # the database is down: try again next round, keep serving
                log.warning("realtime_session_check_failed", exc_info=True)

    async def revalidate_sessions(self) -> int:
        """Disconnect this process's connections whose session was revoked or expired, whose
        account was disabled, or whose role changed since they connected (one query for all).
        Token expiry alone does not end a connection: the session is what a user signs out of."""
        runtime = self._runtime()
        signed_in = {sid: client for sid, client in self._clients.items() if client.session_id is not None}
        if not signed_in:
            return 0
        async with runtime.sessionmaker() as session:
            rows = await session.execute(
                _LIVE_SESSIONS, {"ids": list({client.session_id for client in signed_in.values()})}
            )
            still_valid = {row.id: Role(row.role) for row in rows}
        ended = [sid for sid, client in signed_in.items() if still_valid.get(client.session_id) != client.role]
        for sid in ended:
            await self.sio.disconnect(sid)
        if ended:
            log.info("realtime_sessions_ended", connections=len(ended))
        return len(ended)

    # --- handlers ----------------------------------------------------------------------------

    def _register(self) -> None:
        sio = self.sio
        sio.on("connect", self._connect)
        sio.on("disconnect", self._disconnect)
        sio.on(ev.JOIN_EVENT, self._join_event)
        sio.on(ev.LEAVE_EVENT, self._leave_event)
        sio.on(ev.JOIN_ORGANIZER, self._join_organizer)
        sio.on(ev.LEAVE_ORGANIZER, self._leave_organizer)

    def _runtime(self) -> Runtime:
        if self.runtime is None:
            raise _refused("Starting up.", "unavailable")
        return self.runtime

    async def _connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        runtime = self._runtime()
        token = auth.get("token") if isinstance(auth, dict) else None
        client = _Client()
        if token is not None:
            if not isinstance(token, str) or not token:
                raise _refused("The access token is invalid.", "invalid_token")
            try:
                principal = await principal_from_token(token, runtime)
            except AppError as exc:
                raise _refused(exc.detail or exc.title, exc.code) from None
            except Exception:
                log.exception("realtime_connect_failed")
                raise _refused("Live updates are unavailable; try again shortly.", "unavailable") from None
            client = _Client(user_id=principal.id, session_id=principal.session_id, role=principal.role)
            await self.sio.enter_room(sid, ev.user_room(principal.id))
        self._clients[sid] = client

    async def _disconnect(self, sid: str, *args: Any) -> None:
        self._clients.pop(sid, None)

    async def _join_event(self, sid: str, data: Any = None) -> dict[str, Any]:
        client = self._clients.get(sid)
        event_id = _parse_uuid(data, "event_id")
        if client is None or event_id is None:
            return _ack(False, code="invalid_event_id", message="event_id must be a UUID.")
        room = ev.event_room(event_id)
        if room not in client.event_rooms and len(client.event_rooms) >= MAX_EVENT_ROOMS:
            return _ack(False, code="too_many_rooms", message=f"At most {MAX_EVENT_ROOMS} events per connection.")
        # Join first, then read: a change committed after the read is announced to the room, so
        # this client cannot miss it (and a reconnecting client converges at once).
        await self.sio.enter_room(sid, room)
        try:
            found = (await read_availability(self._runtime().sessionmaker, [event_id])).get(event_id)
        except Exception:
            log.exception("realtime_snapshot_failed", event_id=str(event_id))
            if room not in client.event_rooms:
                await self.sio.leave_room(sid, room)
            return _ack(False, code="unavailable", message="Live updates are unavailable; try again shortly.")
        if found is None or found[0] != EventStatus.PUBLISHED:
            if room not in client.event_rooms:
                await self.sio.leave_room(sid, room)
            return _ack(False, code="event_not_found", message="No such event on sale.")
        client.event_rooms.add(room)
        _, availability = found
        await self.sio.emit(
            ev.AVAILABILITY, availability.model_dump(mode="json"), to=sid, ignore_queue=True
        )  # this client is connected here: no need to go through Redis
        return _ack(True, room=room)

    async def _leave_event(self, sid: str, data: Any = None) -> dict[str, Any]:
        client = self._clients.get(sid)
        event_id = _parse_uuid(data, "event_id")
        if client is None or event_id is None:
            return _ack(False, code="invalid_event_id", message="event_id must be a UUID.")
        room = ev.event_room(event_id)
        client.event_rooms.discard(room)
        await self.sio.leave_room(sid, room)
        return _ack(True, room=room)

    def _organizer_room(self, client: _Client | None, data: Any) -> tuple[str | None, dict[str, Any] | None]:
        if client is None or client.user_id is None:
            return None, _ack(False, code="unauthorized", message="Sign in to follow an organizer's events.")
        wanted = client.user_id
        if (isinstance(data, dict) and data.get("organizer_id") is not None) or isinstance(data, str):
            parsed = _parse_uuid(data, "organizer_id")
            if parsed is None:
                return None, _ack(False, code="invalid_organizer_id", message="organizer_id must be a UUID.")
            wanted = parsed
        if client.role == Role.ADMIN or (client.role == Role.ORGANIZER and wanted == client.user_id):
            return ev.organizer_room(wanted), None
        return None, _ack(False, code="forbidden", message="You can only follow your own events.")

    async def _join_organizer(self, sid: str, data: Any = None) -> dict[str, Any]:
        room, refused = self._organizer_room(self._clients.get(sid), data)
        if room is None:
            return refused or _ack(False, code="forbidden")
        await self.sio.enter_room(sid, room)
        return _ack(True, room=room)

    async def _leave_organizer(self, sid: str, data: Any = None) -> dict[str, Any]:
        room, refused = self._organizer_room(self._clients.get(sid), data)
        if room is None:
            return refused or _ack(False, code="forbidden")
        await self.sio.leave_room(sid, room)
        return _ack(True, room=room)


class _ServerEmitter:
    def __init__(self, sio: Any) -> None:
        self.sio = sio

    async def emit(self, event: str, data: dict[str, Any], *, room: str) -> None:
        await self.sio.emit(event, data, room=room)


class ManagerEmitter:
    """Emits through a write-only Redis manager: for processes without a Socket.IO server
    (``boxoffice worker``), whose changes must still reach the API replicas' clients."""

    def __init__(self, manager: Any) -> None:
        self.manager = manager

    async def emit(self, event: str, data: dict[str, Any], *, room: str) -> None:
        await self.manager.emit(event, data, room=room, namespace="/")
