"""Event rules: who sees and changes what, input checks beyond the schema, current prices and
availability, and the event lifecycle (draft -> published -> cancelled / completed)."""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid
import zoneinfo
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from boxoffice import realtime
from boxoffice.auth.dependencies import Principal, ensure_owner_or_admin
from boxoffice.bookings import inventory
from boxoffice.db import after_commit
from boxoffice.errors import AppError, Conflict, FieldError, NotFound, PreconditionFailed
from boxoffice.events import repository
from boxoffice.events.cache import CatalogueCache
from boxoffice.events.markdown import render_markdown
from boxoffice.events.pricing import (
    BoundsRule,
    DemandRule,
    TimeRule,
    check_rule_set,
    dump_rules,
    parse_rules,
    price_valid_until,
    quote_price,
)
from boxoffice.events.schemas import (
    EventCreate,
    EventRead,
    EventSummary,
    EventUpdate,
    MyEventSummary,
    SalesStatus,
    TicketTypeCreate,
    TicketTypeRead,
    TicketTypeUpdate,
)
from boxoffice.models.event import Event, EventStatus, TicketType
from boxoffice.storage import Storage

FEW_LEFT_THRESHOLD = 10  # the web app's "Few left" badge uses the same number
MAX_COVER_BYTES = 5 * 1024 * 1024

AnyRule = TimeRule | DemandRule | BoundsRule


class InvalidInput(AppError):
    """Request validation that needs more than the schema (timezones, related fields): 422 with
    the same shape as FastAPI's own validation errors."""

    status, code, title = 422, "validation_error", "Invalid request"

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        errors = [FieldError(field=field, message=message) for field, message in problems]
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors[:5]), errors=errors)


class PreconditionRequired(AppError):
    status, code, title = 428, "precondition_required", "Precondition required"


def utcnow() -> datetime:
    return datetime.now(UTC)


# --- time -----------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def load_timezone(name: str, field: str, problems: list[tuple[str, str]]) -> zoneinfo.ZoneInfo | None:
    if name not in _known_timezones():
        problems.append((field, f"unknown timezone {name!r}: use an IANA name such as Europe/Berlin"))
        return None
    return zoneinfo.ZoneInfo(name)


