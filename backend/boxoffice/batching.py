"""Group commit: calls that arrive while earlier ones are in flight go out together.

A hot ticket drop sends hundreds of placements a second at one ticket type row. Sent one by one,
each waits for the row lock, its own round trip and its own commit (a WAL flush). ``GroupCommit``
lets at most ``max_in_flight`` sends run at a time; whatever is submitted meanwhile queues and
leaves in the next send, up to ``max_batch`` items. At low load every item goes out alone and at
once (no added latency); under load batches grow by themselves.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# One outcome per item, in order: a value, or the exception that item's caller should get.
SendBatch = Callable[[list[Item]], Awaitable[list[Result | BaseException]]]


class GroupCommit(Generic[Item, Result]):
    def __init__(self, send: SendBatch[Item, Result], *, max_in_flight: int, max_batch: int) -> None:
        self._send = send
        self._max_in_flight = max(1, max_in_flight)
        self._max_batch = max(1, max_batch)
        self._queue: deque[tuple[Item, asyncio.Future[Result]]] = deque()
        self._in_flight = 0
        self._senders: set[asyncio.Task[None]] = set()
        self.largest_batch = 0  # for tests and the benchmark: do batches form under load?

    async def submit(self, item: Item) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._in_flight < self._max_in_flight:
            self._in_flight += 1
            # Its own task, not the caller's: a caller that gives up must not strand the others.
            sender = asyncio.create_task(self._drain(), name="group-commit")
            self._senders.add(sender)
            sender.add_done_callback(self._senders.discard)
        return await future

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch: list[tuple[Item, asyncio.Future[Result]]] = []
                while self._queue and len(batch) < self._max_batch:
                    item, future = self._queue.popleft()
                    if not future.cancelled():  # its caller went away before it was sent
                        batch.append((item, future))
                if not batch:
                    continue
                self.largest_batch = max(self.largest_batch, len(batch))
                try:
                    outcomes = await self._send([item for item, _ in batch])
                except BaseException as exc:  # the whole send failed: every caller learns why
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    if isinstance(exc, asyncio.CancelledError):
                        raise
                    continue
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if future.done():
                        continue
                    if isinstance(outcome, BaseException):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
        finally:
            self._in_flight -= 1

    async def close(self) -> None:
        """Stop the senders (at shutdown, after requests drained)."""
        for sender in list(self._senders):
            sender.cancel()
        if self._senders:
            await asyncio.gather(*self._senders, return_exceptions=True)
