"""The Socket.IO contract: room names, the events the server emits, their payloads, and the
events a client may send.

Connecting (namespace ``/``, path ``/socket.io/``)::

    io(origin, { path: "/socket.io/", auth: { token: accessToken } })   // or no auth: anonymous

A bad, expired or revoked token is refused: ``connect_error`` with ``err.message`` and
``err.data.code``, the codes of the HTTP API (``invalid_token``, ``token_expired``,
``session_revoked``, ``account_disabled``). Refresh the token and connect again.
A signed-in connection lasts as long as its session: each API process re-checks its connections'
sessions every ``BOXOFFICE_REALTIME_SESSION_CHECK_SECONDS`` (30 s) and disconnects those signed out,
revoked, expired, disabled or whose role changed; the client then reconnects with a fresh token
(or anonymously). An anonymous connection may only join public event rooms. A signed-in user joins ``user:<id>``
automatically.

Client → server (every call answers with an acknowledgement, see :class:`Ack`):

``join_event`` ``{event_id}``
    Join ``event:<id>`` of a published event. The server then sends this client an
    ``availability`` snapshot read from the database, so a (re)connecting client converges at once.
``leave_event`` ``{event_id}``
``join_organizer`` ``{organizer_id?}``
    Organizers join their own room (``organizer_id`` omitted or their own id); admins any room.
``leave_organizer`` ``{organizer_id?}``

Server → client (payloads are the models below, serialised as JSON; times are ISO 8601 UTC):

``availability`` → ``event:<id>``  :class:`Availability`
    The event's visible ticket types with their current remaining seats and price. Changes are
    coalesced: at most one message per event per ~150 ms per API process, always read from the
    database at send time, so the last message equals the truth. Ignore a message whose ``at`` is
    older than the last one applied.
``booking_status`` → ``user:<id>``  :class:`BookingStatusChanged`
``sale`` → ``organizer:<id>``  :class:`Sale` — a booking of one of the organizer's events was
    created or changed status (pending_payment, confirmed, cancelled, expired), or some of its
    tickets were refunded (``change`` = ``tickets_refunded``).
``event_changed`` → ``organizer:<id>`` and ``event:<id>``  :class:`EventChanged` — refetch the
    event (its ``version`` is the ETag); a fresh ``availability`` follows.
``checkin`` → ``organizer:<id>``  :class:`Checkin` — door counts, coalesced like availability.

The payload models are also in the OpenAPI document (``components.schemas``; the top-level
``x-socketio-messages`` maps each event name to its schema), so the web app's types are generated.

Every message is sent only after the transaction that caused it committed. Messages are not
replayed: after a reconnect, join the rooms again (the server sends a fresh snapshot) and
refetch what the page shows over HTTP.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from fastapi import FastAPI
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from boxoffice.events.schemas import SalesStatus
from boxoffice.models import BookingStatus, EventStatus

# Server -> client event names.
AVAILABILITY = "availability"
BOOKING_STATUS = "booking_status"
SALE = "sale"
EVENT_CHANGED = "event_changed"
CHECKIN = "checkin"

# Client -> server event names.
JOIN_EVENT = "join_event"
LEAVE_EVENT = "leave_event"
JOIN_ORGANIZER = "join_organizer"
LEAVE_ORGANIZER = "leave_organizer"


def event_room(event_id: uuid.UUID) -> str:
    return f"event:{event_id}"


def user_room(user_id: uuid.UUID) -> str:
    return f"user:{user_id}"


def organizer_room(organizer_id: uuid.UUID) -> str:
    return f"organizer:{organizer_id}"


class TicketTypeAvailability(BaseModel):
    id: uuid.UUID
    remaining: int = Field(description="Seats left now (capped by the event's total capacity)")
    price_minor: int = Field(description="Current unit price in minor units (dynamic pricing applied)")
    sold_out: bool
    sales_status: SalesStatus


class Availability(BaseModel):
    event_id: uuid.UUID
    ticket_types: list[TicketTypeAvailability] = Field(description="Visible ticket types, in display order")
    remaining: int | None = Field(description="Seats left across visible ticket types; null when there are none")
    sold_out: bool
    currency: str
    at: datetime = Field(description="When the counters were read from the database")
    changed_at: datetime | None = Field(
        default=None,
        description="When the oldest change this message covers was committed; null for a join snapshot",
    )


class BookingStatusChanged(BaseModel):
    booking_id: uuid.UUID
    event_id: uuid.UUID
    status: BookingStatus
    at: datetime


class Sale(BaseModel):
    event_id: uuid.UUID
    booking_id: uuid.UUID
    status: BookingStatus
    # "status": the booking was created or changed status; "tickets_refunded": some of its tickets
    # were refunded and their seats are back on sale (the booking stays confirmed).
    change: Literal["status", "tickets_refunded"] = "status"
    quantity: int
    total_minor: int
    currency: str
    at: datetime


class EventChanged(BaseModel):
    event_id: uuid.UUID
    version: int
    status: EventStatus
    at: datetime


class Checkin(BaseModel):
    event_id: uuid.UUID
    checked_in: int
    sold: int
    at: datetime


class Ack(BaseModel):
    """The acknowledgement of every client -> server event."""

    ok: bool
    room: str | None = None
    code: str | None = None
    message: str | None = None


MESSAGES: dict[str, type[BaseModel]] = {
    AVAILABILITY: Availability,
    BOOKING_STATUS: BookingStatusChanged,
    SALE: Sale,
    EVENT_CHANGED: EventChanged,
    CHECKIN: Checkin,
}


def message_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of the server -> client payloads (for documentation and client type generation)."""
    return {name: model.model_json_schema() for name, model in MESSAGES.items()}


def document_messages(app: FastAPI) -> None:
    """Put the payload models into the app's OpenAPI document (``components.schemas``, plus an
    ``x-socketio-messages`` map of event name → schema), so the web app's types for socket messages
    are generated like the HTTP ones and `make openapi`'s drift check covers them too."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()
        if "x-socketio-messages" in document:  # FastAPI caches the document: add once
            return document
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        models: list[type[BaseModel]] = [*MESSAGES.values(), Ack]
        _, definitions = models_json_schema(
            [(model, "serialization") for model in models], ref_template="#/components/schemas/{model}"
        )
        for name, schema in definitions.get("$defs", {}).items():
            if name not in schemas:
                schemas[name] = schema
            elif schemas[name] != schema:  # e.g. an enum shared with the HTTP API must be the same
                raise RuntimeError(f"realtime message schema {name!r} differs from the HTTP schema of that name")
        document["x-socketio-messages"] = {
            event: {"$ref": f"#/components/schemas/{model.__name__}"} for event, model in MESSAGES.items()
        }
        return document

    app.openapi = openapi  # type: ignore[method-assign]
