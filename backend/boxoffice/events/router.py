"""HTTP layer of the events API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Header, Path, Query, Response, UploadFile, status

from boxoffice.auth.dependencies import OptionalUser, OrganizerUser, Principal
from boxoffice.deps import SessionDep, SettingsDep
from boxoffice.errors import NotFound, error_responses
from boxoffice.events import repository, service
from boxoffice.events.cache import CatalogueCache, CatalogueCacheDep
from boxoffice.events.calendar import event_to_ics
from boxoffice.events.repository import ListingFilters
from boxoffice.events.schemas import (
    EventCancel,
    EventCreate,
    EventPage,
    EventRead,
    EventUpdate,
    ListingSort,
    MyEventPage,
    TicketTypeCreate,
    TicketTypeRead,
    TicketTypeUpdate,
)
from boxoffice.models.event import Event, EventStatus
from boxoffice.pagination import InvalidCursor, decode_cursor, encode_cursor
from boxoffice.storage import StorageDep

router = APIRouter(prefix="/events", tags=["events"])

JSON = "application/json"
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description="The ETag of the event as last read; a stale one gets 412"),
]
EventId = Annotated[uuid.UUID, Path(description="The event's id")]
EventRef = Annotated[str, Path(min_length=1, max_length=220, description="The event's id or slug")]


def _json(body: bytes, *, etag: str | None = None, status_code: int = 200) -> Response:
    headers = {"ETag": etag} if etag else None
    return Response(content=body, media_type=JSON, status_code=status_code, headers=headers)


def _naive_as_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _parse_cursor(cursor: str, sort: ListingSort) -> list[Any]:
    length = 4 if sort == ListingSort.PRICE else 3
    values = decode_cursor(cursor, length)
    if values[0] != sort.value:
        raise InvalidCursor("The cursor belongs to a different sort order; start again without it.")
    try:
        starts_at = datetime.fromisoformat(str(values[-2]))
        event_id = uuid.UUID(str(values[-1]))
        if sort == ListingSort.PRICE:
            if not isinstance(values[1], int) or isinstance(values[1], bool):
                raise ValueError("price key")
            return [values[1], starts_at, event_id]
    except (ValueError, TypeError) as exc:
        raise InvalidCursor("The cursor does not belong to this listing.") from exc
    if starts_at.tzinfo is None:
        raise InvalidCursor("The cursor does not belong to this listing.")
    return [starts_at, event_id]


def _cursor(sort: ListingSort, event: Event, price_key: int | None) -> str:
    keys: list[Any] = [sort.value]
    if sort == ListingSort.PRICE:
        keys.append(price_key)
    return encode_cursor([*keys, event.starts_at.isoformat(), str(event.id)])


@router.get(
    "",
    operation_id="events-list",
    response_model=EventPage,
    responses=error_responses(400, 422),
)
async def list_events(
    session: SessionDep,
    cache: CatalogueCacheDep,
    q: Annotated[str | None, Query(max_length=200, description="Full-text search")] = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
    city: Annotated[str | None, Query(max_length=120)] = None,
    tag: Annotated[str | None, Query(max_length=40)] = None,
    starts_after: Annotated[
        datetime | None,
        Query(description="Events starting at or after this instant (no offset: UTC). Default: not yet ended."),
    ] = None,
    starts_before: Annotated[
        datetime | None, Query(description="Events starting before this instant (no offset: UTC)")
    ] = None,
    price_max_minor: Annotated[
        int | None, Query(ge=0, description="Some visible ticket type costs at most this much right now")
    ] = None,
    # "true"/"false" rather than a boolean: query strings carry text, and the web app's typed query
    # helpers take strings and numbers.
    available_only: Annotated[
        Literal["true", "false"],
        Query(description="true: only events with seats left in a ticket type whose sales have not ended"),
    ] = "false",
    sort: Annotated[ListingSort, Query(description="date (soonest first), -date (latest first), price")] = (
        ListingSort.DATE
    ),
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
) -> Response:
    """Published public events. Cached briefly; every catalogue change is visible at once."""
    starts_after, starts_before = _naive_as_utc(starts_after), _naive_as_utc(starts_before)
    if starts_after is not None and starts_before is not None and starts_before <= starts_after:
        raise service.InvalidInput([("starts_before", "must be after starts_after")])
    after = _parse_cursor(cursor, sort) if cursor else None
    filters = ListingFilters(
        q=q or None,
        category=category or None,
        city=city or None,
        tag=tag or None,
        starts_after=starts_after,
        starts_before=starts_before,
        price_max_minor=price_max_minor,
        available_only=available_only == "true",
    )
    version = await cache.version()
    key = None
    if version is not None:
        key = CatalogueCache.key("list", version, {**filters.__dict__, "sort": sort, "cursor": cursor, "limit": limit})
        cached = await cache.get(key)
        if cached is not None:
            return _json(cached)

    now = service.utcnow()
    rows = await repository.list_public_events(session, filters, sort=sort, after=after, now=now, limit=limit + 1)
    page = rows[:limit]
    next_cursor = _cursor(sort, *page[-1]) if len(rows) > limit else None
    body = EventPage(items=[service.summarize(e, now=now) for e, _ in page], next_cursor=next_cursor)
    payload = body.model_dump_json().encode()
    if key is not None:
        await cache.put(key, payload)
    return _json(payload)


@router.post(
    "",
    operation_id="events-create",
    status_code=status.HTTP_201_CREATED,
    response_model=EventRead,
    responses=error_responses(401, 403, 409, 422),
)
async def create_event(
    data: EventCreate, session: SessionDep, principal: OrganizerUser, cache: CatalogueCacheDep, response: Response
) -> EventRead:
    """Create a draft event (organizers and admins), optionally with its ticket types."""
    now = service.utcnow()
    event = await service.create_event(session, cache, principal, data, now=now)
    response.headers["ETag"] = service.etag(event)
    response.headers["Location"] = f"/api/events/{event.id}"
    return service.to_detail(event, now=now, manager=True)


@router.get(
    "/my/events",
    operation_id="events-mine",
    response_model=MyEventPage,
    responses=error_responses(400, 401, 403, 422),
)
async def my_events(
    session: SessionDep,
    principal: OrganizerUser,
    status_filter: Annotated[EventStatus | None, Query(alias="status")] = None,
    sort: Annotated[Literal["date", "-date"], Query()] = "date",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
) -> MyEventPage:
    """The caller's own events in every status, drafts included."""
    listing_sort = ListingSort(sort)
    after = _parse_cursor(cursor, listing_sort) if cursor else None
    events = await repository.list_organizer_events(
        session,
        principal.id,
        status=status_filter,
        descending=listing_sort == ListingSort.DATE_DESC,
        after=after,
        limit=limit + 1,
    )
    now = service.utcnow()
    page = events[:limit]
    next_cursor = _cursor(listing_sort, page[-1], None) if len(events) > limit else None
    return MyEventPage(items=[service.summarize_for_organizer(e, now=now) for e in page], next_cursor=next_cursor)


