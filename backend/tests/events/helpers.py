"""Shared helpers for the events tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from boxoffice.db import unit_of_work
from boxoffice.errors import PROBLEM_MEDIA_TYPE
from boxoffice.events.cache import CatalogueCache
from boxoffice.models import Event, TicketType


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE), response.headers["content-type"]
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code, body
    return body


def field_messages(body: dict[str, Any]) -> dict[str, str]:
    return {e["field"]: e["message"] for e in body["errors"]}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def future(days: float = 30, hours: float = 0) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(days=days, hours=hours)


def event_payload(**overrides: Any) -> dict[str, Any]:
    starts = future(30)
    payload: dict[str, Any] = {
        "title": "Harbour Lights Concert",
        "summary": "Strings by the water.",
        "description_md": "An **open-air** evening.",
        "category": "music",
        "tags": ["classical", "outdoor"],
        "venue_name": "Harbour Stage",
        "address": "Quay 1",
        "city": "Hamburg",
        "country": "DE",
        "latitude": 53.54,
        "longitude": 9.98,
        "timezone": "Europe/Berlin",
        "starts_at": iso(starts),
        "ends_at": iso(starts + timedelta(hours=3)),
        "currency": "EUR",
        "ticket_types": [{"name": "Standard", "price_minor": 3000, "capacity": 100}],
    }
    payload.update(overrides)
    return payload


async def load_event(runtime: Any, event_id: uuid.UUID | str) -> Event | None:
    async with unit_of_work(runtime.sessionmaker) as session:
        event: Event | None = await session.scalar(
            select(Event).options(selectinload(Event.ticket_types)).where(Event.id == uuid.UUID(str(event_id)))
        )
        return event


def snapshot(event: Event | None) -> dict[str, Any] | None:
    """Every column of the event and its ticket types, to prove a rejected request changed nothing."""
    if event is None:
        return None
    columns = {c.key: getattr(event, c.key) for c in Event.__table__.columns if c.key != "search"}
    columns["ticket_types"] = sorted(
        ({c.key: getattr(t, c.key) for c in TicketType.__table__.columns} for t in event.ticket_types),
        key=lambda row: str(row["id"]),
    )
    return columns


async def set_counters(
    runtime: Any, ticket_type_id: uuid.UUID | str, *, sold: int = 0, held: int = 0, invalidate: bool = True
) -> None:
    """What bookings do to the inventory counters (the bookings module owns the real path). With
    ``invalidate`` it also invalidates the cached catalogue, as bookings do when availability changes
    state; without it, cached pages show the old numbers until their TTL runs out."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await session.execute(
            update(TicketType).where(TicketType.id == uuid.UUID(str(ticket_type_id))).values(sold=sold, held=held)
        )
        if invalidate:
            CatalogueCache(runtime.redis).bump_after_commit(session)