def _offset(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%z")[:3] + ":" + moment.astimezone(zone).strftime("%z")[3:]


def to_utc(
    value: datetime, zone: zoneinfo.ZoneInfo | None, field: str, problems: list[tuple[str, str]]
) -> datetime | None:
    """An aware value as UTC; a naive one read as a wall-clock time in ``zone``. Wall-clock times
    skipped or repeated by a DST change are refused rather than guessed."""
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(UTC)
    if zone is None:  # the timezone itself was invalid and is reported already
        return None
    candidates = set()
    for fold in (0, 1):
        instant = value.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == value:
            candidates.add(instant)
    local = value.isoformat(timespec="minutes")
    if not candidates:
        problems.append(
            (field, f"{local} does not exist in {zone.key}: the clocks skip it at a daylight-saving change")
        )
        return None
    if len(candidates) > 1:
        offsets = " or ".join(_offset(c, zone) for c in sorted(candidates))
        problems.append(
            (field, f"{local} happens twice in {zone.key} (daylight-saving change): add the UTC offset, {offsets}")
        )
        return None
    return candidates.pop()


# --- reading --------------------------------------------------------------------------------------


def can_manage(principal: Principal | None, event: Event) -> bool:
    return principal is not None and (principal.is_admin or principal.id == event.organizer_id)


def parse_reference(id_or_slug: str) -> tuple[uuid.UUID | None, str]:
    try:
        return uuid.UUID(id_or_slug), ""
    except ValueError:
        return None, id_or_slug.strip().lower()


async def get_readable_event(session: AsyncSession, id_or_slug: str, principal: Principal | None) -> Event:
    """Drafts exist only for their organizer and admins; everything else is readable by link
    (unlisted events are simply never listed)."""
    event_id, slug = parse_reference(id_or_slug)
    event = await repository.get_event(session, event_id=event_id, slug=slug or None)
    if event is None or (event.status == EventStatus.DRAFT and not can_manage(principal, event)):
        raise NotFound("No such event.", code="event_not_found")
    return event


async def get_managed_event(session: AsyncSession, event_id: uuid.UUID, principal: Principal) -> Event:
    event = await repository.get_event(session, event_id=event_id)
    if event is None:
        raise NotFound("No such event.", code="event_not_found")
    ensure_owner_or_admin(principal, event.organizer_id)
    return event


def quote_ticket_type(ticket_type: TicketType, *, now: datetime) -> int:
    """The price of one ticket of ``ticket_type`` right now: what listings show and what a booking
    should charge (and store)."""
    return quote_price(
        ticket_type.price_minor,
        parse_rules(ticket_type.pricing_rules),
        now=now,
        sold=ticket_type.sold,
        capacity=ticket_type.capacity,
    )


def event_capacity_left(event: Event) -> int | None:
    """Seats left under the event's optional cap across all ticket types."""
    if event.total_capacity is None:
        return None
    used = sum(t.sold + t.held for t in event.ticket_types)
    return max(event.total_capacity - used, 0)


def ticket_type_remaining(ticket_type: TicketType, capacity_left: int | None) -> int:
    remaining = ticket_type.remaining
    return remaining if capacity_left is None else min(remaining, capacity_left)


def sales_status(event: Event, ticket_type: TicketType, *, remaining: int, now: datetime) -> SalesStatus:
    if event.status in (EventStatus.CANCELLED, EventStatus.COMPLETED):
        return SalesStatus.ENDED
    if event.status != EventStatus.PUBLISHED:
        return SalesStatus.UNAVAILABLE
    if now >= event.ends_at or (ticket_type.sales_end is not None and now >= ticket_type.sales_end):
        return SalesStatus.ENDED
    if ticket_type.sales_start is not None and now < ticket_type.sales_start:
        return SalesStatus.SCHEDULED
    if remaining <= 0:
        return SalesStatus.SOLD_OUT
    return SalesStatus.ON_SALE


def _ordered(ticket_types: Iterable[TicketType]) -> list[TicketType]:
    return sorted(ticket_types, key=lambda t: (t.sort_order, t.name, str(t.id)))


def _visible(event: Event) -> list[TicketType]:
    return [t for t in _ordered(event.ticket_types) if not t.hidden]


def _availability(event: Event) -> tuple[int | None, bool, bool]:
    visible = _visible(event)
    if not visible:
        return None, False, False
    remaining = sum(t.remaining for t in visible)
    capacity_left = event_capacity_left(event)
    if capacity_left is not None:
        remaining = min(remaining, capacity_left)
    return remaining, remaining == 0, 0 < remaining <= FEW_LEFT_THRESHOLD


def _price_range(event: Event, now: datetime) -> tuple[int | None, int | None]:
    prices = [quote_ticket_type(t, now=now) for t in _visible(event)]
    return (min(prices), max(prices)) if prices else (None, None)


def cover_url(event: Event) -> str | None:
    if not event.cover_image_path:
        return None
    # The file name changes with every upload, so the URL does too and browsers may cache it.
    return f"/api/events/{event.id}/cover?v={PurePosixPath(event.cover_image_path).stem[:12]}"


def summarize(event: Event, *, now: datetime) -> EventSummary:
    remaining, sold_out, few_left = _availability(event)
    price_from, price_to = _price_range(event, now)
    return EventSummary(
        id=event.id,
        slug=event.slug,
        title=event.title,
        summary=event.summary,
        category=event.category,
        city=event.city,
        venue_name=event.venue_name,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        status=event.status,
        price_from_minor=price_from,
        price_to_minor=price_to,
        currency=event.currency,
        remaining=remaining,
        cover_image_url=cover_url(event),
        tags=list(event.tags),
        country=event.country,
        is_online=event.online_url is not None,
        sold_out=sold_out,
        few_left=few_left,
    )


def summarize_for_organizer(event: Event, *, now: datetime) -> MyEventSummary:
    capacity = sum(t.capacity for t in event.ticket_types)
    if event.total_capacity is not None:
        capacity = min(capacity, event.total_capacity)
    return MyEventSummary(
        **summarize(event, now=now).model_dump(),
        visibility=event.visibility,
        version=event.version,
        published_at=event.published_at,
        tickets_sold=sum(t.sold for t in event.ticket_types),
        tickets_held=sum(t.held for t in event.ticket_types),
        capacity=capacity,
    )


def ticket_type_read(event: Event, ticket_type: TicketType, *, now: datetime, manager: bool) -> TicketTypeRead:
    rules = parse_rules(ticket_type.pricing_rules)
    remaining = ticket_type_remaining(ticket_type, event_capacity_left(event))
    return TicketTypeRead(
        id=ticket_type.id,
        name=ticket_type.name,
        description=ticket_type.description,
        price_minor=quote_ticket_type(ticket_type, now=now),
        base_price_minor=ticket_type.price_minor,
        price_valid_until=price_valid_until(rules, now=now),
        currency=ticket_type.currency,
        capacity=ticket_type.capacity,
        remaining=remaining,
        sales_start=ticket_type.sales_start,
        sales_end=ticket_type.sales_end,
        sales_status=sales_status(event, ticket_type, remaining=remaining, now=now),
        min_per_order=ticket_type.min_per_order,
        max_per_order=ticket_type.max_per_order,
        sort_order=ticket_type.sort_order,
        hidden=ticket_type.hidden,
        sold=ticket_type.sold if manager else None,
        held=ticket_type.held if manager else None,
        pricing_rules=rules if manager else None,
    )


def to_detail(event: Event, *, now: datetime, manager: bool) -> EventRead:
    remaining, sold_out, few_left = _availability(event)
    price_from, price_to = _price_range(event, now)
    tiers = _ordered(event.ticket_types) if manager else _visible(event)
    return EventRead(
        id=event.id,
        slug=event.slug,
        organizer_id=event.organizer_id,
        title=event.title,
        summary=event.summary,
        description_md=event.description_md,
        description_html=render_markdown(event.description_md),
        category=event.category,
        tags=list(event.tags),
        venue_name=event.venue_name,
        address=event.address,
        city=event.city,
        country=event.country,
        latitude=event.latitude,
        longitude=event.longitude,
        online_url=event.online_url,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        status=event.status,
        visibility=event.visibility,
        currency=event.currency,
        total_capacity=event.total_capacity,
        refund_until_hours=event.refund_until_hours,
        cover_image_url=cover_url(event),
        price_from_minor=price_from,
        price_to_minor=price_to,
        remaining=remaining,
        sold_out=sold_out,
        few_left=few_left,
        published_at=event.published_at,
        cancelled_at=event.cancelled_at,
        cancelled_reason=event.cancelled_reason,
        version=event.version,
        created_at=event.created_at,
        updated_at=event.updated_at,
        can_manage=manager,
        ticket_types=[ticket_type_read(event, t, now=now, manager=manager) for t in tiers],
    )


# --- optimistic concurrency -----------------------------------------------------------------------


def etag(event: Event) -> str:
    return f'"{event.version}"'


def check_if_match(event: Event, if_match: str | None, *, required: bool) -> None:
    """``If-Match`` must name the event's current ETag (strong comparison, RFC 9110 13.1.1)."""
    if if_match is None or not if_match.strip():
        if required:
            raise PreconditionRequired(
                "Send If-Match with the ETag from your last read of this event, so that nobody's changes "
                "are overwritten unseen."
            )
        return
    tags = [tag.strip() for tag in if_match.split(",")]
    if "*" in tags or etag(event) in tags:
        return
    raise PreconditionFailed(
        "This event was changed since you loaded it. Reload it and apply your changes again.",
        headers={"ETag": etag(event)},
    )


# --- writing --------------------------------------------------------------------------------------


_NOT_NULLABLE_EVENT_FIELDS = {
    "title", "slug", "summary", "description_md", "category", "tags", "timezone", "starts_at", "ends_at",
    "visibility", "currency",
}  # fmt: skip
_NOT_NULLABLE_TICKET_FIELDS = {
    "name", "description", "price_minor", "capacity", "min_per_order", "max_per_order", "sort_order", "hidden",
    "pricing_rules",
}  # fmt: skip


def _reject_nulls(values: dict[str, Any], not_nullable: set[str]) -> None:
    problems = [(name, "may not be null") for name in sorted(values) if name in not_nullable and values[name] is None]
    if problems:
        raise InvalidInput(problems)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-") or "event"
    return f"event-{slug}" if _looks_like_id(slug) else slug


def _looks_like_id(slug: str) -> bool:
    try:
        uuid.UUID(slug)
    except ValueError:
        return False
    return True


async def _unique_slug(session: AsyncSession, title: str) -> str:
    base = slugify(title)
    candidate = base
    while await repository.slug_taken(session, candidate):
        candidate = f"{base}-{secrets.token_hex(3)}"
    return candidate


def ensure_editable(event: Event, *, now: datetime) -> None:
    if event.status in (EventStatus.CANCELLED, EventStatus.COMPLETED):
        raise Conflict(f"A {event.status.value} event can no longer be changed.", code="event_closed")
    if event.status == EventStatus.PUBLISHED and event.ends_at <= now:
        raise Conflict("This event has ended and can no longer be changed.", code="event_ended")


def _touch(event: Event, now: datetime) -> None:
    """Mark the aggregate changed: bumps ``version`` (the ETag) on flush."""
    event.updated_at = now


async def _flush(session: AsyncSession, *, still_referenced: Conflict | None = None) -> None:
    """Flush, turning a lost optimistic-concurrency race into 412 and known constraints into 409.
    ``still_referenced`` is raised when a delete hits a foreign key (bookings refer to the row)."""
    try:
        await session.flush()
    except StaleDataError as exc:
        raise PreconditionFailed(
            "This event was changed by someone else at the same time. Reload it and apply your changes again."
        ) from exc
    except IntegrityError as exc:
        message = str(exc.orig)
        if still_referenced is not None and (
            getattr(exc.orig, "sqlstate", None) == "23503" or "foreign key" in message.lower()
        ):
            raise still_referenced from exc
        if "uq_events_slug" in message:
            raise Conflict(
                "This slug is already taken.", code="slug_taken", errors=[FieldError(field="slug", message="taken")]
            ) from exc
        if "ck_ticket_types_no_oversell" in message:
            raise Conflict(
                "Capacity cannot go below the tickets already sold or held.",
                code="capacity_below_sold",
                errors=[FieldError(field="capacity", message="below tickets sold or held")],
            ) from exc
        raise


def _convert_rules(
    rules: list[AnyRule], zone: zoneinfo.ZoneInfo | None, prefix: str, problems: list[tuple[str, str]]
) -> list[AnyRule]:
    converted: list[AnyRule] = []
    for index, rule in enumerate(rules):
        if isinstance(rule, TimeRule):
            until = to_utc(rule.until, zone, f"{prefix}pricing_rules.{index}.until", problems)
            rule = rule.model_copy(update={"until": until or rule.until})
        converted.append(rule)
    if not any(field.startswith(f"{prefix}pricing_rules") for field, _ in problems):
        problems.extend((f"{prefix}{field}", message) for field, message in check_rule_set(converted))
    return converted


def _ticket_type_values(
    values: dict[str, Any],
    sent: set[str],
    *,
    event: Event,
    zone: zoneinfo.ZoneInfo | None,
    now: datetime,
    prefix: str,
    problems: list[tuple[str, str]],
) -> dict[str, Any]:
    """Checks a ticket type's final state; cross-field rules about the event apply to what was sent."""
    out = dict(values)
    out["currency"] = values.get("currency") or event.currency
    if out["currency"] != event.currency:
        problems.append((f"{prefix}currency", f"must be the event's currency, {event.currency}"))
    for name in ("sales_start", "sales_end"):
        if values.get(name) is not None:
            out[name] = to_utc(values[name], zone, f"{prefix}{name}", problems)
    start, end = out.get("sales_start"), out.get("sales_end")
    if start is not None and end is not None and end <= start:
        problems.append((f"{prefix}sales_end", "must be after sales_start"))
    if "sales_end" in sent and end is not None:
        if end <= now:
            problems.append((f"{prefix}sales_end", "must be in the future"))
        elif end > event.ends_at:
            problems.append((f"{prefix}sales_end", "sales must close by the time the event ends"))
    if "sales_start" in sent and start is not None and start >= event.ends_at:
        problems.append((f"{prefix}sales_start", "sales must open before the event ends"))
    if out["max_per_order"] < out["min_per_order"]:
        problems.append((f"{prefix}max_per_order", "must be at least min_per_order"))
    out["pricing_rules"] = dump_rules(_convert_rules(list(values["pricing_rules"]), zone, prefix, problems))
    return out


def _new_ticket_type(data: TicketTypeCreate, **context: Any) -> dict[str, Any]:
    values = data.model_dump(exclude={"pricing_rules"})
    values["pricing_rules"] = list(data.pricing_rules)
    return _ticket_type_values(values, set(data.model_fields_set) | {"sales_start", "sales_end"}, **context)


async def create_event(
    session: AsyncSession, cache: CatalogueCache, principal: Principal, data: EventCreate, *, now: datetime
) -> Event:
    problems: list[tuple[str, str]] = []
    zone = load_timezone(data.timezone, "timezone", problems)
    starts_at = to_utc(data.starts_at, zone, "starts_at", problems)
    ends_at = to_utc(data.ends_at, zone, "ends_at", problems)
    if starts_at is not None and starts_at <= now:
        problems.append(("starts_at", "must be in the future"))
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        problems.append(("ends_at", "must be after starts_at"))
    if (data.latitude is None) != (data.longitude is None):
        problems.append(("longitude" if data.longitude is None else "latitude", "give both latitude and longitude"))
    if data.slug is not None and _looks_like_id(data.slug):
        problems.append(("slug", "may not look like an event id"))
    event = Event(
        organizer_id=principal.id,
        title=data.title,
        slug="",
        summary=data.summary,
        description_md=data.description_md,
        category=data.category,
        tags=list(data.tags),
        venue_name=data.venue_name,
        address=data.address,
        city=data.city,
        country=data.country,
        latitude=data.latitude,
        longitude=data.longitude,
        online_url=str(data.online_url) if data.online_url is not None else None,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=data.timezone,
        status=EventStatus.DRAFT,
        visibility=data.visibility,
        currency=data.currency,
        total_capacity=data.total_capacity,
        refund_until_hours=data.refund_until_hours,
        created_at=now,
        updated_at=now,
    )
    tiers = [
        _new_ticket_type(tier, event=event, zone=zone, now=now, prefix=f"ticket_types.{i}.", problems=problems)
        for i, tier in enumerate(data.ticket_types)
        if starts_at is not None and ends_at is not None
    ]
    if problems:
        raise InvalidInput(problems)
    if data.slug is not None:
        if await repository.slug_taken(session, data.slug):
            raise Conflict(
                "This slug is already taken.", code="slug_taken", errors=[FieldError(field="slug", message="taken")]
            )
        event.slug = data.slug
    else:
        event.slug = await _unique_slug(session, data.title)
    event.ticket_types = [TicketType(**tier, created_at=now, updated_at=now) for tier in tiers]
    session.add(event)
    await _flush(session)
    cache.bump_after_commit(session)
    return event


def _assign(target: Any, name: str, value: Any) -> bool:
    if getattr(target, name) == value:
        return False
    setattr(target, name, value)
    return True


async def update_event(
    session: AsyncSession,
    cache: CatalogueCache,
    event: Event,
    data: EventUpdate,
    *,
    if_match: str | None,
    now: datetime,
) -> Event:
    check_if_match(event, if_match, required=True)
    ensure_editable(event, now=now)
    sent = data.model_dump(exclude_unset=True)
    _reject_nulls(sent, _NOT_NULLABLE_EVENT_FIELDS)
    problems: list[tuple[str, str]] = []
    zone = load_timezone(sent.get("timezone", event.timezone), "timezone", problems)
    for name in ("starts_at", "ends_at"):
        if name in sent:
            sent[name] = to_utc(sent[name], zone, name, problems)
    starts_at = sent.get("starts_at", event.starts_at)
    ends_at = sent.get("ends_at", event.ends_at)
    if "starts_at" in sent and starts_at is not None and starts_at <= now:
        problems.append(("starts_at", "must be in the future"))
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        problems.append(("ends_at", "must be after starts_at"))
    latitude, longitude = sent.get("latitude", event.latitude), sent.get("longitude", event.longitude)
    if (latitude is None) != (longitude is None):
        problems.append(("longitude" if longitude is None else "latitude", "give both latitude and longitude"))
    if "slug" in sent and _looks_like_id(sent["slug"]):
        problems.append(("slug", "may not look like an event id"))
    if problems:
        raise InvalidInput(problems)
    if "online_url" in sent and sent["online_url"] is not None:
        sent["online_url"] = str(sent["online_url"])

    if sent.get("slug", event.slug) != event.slug and await repository.slug_taken(session, sent["slug"]):
        raise Conflict(
            "This slug is already taken.", code="slug_taken", errors=[FieldError(field="slug", message="taken")]
        )
    currency_changes = sent.get("currency", event.currency) != event.currency
    if currency_changes or sent.get("total_capacity") is not None:
        tiers = await repository.lock_ticket_types(session, event.id)
        used = sum(t.sold + t.held for t in tiers)
        if currency_changes and used:
            raise Conflict(
                "The currency cannot change once tickets are sold or held.",
                code="currency_locked",
                errors=[FieldError(field="currency", message="tickets already sold or held")],
            )
        if sent.get("total_capacity") is not None and sent["total_capacity"] < used:
            raise Conflict(
                f"Total capacity cannot go below the {used} tickets already sold or held.",
                code="capacity_below_sold",
                errors=[FieldError(field="total_capacity", message=f"below the {used} tickets sold or held")],
            )
        for tier in tiers:
            tier.currency = sent.get("currency", event.currency)

    changed = [name for name, value in sent.items() if _assign(event, name, value)]
    if changed:
        _touch(event, now)
        await _flush(session)
        cache.bump_after_commit(session)
        realtime.announce_event_changed(session, event)
    return event


async def delete_event(
    session: AsyncSession, cache: CatalogueCache, storage: Storage, event: Event, *, if_match: str | None
) -> None:
    check_if_match(event, if_match, required=False)
    tiers = await repository.lock_ticket_types(session, event.id)
    has_sales_message = (
        "Tickets for this event were sold or are being bought, so it cannot be deleted. Cancel it "
        "instead: ticket holders are then refunded and notified."
    )
    if any(t.sold or t.held for t in tiers):
        raise Conflict(has_sales_message, code="event_has_sales")
    cover = event.cover_image_path
    await session.delete(event)
    await _flush(session, still_referenced=Conflict(has_sales_message, code="event_has_sales"))
    cache.bump_after_commit(session)
    if cover:
        _delete_file_after_commit(session, storage, cover)


def _delete_file_after_commit(session: AsyncSession, storage: Storage, key: str) -> None:
    async def _delete() -> None:
        await storage.delete(key)

    after_commit(session, _delete)


async def publish_event(
    session: AsyncSession, cache: CatalogueCache, event: Event, *, if_match: str | None, now: datetime
) -> Event:
    check_if_match(event, if_match, required=False)
    if event.status == EventStatus.PUBLISHED:
        return event
    if event.status != EventStatus.DRAFT:
        raise Conflict(f"A {event.status.value} event cannot be published.", code="invalid_status")
    if event.starts_at <= now:
        raise Conflict("This event starts in the past; move it to a future date first.", code="event_in_past")
    missing: list[FieldError] = []
    if not _visible(event):
        missing.append(FieldError(field="ticket_types", message="add at least one visible ticket type"))
    if not event.venue_name and not event.online_url:
        missing.append(FieldError(field="venue_name", message="give a venue or an online link"))
    if missing:
        raise Conflict("The event is not ready to publish.", code="event_incomplete", errors=missing)
    event.status = EventStatus.PUBLISHED
    event.published_at = now
    _touch(event, now)
    await _flush(session)
    cache.bump_after_commit(session)
    realtime.announce_event_changed(session, event)
    return event


async def cancel_event(
    session: AsyncSession,
    cache: CatalogueCache,
    event: Event,
    *,
    reason: str,
    if_match: str | None = None,
    now: datetime,
) -> Event:
    """Cancel a published event: it stays visible (marked cancelled) and can no longer be sold.

    The single place where a cancellation happens. The bookings and payments work extends it:
    refund and notify the event's buyers here, registering the work with ``after_commit`` (or an
    outbox row) so that it only happens if the cancellation commits.
    """
    check_if_match(event, if_match, required=False)
    if event.status == EventStatus.CANCELLED:
        raise Conflict("This event is already cancelled.", code="already_cancelled")
    if event.status == EventStatus.DRAFT:
        raise Conflict("A draft has no buyers: delete it instead of cancelling it.", code="invalid_status")
    if event.status != EventStatus.PUBLISHED:
        raise Conflict(f"A {event.status.value} event cannot be cancelled.", code="invalid_status")
    if event.ends_at <= now:
        raise Conflict("This event has already ended.", code="event_ended")
    event.status = EventStatus.CANCELLED
    event.cancelled_at = now
    event.cancelled_reason = reason
    _touch(event, now)
    await _flush(session)
    cache.bump_after_commit(session)
    realtime.announce_event_changed(session, event)
    # Every booking is cancelled and refunded by a background job once this commits.
    from boxoffice.bookings.event_cancellation import schedule_refunds

    schedule_refunds(session, event.id)
    return event


def _find_ticket_type(event: Event, ticket_type_id: uuid.UUID) -> TicketType:
    for ticket_type in event.ticket_types:
        if ticket_type.id == ticket_type_id:
            return ticket_type
    raise NotFound("No such ticket type for this event.", code="ticket_type_not_found")


def _event_zone(event: Event) -> zoneinfo.ZoneInfo | None:
    return zoneinfo.ZoneInfo(event.timezone) if event.timezone in _known_timezones() else None


async def add_ticket_type(
    session: AsyncSession,
    cache: CatalogueCache,
    event: Event,
    data: TicketTypeCreate,
    *,
    if_match: str | None,
    now: datetime,
) -> TicketType:
    check_if_match(event, if_match, required=False)
    ensure_editable(event, now=now)
    problems: list[tuple[str, str]] = []
    values = _new_ticket_type(data, event=event, zone=_event_zone(event), now=now, prefix="", problems=problems)
    if problems:
        raise InvalidInput(problems)
    ticket_type = TicketType(**values, created_at=now, updated_at=now)
    event.ticket_types.append(ticket_type)
    _touch(event, now)
    await _flush(session)
    cache.bump_after_commit(session)
    realtime.announce_event_changed(session, event)
    return ticket_type


async def update_ticket_type(
    session: AsyncSession,
    cache: CatalogueCache,
    event: Event,
    ticket_type_id: uuid.UUID,
    data: TicketTypeUpdate,
    *,
    if_match: str | None,
    now: datetime,
) -> TicketType:
    check_if_match(event, if_match, required=True)
    ensure_editable(event, now=now)
    ticket_type = _find_ticket_type(event, ticket_type_id)
    sent = data.model_dump(exclude_unset=True, exclude={"pricing_rules"})
    if "pricing_rules" in data.model_fields_set:
        sent["pricing_rules"] = data.pricing_rules
    _reject_nulls(sent, _NOT_NULLABLE_TICKET_FIELDS)
    current: dict[str, Any] = {
        name: getattr(ticket_type, name)
        for name in TicketTypeCreate.model_fields
        if name != "pricing_rules" and hasattr(ticket_type, name)
    }
    current["pricing_rules"] = parse_rules(ticket_type.pricing_rules)
    problems: list[tuple[str, str]] = []
    values = _ticket_type_values(
        {**current, **sent}, set(sent), event=event, zone=_event_zone(event), now=now, prefix="", problems=problems
    )
    if problems:
        raise InvalidInput(problems)
    if values["capacity"] != ticket_type.capacity:
        # Fresh counters under a row lock: bookings move them concurrently.
        locked = {t.id: t for t in await repository.lock_ticket_types(session, event.id)}
        taken = locked[ticket_type.id].sold + locked[ticket_type.id].held
        if values["capacity"] < taken:
            raise Conflict(
                f"Capacity cannot go below the {taken} tickets already sold or held.",
                code="capacity_below_sold",
                errors=[FieldError(field="capacity", message=f"below the {taken} tickets sold or held")],
            )
    changed = [name for name, value in values.items() if _assign(ticket_type, name, value)]
    if changed:
        ticket_type.updated_at = now
        _touch(event, now)
        await _flush(session)
        cache.bump_after_commit(session)
        realtime.announce_event_changed(session, event)
        if {"capacity", "sales_start", "sales_end"} & set(changed):
            _clear_sold_out_after_commit(session, cache, ticket_type.id)
    return ticket_type


def _clear_sold_out_after_commit(session: AsyncSession, cache: CatalogueCache, ticket_type_id: uuid.UUID) -> None:
    """More seats, or a sales window moved: a "sold out" flag (bookings/inventory.py) must not keep
    refusing buyers until it expires."""

    async def clear() -> None:
        await inventory.clear_sold_out(cache.redis, [ticket_type_id])

    after_commit(session, clear)


async def delete_ticket_type(
    session: AsyncSession,
    cache: CatalogueCache,
    event: Event,
    ticket_type_id: uuid.UUID,
    *,
    if_match: str | None,
    now: datetime,
) -> None:
    check_if_match(event, if_match, required=False)
    ensure_editable(event, now=now)
    ticket_type = _find_ticket_type(event, ticket_type_id)
    locked = {t.id: t for t in await repository.lock_ticket_types(session, event.id)}
    current = locked[ticket_type.id]
    has_sales = Conflict(
        "Tickets of this type were sold or are being bought; hide it instead of deleting it.",
        code="ticket_type_has_sales",
    )
    if current.sold or current.held:
        raise has_sales
    event.ticket_types.remove(ticket_type)
    _touch(event, now)
    await _flush(session, still_referenced=has_sales)
    cache.bump_after_commit(session)
    realtime.announce_event_changed(session, event)


# --- cover image ----------------------------------------------------------------------------------


def sniff_image(data: bytes) -> tuple[str, str] | None:
    """(content type, file suffix) from the file's magic bytes; the client's claim is not trusted."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


async def set_cover(
    session: AsyncSession,
    cache: CatalogueCache,
    storage: Storage,
    event: Event,
    data: bytes,
    *,
    if_match: str | None,
    now: datetime,
) -> Event:
    check_if_match(event, if_match, required=False)
    ensure_editable(event, now=now)
    if len(data) > MAX_COVER_BYTES:
        raise AppError(
            f"A cover image may be at most {MAX_COVER_BYTES // (1024 * 1024)} MB.",
            status=413,
            code="payload_too_large",
            title="Request body too large",
        )
    kind = sniff_image(data)
    if kind is None:
        raise AppError(
            "The cover must be a PNG, JPEG or WebP image.",
            status=415,
            code="unsupported_media_type",
            title="Unsupported media type",
        )
    content_type, suffix = kind
    key = f"covers/{event.id}/{uuid.uuid4().hex}{suffix}"
    await storage.put(key, data, content_type)  # before any row is locked: no I/O under a lock
    previous = event.cover_image_path
    event.cover_image_path = key
    _touch(event, now)
    try:
        await _flush(session)
    except AppError:
        await storage.delete(key)
        raise
    cache.bump_after_commit(session)
    realtime.announce_event_changed(session, event)
    if previous:
        _delete_file_after_commit(session, storage, previous)
    return event