@router.get(
    "/{id_or_slug}",
    operation_id="events-get",
    response_model=EventRead,
    responses=error_responses(401, 404, 422),
)
async def get_event(
    id_or_slug: EventRef, session: SessionDep, principal: OptionalUser, cache: CatalogueCacheDep
) -> Response:
    """One event by id or slug, with its ticket types and current prices. The ``ETag`` header is
    the version to send back as ``If-Match`` when editing. Drafts are visible to their organizer
    and admins only; unlisted events to anyone with the link."""
    event_id, slug = service.parse_reference(id_or_slug)
    version = None if principal is not None and principal.is_admin else await cache.version()
    key = None
    if version is not None:
        key = CatalogueCache.key("event", version, {"ref": str(event_id) if event_id else slug})
        cached = await cache.get(key)
        if cached is not None:
            meta, _, body = cached.partition(b"\n")
            organizer_id, tag = meta.decode().split(" ", 1)
            if principal is None or str(principal.id) != organizer_id:
                return _json(body, etag=tag)

    event = await service.get_readable_event(session, id_or_slug, principal)
    manager = service.can_manage(principal, event)
    tag = service.etag(event)
    body = service.to_detail(event, now=service.utcnow(), manager=manager).model_dump_json().encode()
    if key is not None and not manager and event.status != EventStatus.DRAFT:
        await cache.put(key, f"{event.organizer_id} {tag}\n".encode() + body)
    return _json(body, etag=tag)


