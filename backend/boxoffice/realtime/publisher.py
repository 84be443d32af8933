"""What the rest of the application calls to tell live clients that something changed.

Every function here is a no-op when no publisher runs in the process, and a failure to publish is
logged, never raised: messages describe committed data and must not turn a committed request
into an error.

Two forms of each call, one line at the place of the change:

- ``announce_*(session, ...)`` sends after ``session``'s transaction commits (nothing on rollback);
  the values are taken at the call, as the transaction wrote them::

      realtime.announce_booking(session, booking, runtime=runtime)  # booking_status + sale
      realtime.announce_bookings(session, booking_ids)              # the same, read after commit
      realtime.announce_event_changed(session, event)               # event_changed + availability
      realtime.announce_checkin(session, event_id)                  # checkin (counts read at send time)
      realtime.announce_availability(session, event_id)

- ``await publish_*(...)`` sends now, for writes that are already committed (e.g. the autocommit
  hot booking path).

``runtime`` is optional: without it, the process's current runtime is used at send time.

Hooks in ``runtime.extras`` (async callables, present only while a publisher runs), for code that
should not import this package:

  ``availability_changed(event_id, ticket_type_ids)``   (bookings/service.py uses it)
  ``booking_changed(booking_id, user_id, event_id, status, quantity, total_minor, currency, organizer_id)``
  ``bookings_changed(booking_ids)``   (reads each booking after the commit; for bulk changes)
  ``event_changed(event_id, version, status)``
  ``checkin_changed(event_id)``

Availability and check-in counts are coalesced (see :class:`Publisher`); booking and event
messages are sent as they happen.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

import structlog
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice import runtime as runtime_module
from boxoffice.db import after_commit
from boxoffice.models import BookingStatus, EventStatus
from boxoffice.realtime import events as ev
from boxoffice.realtime.snapshot import booking_changes, checkin_counts, organizer_of, read_availability
from boxoffice.runtime import Runtime

log = structlog.get_logger(__name__)

PUBLISHER_KEY = "realtime.publisher"
SaleChange = Literal["status", "tickets_refunded"]  # see events.Sale.change
HOOK_AVAILABILITY = "availability_changed"
HOOK_BOOKING = "booking_changed"
HOOK_BOOKINGS = "bookings_changed"
HOOK_EVENT = "event_changed"
HOOK_CHECKIN = "checkin_changed"
HOOKS = (HOOK_AVAILABILITY, HOOK_BOOKING, HOOK_BOOKINGS, HOOK_EVENT, HOOK_CHECKIN)

# At most one availability message per event per window (per process): a hot drop of a thousand
# bookings a second becomes ~7 messages a second per event, each with the current numbers.
FLUSH_INTERVAL_SECONDS = 0.15


class Emitter(Protocol):
    async def emit(self, event: str, data: dict[str, Any], *, room: str) -> None: ...


class _HasQuantity(Protocol):
    @property
    def quantity(self) -> int: ...


class BookingLike(Protocol):
    """A ``models.Booking`` (items loaded) or a ``bookings.schemas.BookingRead``."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def user_id(self) -> uuid.UUID: ...
    @property
    def event_id(self) -> uuid.UUID: ...
    @property
    def status(self) -> BookingStatus: ...
    @property
    def total_minor(self) -> int: ...
    @property
    def currency(self) -> str: ...
    @property
    def items(self) -> Sequence[_HasQuantity]: ...


class EventLike(Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def version(self) -> int: ...
    @property
    def status(self) -> EventStatus: ...


async def cancel_and_wait(task: asyncio.Task[Any], *, attempts: int = 50) -> None:
    """Cancel ``task`` and wait for it to end. Cancels again if needed: redis-py can swallow a
    cancellation that lands while a read is starting (seen with redis 8 on Python 3.11)."""
    for _ in range(attempts):
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=0.1)
        if done:
            if not task.cancelled() and task.exception() is not None:
                log.warning("task_failed", task=task.get_name(), error=repr(task.exception()))
            return
    log.warning("task_did_not_stop", task=task.get_name())


def _now() -> datetime:
    return datetime.now(UTC)


