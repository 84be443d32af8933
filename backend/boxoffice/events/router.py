"""HTTP layer of the events API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from boxoffice.deps import SessionDep
from boxoffice.errors import error_responses
from boxoffice.events import repository, service
from boxoffice.events.schemas import EventPage
from boxoffice.pagination import decode_cursor, encode_cursor

router = APIRouter(prefix="/events", tags=["events"])


@router.get("", operation_id="events-list", responses=error_responses(400))
async def list_events(
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200, description="Full-text search")] = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
    city: Annotated[str | None, Query(max_length=120)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
) -> EventPage:
    """Published public events, soonest first."""
    after = service.parse_after(decode_cursor(cursor, 2)) if cursor else None
    events = await repository.list_public_events(
        session, q=q, category=category, city=city, after=after, limit=limit + 1
    )
    page = events[:limit]
    next_cursor = None
    if len(events) > limit:
        last = page[-1]
        next_cursor = encode_cursor([last.starts_at.isoformat(), str(last.id)])
    return EventPage(items=[service.summarize(e) for e in page], next_cursor=next_cursor)
