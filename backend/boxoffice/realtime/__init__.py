"""Live updates over Socket.IO: seat availability, booking status and event changes.

- events.py     the contract: rooms, event names, payload models (read its docstring first)
- server.py     the Socket.IO server mounted at /socket.io/ (auth on connect, rooms)
- publisher.py  what the app calls after a commit; coalesces availability per event
- snapshot.py   availability read from the database (the same numbers as the event pages)

Wiring: ``create_app`` builds a :class:`RealtimeServer`, mounts ``server.asgi_app`` at
``/socket.io`` and runs ``server.running(runtime)`` in its lifespan. A process without a server
(``boxoffice worker``) runs :func:`worker_publisher` so that its changes (e.g. expired holds)
still reach clients through Redis.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from boxoffice.realtime.publisher import (
    Publisher,
    announce_availability,
    announce_booking,
    announce_bookings,
    announce_checkin,
    announce_event_changed,
    publish_availability,
    publish_booking,
    publish_bookings,
    publish_checkin,
    publish_event_changed,
)
from boxoffice.realtime.server import ManagerEmitter, RealtimeServer, close_redis_manager, make_redis_manager
from boxoffice.runtime import Runtime

__all__ = [
    "Publisher",
    "RealtimeServer",
    "announce_availability",
    "announce_booking",
    "announce_bookings",
    "announce_checkin",
    "announce_event_changed",
    "publish_availability",
    "publish_booking",
    "publish_bookings",
    "publish_checkin",
    "publish_event_changed",
    "worker_publisher",
]


@contextlib.asynccontextmanager
async def worker_publisher(runtime: Runtime) -> AsyncIterator[Publisher | None]:
    """Publish from a process that serves no sockets, through a write-only Redis manager. Without
    Redis (embedded mode) jobs run inside the API process, whose publisher already covers them."""
    if not runtime.settings.redis_url:
        yield None
        return
    manager = make_redis_manager(runtime.settings.redis_url, write_only=True)
    publisher = Publisher(runtime, ManagerEmitter(manager))
    publisher.start()
    try:
        yield publisher
    finally:
        await publisher.stop()
        await close_redis_manager(manager)