def _json(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


_AVAILABILITY, _CHECKIN = "availability", "checkin"


class Publisher:
    """Sends live messages for one process.

    Availability and check-in changes only mark the event dirty; a background flusher sends at
    most one message per event and kind per ``interval``, with the numbers read from the
    database at send time. A change marked after a read is sent by the next round, so clients
    always converge to the truth, however many changes a round covers."""

    def __init__(self, runtime: Runtime, emitter: Emitter, *, interval: float = FLUSH_INTERVAL_SECONDS) -> None:
        self.runtime = runtime
        self.emitter = emitter
        self.interval = interval
        self._dirty: dict[tuple[str, uuid.UUID], datetime] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._organizers: dict[uuid.UUID, uuid.UUID] = {}

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="boxoffice-realtime-flusher")
        self.runtime.extras[PUBLISHER_KEY] = self
        self.runtime.extras[HOOK_AVAILABILITY] = self.availability_changed
        self.runtime.extras[HOOK_BOOKING] = self.booking_changed
        self.runtime.extras[HOOK_BOOKINGS] = self.bookings_changed
        self.runtime.extras[HOOK_EVENT] = self.event_changed
        self.runtime.extras[HOOK_CHECKIN] = self.checkin_changed

    async def stop(self) -> None:
        for key in (PUBLISHER_KEY, *HOOKS):
            self.runtime.extras.pop(key, None)
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None

    # --- coalesced: availability and check-in counts -----------------------------------------

    async def availability_changed(self, event_id: uuid.UUID, ticket_type_ids: Iterable[uuid.UUID] = ()) -> None:
        """Mark ``event_id`` dirty (after the commit of the change). The whole event is sent, not
        only ``ticket_type_ids``: an event-wide capacity cap moves every type at once."""
        self._mark(_AVAILABILITY, event_id)

    async def checkin_changed(self, event_id: uuid.UUID) -> None:
        self._mark(_CHECKIN, event_id)

    def _mark(self, kind: str, event_id: uuid.UUID) -> None:
        self._dirty.setdefault((kind, event_id), _now())
        self._wake.set()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._dirty = self._dirty, {}
            try:
                await self.flush(batch)
            except Exception:
                log.exception("realtime_flush_failed", changes=len(batch))
                for key, changed_at in batch.items():  # retry next round: never lose the last change
                    self._dirty[key] = min(changed_at, self._dirty.get(key, changed_at))
                self._wake.set()
            await asyncio.sleep(self.interval)

    async def flush(self, batch: dict[tuple[str, uuid.UUID], datetime]) -> None:
        availability = {event_id: at for (kind, event_id), at in batch.items() if kind == _AVAILABILITY}
        if availability:
            found = await read_availability(self.runtime.sessionmaker, availability.keys())
            for event_id, (_, message) in found.items():
                message.changed_at = availability[event_id]
                await self.emitter.emit(ev.AVAILABILITY, _json(message), room=ev.event_room(event_id))
        checkins = [event_id for (kind, event_id) in batch if kind == _CHECKIN]
        if checkins:
            for event_id, (checked_in, sold) in (await checkin_counts(self.runtime.sessionmaker, checkins)).items():
                await self.checkin(event_id, checked_in, sold)

    # --- sent as they happen ---------------------------------------------------------------------

    async def booking_changed(
        self,
        booking_id: uuid.UUID,
        user_id: uuid.UUID,
        event_id: uuid.UUID,
        status: BookingStatus,
        quantity: int,
        total_minor: int,
        currency: str,
        organizer_id: uuid.UUID | None = None,
        change: SaleChange = "status",
    ) -> None:
        """``booking_status`` to the buyer and ``sale`` to the event's organizer."""
        at = _now()
        status_message = ev.BookingStatusChanged(booking_id=booking_id, event_id=event_id, status=status, at=at)
        await self.emitter.emit(ev.BOOKING_STATUS, _json(status_message), room=ev.user_room(user_id))
        organizer_id = organizer_id or await self._organizer(event_id)
        if organizer_id is None:
            return
        sale = ev.Sale(
            event_id=event_id,
            booking_id=booking_id,
            status=status,
            quantity=quantity,
            total_minor=total_minor,
            currency=currency,
            change=change,
            at=at,
        )
        await self.emitter.emit(ev.SALE, _json(sale), room=ev.organizer_room(organizer_id))

    async def bookings_changed(self, booking_ids: Iterable[uuid.UUID]) -> None:
        """``booking_changed`` for each booking, as committed (one query for all of them)."""
        ids = list(booking_ids)
        for args in await booking_changes(self.runtime.sessionmaker, ids) if ids else []:
            await self.booking_changed(*args)

    async def event_changed(self, event_id: uuid.UUID, version: int, status: EventStatus) -> None:
        """``event_changed`` to the organizer and the event's room; prices or capacities may have
        moved, so availability is refreshed too."""
        message = _json(ev.EventChanged(event_id=event_id, version=version, status=status, at=_now()))
        organizer_id = await self._organizer(event_id)
        if organizer_id is not None:
            await self.emitter.emit(ev.EVENT_CHANGED, message, room=ev.organizer_room(organizer_id))
        await self.emitter.emit(ev.EVENT_CHANGED, message, room=ev.event_room(event_id))
        self._mark(_AVAILABILITY, event_id)

    async def checkin(self, event_id: uuid.UUID, checked_in: int, sold: int) -> None:
        organizer_id = await self._organizer(event_id)
        if organizer_id is None:
            return
        message = ev.Checkin(event_id=event_id, checked_in=checked_in, sold=sold, at=_now())
        await self.emitter.emit(ev.CHECKIN, _json(message), room=ev.organizer_room(organizer_id))

    async def _organizer(self, event_id: uuid.UUID) -> uuid.UUID | None:
        """An event's organizer never changes, so it is cached for the life of the process."""
        found = self._organizers.get(event_id)
        if found is None:
            found = await organizer_of(self.runtime.sessionmaker, event_id)
            if found is not None:
                if len(self._organizers) > 50_000:
                    self._organizers.clear()
                self._organizers[event_id] = found
        return found


