"""Pydantic schemas of the events API (the contract the web app is generated from).

Date-times: values with a UTC offset (``2027-06-14T20:00:00+02:00`` or ``...Z``) are taken as
given. Event-owned times *without* an offset (an event's start and end, ticket sales windows,
early-bird deadlines) are wall-clock times in the event's IANA timezone, the way an organizer
thinks of them; a wall-clock time that does not exist (skipped by a DST change) or is ambiguous
(repeated by a DST change) is refused with 422, naming the offsets to choose from. Everything is
stored and returned in UTC, with the event's timezone beside it.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, HttpUrl, UrlConstraints

from boxoffice.events.pricing import MAX_PRICE_MINOR, MAX_RULES, PricingRule
from boxoffice.models.event import EventStatus, EventVisibility

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
MAX_CAPACITY = 1_000_000

LOCAL_TIME_NOTE = (
    " Without a UTC offset it is a wall-clock time in the event's timezone (refused with 422 when a DST "
    "change skips or repeats it); returned in UTC."
)


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


Tag = Annotated[str, BeforeValidator(_lower), Field(min_length=1, max_length=40, pattern=r"^[^\s,]+(?: [^\s,]+)*$")]
Category = Annotated[str, BeforeValidator(_lower), Field(min_length=1, max_length=64, pattern=SLUG_PATTERN)]
Currency = Annotated[str, BeforeValidator(_upper), Field(pattern=CURRENCY_PATTERN, description="ISO 4217 code")]
Country = Annotated[str, BeforeValidator(_upper), Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]
OnlineUrl = Annotated[HttpUrl, UrlConstraints(max_length=500, allowed_schemes=["http", "https"])]
Tags = Annotated[list[Tag], Field(max_length=20), AfterValidator(_unique)]
TimezoneName = Annotated[str, Field(min_length=1, max_length=64, description="IANA timezone, e.g. Europe/Berlin")]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- ticket types -------------------------------------------------------------------------------


class TicketTypeFields(_Input):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=1000)
    price_minor: int = Field(ge=0, le=MAX_PRICE_MINOR, description="Base price in minor units (cents)")
    currency: Currency | None = Field(default=None, description="Defaults to, and must equal, the event's currency")
    capacity: int = Field(ge=0, le=MAX_CAPACITY)
    sales_start: datetime | None = Field(default=None, description="Sales open (inclusive)." + LOCAL_TIME_NOTE)
    sales_end: datetime | None = Field(default=None, description="Sales close (exclusive)." + LOCAL_TIME_NOTE)
    min_per_order: int = Field(default=1, ge=1, le=100)
    max_per_order: int = Field(default=10, ge=1, le=100)
    sort_order: int = Field(default=0, ge=-10_000, le=10_000)
    hidden: bool = Field(default=False, description="Hidden ticket types are not shown or sold publicly")
    pricing_rules: list[PricingRule] = Field(default_factory=list, max_length=MAX_RULES)


class TicketTypeCreate(TicketTypeFields):
    pass


class TicketTypeUpdate(_Input):
    """Only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=1000)
    price_minor: int | None = Field(default=None, ge=0, le=MAX_PRICE_MINOR)
    currency: Currency | None = None
    capacity: int | None = Field(default=None, ge=0, le=MAX_CAPACITY)
    sales_start: datetime | None = Field(default=None, description="Sales open; null: right away." + LOCAL_TIME_NOTE)
    sales_end: datetime | None = Field(default=None, description="Sales close; null: when the event ends.")
    min_per_order: int | None = Field(default=None, ge=1, le=100)
    max_per_order: int | None = Field(default=None, ge=1, le=100)
    sort_order: int | None = Field(default=None, ge=-10_000, le=10_000)
    hidden: bool | None = None
    pricing_rules: list[PricingRule] | None = Field(default=None, max_length=MAX_RULES)


class SalesStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # sales have not opened yet
    ON_SALE = "on_sale"
    SOLD_OUT = "sold_out"
    ENDED = "ended"  # sales window closed, or the event started, ended or was cancelled
    UNAVAILABLE = "unavailable"  # the event is not published


class TicketTypeRead(BaseModel):
    id: uuid.UUID
    name: str
    description: str
    price_minor: int = Field(description="The price right now, after dynamic pricing")
    base_price_minor: int
    price_valid_until: datetime | None = Field(description="When the current early-bird price ends, if one applies")
    currency: str
    capacity: int
    remaining: int
    sales_start: datetime | None
    sales_end: datetime | None
    sales_status: SalesStatus
    min_per_order: int
    max_per_order: int
    sort_order: int
    hidden: bool
    # For the event's organizer and admins only; null for everyone else.
    sold: int | None = None
    held: int | None = None
    pricing_rules: list[PricingRule] | None = None


# --- events -------------------------------------------------------------------------------------


