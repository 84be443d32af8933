"""Socket.IO's Redis fan-out, sending many emits per Redis message when they come in bursts.

``socketio.AsyncRedisManager`` publishes every emit as its own Redis message, and every replica
(the sender included) receives and decodes every message. In a hot ticket drop each booking emits
two messages (``booking_status`` to the buyer, ``sale`` to the organizer): two Redis round trips
in the request and two decodes per replica, about a tenth of the booking request's CPU.

``BatchingRedisManager`` keeps the library's behaviour and wire format for a single message, and
groups the rest like a group commit: an emit queues its message and returns; one sender task
publishes whatever queued while the previous publish was in flight as one ``batch`` message. At
low load every message goes out alone at once; under load a round trip carries dozens. Order is
kept (one sender, FIFO). ``_publish`` and ``_listen`` are the library's documented extension
points for custom pub/sub backends.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import socketio
import structlog

log = structlog.get_logger(__name__)

BATCH_METHOD = "boxoffice_batch"
FLUSH_WAIT_SECONDS = 5.0


class BatchingRedisManager(socketio.AsyncRedisManager):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._outbox: list[dict[str, Any]] = []
        self._sender: asyncio.Task[None] | None = None

    async def _publish(self, data: dict[str, Any]) -> None:
        self._outbox.append(data)
        if self._sender is None or self._sender.done():
            self._sender = asyncio.create_task(self._send_outbox(), name="socketio-redis-publish")

    async def _send_outbox(self) -> None:
        while self._outbox:
            batch, self._outbox = self._outbox, []
            message = batch[0]
            if len(batch) > 1:
                message = {"method": BATCH_METHOD, "host_id": self.host_id, "messages": batch}
            try:
                # The library's publish: reconnects and retries once, then logs and gives up.
                await super()._publish(message)
            except Exception:
                log.exception("realtime_publish_failed", messages=len(batch))

    async def flush(self) -> None:
        """Wait until every queued message was handed to Redis (before shutting down); a Redis that
        does not answer delays shutdown by FLUSH_WAIT_SECONDS at most."""
        sender = self._sender
        if sender is not None and not sender.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(sender), FLUSH_WAIT_SECONDS)

    async def _listen(self) -> AsyncIterator[Any]:
        async for raw in super()._listen():
            try:
                data = self.json.loads(raw)
            except (ValueError, TypeError):
                continue  # not ours (the library ignores undecodable messages too)
            if not isinstance(data, dict) or data.get("method") != BATCH_METHOD:
                yield data
                continue
            own = data.get("host_id") == self.host_id
            for message in data.get("messages", []):
                # Our own emits were delivered locally when they were made; only acknowledgement
                # callbacks are addressed to the sender itself.
                if not own or message.get("method") == "callback":
                    yield message