async def _managed(session: SessionDep, event_id: uuid.UUID, principal: Principal) -> Event:
    return await service.get_managed_event(session, event_id, principal)


@router.put(
    "/{event_id}",
    operation_id="events-update",
    response_model=EventRead,
    responses=error_responses(401, 403, 404, 409, 412, 422, 428),
)
async def update_event(
    event_id: EventId,
    data: EventUpdate,
    session: SessionDep,
    principal: OrganizerUser,
    cache: CatalogueCacheDep,
    response: Response,
    if_match: IfMatch = None,
) -> EventRead:
    """Change an event (its organizer or an admin). Only the fields sent change. Requires
    ``If-Match``: 428 without it, 412 when someone else changed the event since it was read."""
    now = service.utcnow()
    event = await _managed(session, event_id, principal)
    event = await service.update_event(session, cache, event, data, if_match=if_match, now=now)
    response.headers["ETag"] = service.etag(event)
    return service.to_detail(event, now=now, manager=True)


@router.delete(
    "/{event_id}",
    operation_id="events-delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 409, 412, 422),
)
async def delete_event(
    event_id: EventId,
    session: SessionDep,
    principal: OrganizerUser,
    cache: CatalogueCacheDep,
    storage: StorageDep,
    if_match: IfMatch = None,
) -> Response:
    """Delete an event that has no sold or held tickets (409 otherwise: cancel it instead)."""
    event = await _managed(session, event_id, principal)
    await service.delete_event(session, cache, storage, event, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{event_id}/publish",
    operation_id="events-publish",
    response_model=EventRead,
    responses=error_responses(401, 403, 404, 409, 412, 422),
)
async def publish_event(
    event_id: EventId,
    session: SessionDep,
    principal: OrganizerUser,
    cache: CatalogueCacheDep,
    response: Response,
    if_match: IfMatch = None,
) -> EventRead:
    """Publish a draft: it needs a future start, a venue or online link, and a visible ticket type.
    Publishing a published event changes nothing."""
    now = service.utcnow()
    event = await _managed(session, event_id, principal)
    event = await service.publish_event(session, cache, event, if_match=if_match, now=now)
    response.headers["ETag"] = service.etag(event)
    return service.to_detail(event, now=now, manager=True)


@router.post(
    "/{event_id}/cancel",
    operation_id="events-cancel",
    response_model=EventRead,
    responses=error_responses(401, 403, 404, 409, 412, 422),
)
async def cancel_event(
    event_id: EventId,
    data: EventCancel,
    session: SessionDep,
    principal: OrganizerUser,
    cache: CatalogueCacheDep,
    response: Response,
    if_match: IfMatch = None,
) -> EventRead:
    """Cancel a published event that has not ended. It stays visible, marked cancelled, with the reason."""
    now = service.utcnow()
    event = await _managed(session, event_id, principal)
    event = await service.cancel_event(session, cache, event, reason=data.reason, if_match=if_match, now=now)
    response.headers["ETag"] = service.etag(event)
    return service.to_detail(event, now=now, manager=True)


@router.get(
    "/{id_or_slug}/calendar.ics",
    operation_id="events-calendar",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "iCalendar file"},
        **error_responses(401, 404, 422),
    },
)
async def event_calendar(
    id_or_slug: EventRef, session: SessionDep, principal: OptionalUser, settings: SettingsDep
) -> Response:
    """The event as an iCalendar (.ics) file for calendar apps."""
    event = await service.get_readable_event(session, id_or_slug, principal)
    return Response(
        content=event_to_ics(event, public_base_url=settings.public_base_url).encode(),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}.ics"'},
    )