class EventCreate(_Input):
    title: str = Field(min_length=1, max_length=200)
    slug: str | None = Field(
        default=None, min_length=3, max_length=120, pattern=SLUG_PATTERN, description="Generated from the title"
    )
    summary: str = Field(default="", max_length=500)
    description_md: str = Field(default="", max_length=20_000, description="Markdown; rendered safely on read")
    category: Category = "other"
    tags: Tags = Field(default_factory=list)
    venue_name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    city: str | None = Field(default=None, max_length=120)
    country: Country | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    online_url: OnlineUrl | None = None
    timezone: TimezoneName
    starts_at: datetime = Field(description="Start; must be in the future." + LOCAL_TIME_NOTE)
    ends_at: datetime = Field(description="End; after the start." + LOCAL_TIME_NOTE)
    visibility: EventVisibility = EventVisibility.PUBLIC
    currency: Currency = "EUR"
    total_capacity: int | None = Field(default=None, ge=0, le=10 * MAX_CAPACITY, description="Cap across types")
    refund_until_hours: int | None = Field(default=None, ge=0, le=24 * 365)
    ticket_types: list[TicketTypeCreate] = Field(default_factory=list, max_length=50)


class EventUpdate(_Input):
    """Only the fields sent are changed; send ``null`` to clear an optional field. Requires
    ``If-Match`` with the event's current ETag."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    slug: str | None = Field(default=None, min_length=3, max_length=120, pattern=SLUG_PATTERN)
    summary: str | None = Field(default=None, max_length=500)
    description_md: str | None = Field(default=None, max_length=20_000)
    category: Category | None = None
    tags: Tags | None = None
    venue_name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    city: str | None = Field(default=None, max_length=120)
    country: Country | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    online_url: OnlineUrl | None = None
    timezone: TimezoneName | None = None
    starts_at: datetime | None = Field(default=None, description="Start." + LOCAL_TIME_NOTE)
    ends_at: datetime | None = Field(default=None, description="End." + LOCAL_TIME_NOTE)
    visibility: EventVisibility | None = None
    currency: Currency | None = None
    total_capacity: int | None = Field(default=None, ge=0, le=10 * MAX_CAPACITY)
    refund_until_hours: int | None = Field(default=None, ge=0, le=24 * 365)


class EventCancel(_Input):
    reason: str = Field(min_length=3, max_length=500, description="Shown to ticket holders")


# EventSummary fields added after the web app shipped: no default in the contract, so the generated
# types mark them optional and code written before them still compiles. (openapi-typescript makes
# every property with a default required.)
_SUMMARY_FIELDS_ADDED_LATER = ("tags", "country", "is_online", "sold_out", "few_left")


def _optional_for_existing_clients(schema: dict[str, Any]) -> None:
    for name in _SUMMARY_FIELDS_ADDED_LATER:
        schema["properties"][name].pop("default", None)


class EventSummary(BaseModel):
    """An event as shown in listings and cards. Prices are current (dynamic pricing applied)."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra=_optional_for_existing_clients)

    id: uuid.UUID
    slug: str
    title: str
    summary: str
    category: str
    city: str | None
    venue_name: str | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    status: EventStatus
    price_from_minor: int | None
    price_to_minor: int | None
    currency: str
    remaining: int | None
    cover_image_url: str | None
    tags: list[str] = []
    country: str | None = None
    is_online: bool = False
    sold_out: bool = False
    few_left: bool = False


class EventPage(BaseModel):
    items: list[EventSummary]
    next_cursor: str | None


class MyEventSummary(EventSummary):
    """An organizer's own event, with the numbers a dashboard needs."""

    model_config = ConfigDict(json_schema_extra=None)

    visibility: EventVisibility
    version: int
    published_at: datetime | None
    tickets_sold: int
    tickets_held: int
    capacity: int


class MyEventPage(BaseModel):
    items: list[MyEventSummary]
    next_cursor: str | None


class EventRead(BaseModel):
    """One event with its ticket types. ``version`` is also sent as the ``ETag`` header."""

    id: uuid.UUID
    slug: str
    organizer_id: uuid.UUID
    title: str
    summary: str
    description_md: str
    description_html: str = Field(description="description_md rendered to sanitized HTML")
    category: str
    tags: list[str]
    venue_name: str | None
    address: str | None
    city: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    online_url: str | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    status: EventStatus
    visibility: EventVisibility
    currency: str
    total_capacity: int | None
    refund_until_hours: int | None
    cover_image_url: str | None
    price_from_minor: int | None
    price_to_minor: int | None
    remaining: int | None
    sold_out: bool
    few_left: bool
    published_at: datetime | None
    cancelled_at: datetime | None
    cancelled_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    can_manage: bool = Field(description="Whether the caller may edit this event")
    ticket_types: list[TicketTypeRead]


class ListingSort(enum.StrEnum):
    DATE = "date"
    DATE_DESC = "-date"
    PRICE = "price"
