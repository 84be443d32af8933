"""HTTP layer of bookings: /api/bookings."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import selectinload

from boxoffice.auth.dependencies import AdminUser, CurrentUser, OrganizerUser
from boxoffice.bookings import service
from boxoffice.bookings.schemas import BookingCreate, BookingPage, BookingRead
from boxoffice.db import unit_of_work
from boxoffice.deps import RuntimeDep, SessionDep
from boxoffice.errors import error_responses, problem_for, problem_response
from boxoffice.models import Booking, BookingStatus, User
from boxoffice.pagination import InvalidCursor, decode_cursor, encode_cursor
from boxoffice.payments import service as payments
from boxoffice.rate_limits import check_booking_rate

router = APIRouter(prefix="/bookings", tags=["bookings"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="Retrying with the same key returns the same booking instead of booking twice.",
    ),
]


@router.post(
    "",
    operation_id="bookings-create",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 409, 422, 429, 503),
)
async def create_booking(
    body: BookingCreate,
    principal: CurrentUser,
    runtime: RuntimeDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> BookingRead:
    """Hold seats for 10 minutes (configurable) in a pending booking. Sold out: 409 ``sold_out``.
    Rate limited per account (429 with Retry-After)."""
    # The hot path: the rate limit and the unit of work are taken here rather than declared as
    # dependencies, which cost FastAPI ~20 us each to resolve on every request (measured).
    await check_booking_rate(principal, runtime)
    async with unit_of_work(runtime.sessionmaker) as session:
        try:
            booking, created = await service.create_booking(session, runtime, principal, body, idempotency_key)
        except service.DuplicateRequest:
            # A concurrent twin with the same key committed first: answer with its booking.
            await session.rollback()
            assert idempotency_key is not None
            existing = await service.find_by_idempotency_key(session, principal.id, idempotency_key)
            assert existing is not None
            booking, created = (await service.to_reads(session, [existing]))[0], False
    if not created:
        response.status_code = status.HTTP_200_OK  # a replay: nothing new was booked
    return booking


def _parse_after(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not cursor:
        return None
    values = decode_cursor(cursor, 2)
    try:
        return datetime.fromisoformat(str(values[0])), uuid.UUID(str(values[1]))
    except ValueError as exc:
        raise InvalidCursor("The cursor does not belong to this listing.") from exc


def _page_filters(after: tuple[datetime, uuid.UUID] | None) -> list[ColumnElement[bool]]:
    if after is None:
        return []
    created, booking_id = after
    return [or_(Booking.created_at < created, and_(Booking.created_at == created, Booking.id < booking_id))]


async def _page(
    session: SessionDep,
    conditions: list[ColumnElement[bool]],
    cursor: str | None,
    limit: int,
    *,
    with_customer: bool,
    count: bool = False,
) -> BookingPage:
    total = None
    if count:
        total = int(await session.scalar(select(func.count()).select_from(Booking).where(*conditions)) or 0)
    rows = (
        await session.scalars(
            select(Booking)
            .where(*conditions, *_page_filters(_parse_after(cursor)))
            .options(selectinload(Booking.items))
            .order_by(Booking.created_at.desc(), Booking.id.desc())
            .limit(limit + 1)
        )
    ).all()
    page = list(rows[:limit])
    next_cursor = encode_cursor([page[-1].created_at.isoformat(), str(page[-1].id)]) if len(rows) > limit else None
    items = await service.to_reads(session, page, with_customer=with_customer)
    return BookingPage(items=items, next_cursor=next_cursor, total=total)


@router.get("/my/bookings", operation_id="bookings-mine", responses=error_responses(400, 401))
async def my_bookings(
    principal: CurrentUser,
    session: SessionDep,
    status_filter: Annotated[BookingStatus | None, Query(alias="status")] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> BookingPage:
    """Your bookings, newest first."""
    conditions: list[ColumnElement[bool]] = [Booking.user_id == principal.id]
    if status_filter is not None:
        conditions.append(Booking.status == status_filter)
    return await _page(session, conditions, cursor, limit, with_customer=False)


def _event_conditions(
    event_id: uuid.UUID, status_filter: BookingStatus | None, q: str | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Booking.event_id == event_id]
    if status_filter is not None:
        conditions.append(Booking.status == status_filter)
    if q:
        pattern = f"%{q.lower()}%"
        conditions.append(
            Booking.user_id.in_(
                select(User.id).where(or_(User.email.like(pattern), func.lower(User.full_name).like(pattern)))
            )
        )
    return conditions


@router.get(
    "/event/{event_id}/bookings", operation_id="bookings-for-event", responses=error_responses(400, 401, 403, 404)
)
async def event_bookings(
    event_id: uuid.UUID,
    principal: OrganizerUser,
    session: SessionDep,
    status_filter: Annotated[BookingStatus | None, Query(alias="status")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Customer email or name")] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> BookingPage:
    """Bookings of one of your events (the event's organizer or an admin)."""
    await service.event_owned_by(session, principal, event_id)
    return await _page(
        session, _event_conditions(event_id, status_filter, q), cursor, limit, with_customer=True, count=True
    )


CSV_COLUMNS = [
    "booking_id",
    "created_at",
    "status",
    "customer_email",
    "customer_name",
    "ticket_type",
    "quantity",
    "unit_price_minor",
    "line_total_minor",
    "discount_minor",
    "total_minor",
    "refunded_minor",
    "currency",
    "coupon_code",
]


@router.get(
    "/event/{event_id}/bookings.csv",
    operation_id="bookings-for-event-csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}, **error_responses(401, 403, 404)},
)
async def event_bookings_csv(
    event_id: uuid.UUID,
    principal: OrganizerUser,
    session: SessionDep,
    status_filter: Annotated[BookingStatus | None, Query(alias="status")] = None,
) -> StreamingResponse:
    """The same bookings as a spreadsheet, one row per ticket type line."""
    event = await service.event_owned_by(session, principal, event_id)
    rows = (
        await session.scalars(
            select(Booking)
            .where(*_event_conditions(event_id, status_filter, None))
            .options(selectinload(Booking.items))
            .order_by(Booking.created_at)
        )
    ).all()
    reads = await service.to_reads(session, list(rows), with_customer=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for b in reads:
        for line in b.items:
            writer.writerow(
                [
                    b.id,
                    b.created_at.isoformat(),
                    b.status.value,
                    _csv_safe(b.customer_email),
                    _csv_safe(b.customer_name),
                    _csv_safe(line.ticket_type_name),
                    line.quantity,
                    line.unit_price_minor,
                    line.line_total_minor,
                    b.discount_minor,
                    b.total_minor,
                    b.refunded_minor,
                    b.currency,
                    b.coupon_code or "",
                ]
            )
    filename = f"bookings-{event.slug}.csv"
    return StreamingResponse(
        iter([buffer.getvalue()]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv_safe(value: str | None) -> str:
    """Neutralise spreadsheet formula injection (=, +, -, @ at the start of a cell)."""
    text_value = value or ""
    return "'" + text_value if text_value[:1] in ("=", "+", "-", "@", "\t", "\r") else text_value


@router.get("/admin/all", operation_id="bookings-admin-all", responses=error_responses(400, 401, 403))
async def all_bookings(
    _: AdminUser,
    session: SessionDep,
    status_filter: Annotated[BookingStatus | None, Query(alias="status")] = None,
    event_id: uuid.UUID | None = None,
    customer: Annotated[str | None, Query(max_length=320, description="Customer email contains")] = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> BookingPage:
    """Every booking on the platform, with filters (admin only)."""
    conditions: list[ColumnElement[bool]] = []
    if status_filter is not None:
        conditions.append(Booking.status == status_filter)
    if event_id is not None:
        conditions.append(Booking.event_id == event_id)
    if customer:
        conditions.append(Booking.user_id.in_(select(User.id).where(User.email.like(f"%{customer.lower()}%"))))
    if created_from is not None:
        conditions.append(Booking.created_at >= created_from)
    if created_to is not None:
        conditions.append(Booking.created_at < created_to)
    return await _page(session, conditions, cursor, limit, with_customer=True, count=True)


@router.get("/{booking_id}", operation_id="bookings-get", responses=error_responses(401, 404))
async def get_booking(booking_id: uuid.UUID, principal: CurrentUser, session: SessionDep) -> BookingRead:
    """One of your bookings (admins see all). Other people's bookings are 404."""
    booking = await service.visible_booking(session, principal, booking_id)
    return (await service.to_reads(session, [booking]))[0]


@router.post(
    "/{booking_id}/confirm",
    operation_id="bookings-confirm",
    responses=error_responses(401, 402, 404, 409, 503),
)
async def confirm_booking(
    booking_id: uuid.UUID, principal: CurrentUser, session: SessionDep, runtime: RuntimeDep, request: Request
) -> BookingRead:
    """Confirm after payment: the payment is verified with the provider (never trusted from the
    client). Free bookings confirm at once. Idempotent."""
    booking, problem = await payments.confirm_booking(session, runtime, principal, booking_id)
    if problem is not None:
        # Returned, not raised: what happened (e.g. an automatic refund) must be committed.
        return problem_response(problem_for(problem, request))  # type: ignore[return-value]
    return (await service.to_reads(session, [booking]))[0]


@router.delete("/{booking_id}", operation_id="bookings-cancel", responses=error_responses(401, 403, 404, 409, 503))
async def cancel_booking(
    booking_id: uuid.UUID,
    principal: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
    reason: Annotated[str | None, Query(max_length=200, description="Shown to the customer")] = None,
) -> BookingRead:
    """Cancel. Unpaid: the seats are released. Paid: refunded in full (customers within the event's
    refund policy; the organizer and admins at any time), tickets voided, seats back on sale."""
    booking = await payments.cancel_booking(session, runtime, principal, booking_id, reason)
    return (await service.to_reads(session, [booking]))[0]