@router.post(
    "/{event_id}/cover",
    operation_id="events-cover-upload",
    response_model=EventRead,
    responses=error_responses(401, 403, 404, 409, 412, 413, 415, 422),
)
async def upload_cover(
    event_id: EventId,
    file: Annotated[UploadFile, File(description="PNG, JPEG or WebP, at most 5 MB")],
    session: SessionDep,
    principal: OrganizerUser,
    cache: CatalogueCacheDep,
    storage: StorageDep,
    response: Response,
    if_match: IfMatch = None,
) -> EventRead:
    """Set or replace the event's cover image. The file type is checked from its content."""
    now = service.utcnow()
    event = await _managed(session, event_id, principal)
    data = await file.read(service.MAX_COVER_BYTES + 1)
    event = await service.set_cover(session, cache, storage, event, data, if_match=if_match, now=now)
    response.headers["ETag"] = service.etag(event)
    return service.to_detail(event, now=now, manager=True)


@router.get(
    "/{event_id}/cover",
    operation_id="events-cover",
    response_class=Response,
    responses={
        200: {"content": {"image/*": {"schema": {"type": "string", "format": "binary"}}}, "description": "The image"},
        **error_responses(404, 422),
    },
)
async def get_cover(event_id: EventId, session: SessionDep, storage: StorageDep) -> Response:
    """The cover image. Public by id (an ``<img>`` cannot send a token), drafts included."""
    event = await repository.get_event(session, event_id=event_id)
    stored = await storage.get(event.cover_image_path) if event is not None and event.cover_image_path else None
    if stored is None:
        raise NotFound("This event has no cover image.", code="cover_not_found")
    return Response(
        content=stored.data,
        media_type=stored.content_type,
        headers={"Cache-Control": "public, max-age=86400", "Content-Disposition": "inline"},
    )


@router.post(
    "/{event_id}/ticket-types",
    operation_id="events-ticket-types-create",
    status_code=status.HTTP_201_CREATED,
    response_model=TicketTypeRead,
    responses=error_responses(401, 403, 404, 409, 412, 422),
)
async def create_ticket_type(
    event_id: EventId,
    data: TicketTypeCreate,
    session: SessionDep,
    principal: OrganizerUser,
    cache: CatalogueCacheDep,
    response: Response,
    if_match: IfMatch = None,
) -> TicketTypeRead:
    """Add a ticket type. The response's ``ETag`` is the event's new version."""
    now = service.utcnow()
    event = await _managed(session, event_id, principal)
    ticket_type = await service.add_ticket_type(session, cache, event, data, if_match=if_match, now=now)
    response.headers["ETag"] = service.etag(event)
    return service.ticket_type_read(event, ticket_type, now=now, manager=True)


@router.put(
    "/{event_id}/ticket-types/{ticket_type_id}",
    operation_id="events-ticket-types-update",
    response_model=TicketTypeRead,
    responses=error_responses(401, 403, 404, 409, 412, 422, 428),
)
async def update_ticket_type(
    event_id: EventId,
    ticket_type_id: uuid.UUID,
    data: TicketTypeUpdate,
    session: SessionDep,
    principal: OrganizerUser,
    cache: CatalogueCacheDep,
    response: Response,
    if_match: IfMatch = None,
) -> TicketTypeRead:
    """Change a ticket type; only the fields sent change. Requires ``If-Match`` with the event's
    ETag (ticket types are part of the event's version). Capacity cannot go below sold + held."""
    now = service.utcnow()
    event = await _managed(session, event_id, principal)
    ticket_type = await service.update_ticket_type(
        session, cache, event, ticket_type_id, data, if_match=if_match, now=now
    )
    response.headers["ETag"] = service.etag(event)
    return service.ticket_type_read(event, ticket_type, now=now, manager=True)


@router.delete(
    "/{event_id}/ticket-types/{ticket_type_id}",
    operation_id="events-ticket-types-delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 409, 412, 422),
)
async def delete_ticket_type(
    event_id: EventId,
    ticket_type_id: uuid.UUID,
    session: SessionDep,
    principal: OrganizerUser,
    cache: CatalogueCacheDep,
    if_match: IfMatch = None,
) -> Response:
    """Delete a ticket type nobody has bought or is buying (409 otherwise: hide it instead)."""
    now = service.utcnow()
    event = await _managed(session, event_id, principal)
    await service.delete_ticket_type(session, cache, event, ticket_type_id, if_match=if_match, now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"ETag": service.etag(event)})