# --- the functions the rest of the app calls ------------------------------------------------------


def current(runtime: Runtime | None = None) -> Publisher | None:
    """The publisher of ``runtime`` (default: this process's runtime), if one runs."""
    if runtime is None:
        if not runtime_module.is_started():
            return None
        runtime = runtime_module.current()
    found = runtime.extras.get(PUBLISHER_KEY)
    return found if isinstance(found, Publisher) else None


async def _send(runtime: Runtime | None, hook_name: str, *args: Any) -> None:
    if runtime is None:
        if not runtime_module.is_started():
            return
        runtime = runtime_module.current()
    hook = runtime.extras.get(hook_name)
    if hook is None:
        return
    try:
        await hook(*args)
    except Exception:  # a live message never fails the change it describes
        log.exception("realtime_publish_failed", hook=hook_name)


def _after_commit(session: AsyncSession, runtime: Runtime | None, hook_name: str, *args: Any) -> None:
    async def send() -> None:
        await _send(runtime, hook_name, *args)

    after_commit(session, send)


def _booking_args(booking: BookingLike, organizer_id: uuid.UUID | None) -> tuple[Any, ...]:
    return (
        booking.id,
        booking.user_id,
        booking.event_id,
        BookingStatus(booking.status),
        sum(item.quantity for item in booking.items),
        booking.total_minor,
        booking.currency,
        organizer_id,
    )


def announce_availability(
    session: AsyncSession,
    event_id: uuid.UUID,
    ticket_type_ids: Iterable[uuid.UUID] = (),
    *,
    runtime: Runtime | None = None,
) -> None:
    _after_commit(session, runtime, HOOK_AVAILABILITY, event_id, list(ticket_type_ids))


def announce_booking(
    session: AsyncSession,
    booking: BookingLike,
    *,
    organizer_id: uuid.UUID | None = None,
    runtime: Runtime | None = None,
    change: SaleChange = "status",
) -> None:
    """``booking_status`` to the buyer and ``sale`` to the organizer, after commit. Call it where a
    booking is created or changes status (after setting the new status), or with
    ``change="tickets_refunded"`` where some of its tickets were refunded."""
    _after_commit(session, runtime, HOOK_BOOKING, *_booking_args(booking, organizer_id), change)


def announce_bookings(
    session: AsyncSession, booking_ids: Iterable[uuid.UUID], *, runtime: Runtime | None = None
) -> None:
    """Like :func:`announce_booking` for bookings changed in bulk (e.g. expired holds): each one is
    read after the commit."""
    _after_commit(session, runtime, HOOK_BOOKINGS, list(booking_ids))


def announce_event_changed(session: AsyncSession, event: EventLike, *, runtime: Runtime | None = None) -> None:
    """``event_changed`` (and fresh availability), after commit. Call it after the flush that
    bumped ``event.version``."""
    _after_commit(session, runtime, HOOK_EVENT, event.id, event.version, EventStatus(event.status))


def announce_checkin(session: AsyncSession, event_id: uuid.UUID, *, runtime: Runtime | None = None) -> None:
    """``checkin`` counts to the organizer, after commit (coalesced; counts read at send time)."""
    _after_commit(session, runtime, HOOK_CHECKIN, event_id)


async def publish_availability(
    event_id: uuid.UUID, ticket_type_ids: Iterable[uuid.UUID] = (), *, runtime: Runtime | None = None
) -> None:
    await _send(runtime, HOOK_AVAILABILITY, event_id, list(ticket_type_ids))


async def publish_booking(
    booking: BookingLike, *, organizer_id: uuid.UUID | None = None, runtime: Runtime | None = None
) -> None:
    await _send(runtime, HOOK_BOOKING, *_booking_args(booking, organizer_id))


async def publish_bookings(booking_ids: Iterable[uuid.UUID], *, runtime: Runtime | None = None) -> None:
    await _send(runtime, HOOK_BOOKINGS, list(booking_ids))


async def publish_event_changed(event: EventLike, *, runtime: Runtime | None = None) -> None:
    await _send(runtime, HOOK_EVENT, event.id, event.version, EventStatus(event.status))


async def publish_checkin(event_id: uuid.UUID, *, runtime: Runtime | None = None) -> None:
    await _send(runtime, HOOK_CHECKIN, event_id)
