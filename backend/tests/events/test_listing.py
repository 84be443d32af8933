"""Public discovery: filters, sorting, cursor pagination, and the cached reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import delete, update

from boxoffice.config import Settings
from boxoffice.db import unit_of_work
from boxoffice.events.cache import CatalogueCache
from boxoffice.models import Event, EventStatus, EventVisibility, TicketType
from boxoffice.pagination import encode_cursor
from tests.conftest import serve_app
from tests.events.conftest import Cast
from tests.events.helpers import assert_problem, field_messages, future, iso, set_counters


async def titles(client: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await client.get("/api/events", params=params)
    assert response.status_code == 200, response.text
    return [e["title"] for e in response.json()["items"]]


async def walk(client: httpx.AsyncClient, **params: Any) -> list[str]:
    """Every page of a listing, following next_cursor."""
    seen: list[str] = []
    cursor = None
    for _ in range(50):
        response = await client.get("/api/events", params={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        seen += [e["title"] for e in response.json()["items"]]
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("pagination does not end")


async def test_filters(client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any) -> None:
    owner = cast.owner.user
    await make_event(
        owner, title="Jazz Night", category="music", city="Berlin", tags=["jazz"], starts_in=timedelta(days=2),
        tiers=[("Seat", 2500, 10)],
    )  # fmt: skip
    tech = await make_event(
        owner, title="Python Summit", category="conference", city="Copenhagen", tags=["python", "tech"],
        starts_in=timedelta(days=20), tiers=[("Pass", 15000, 5), ("Student", 2800, 5)],
    )  # fmt: skip
    await make_event(
        owner, title="Harbour Run", category="sports", city="berlin", starts_in=timedelta(days=40),
        tiers=[("Runner", 3000, 10)], summary="A jazz band plays at the finish",
    )  # fmt: skip
    await make_event(owner, title="Secret Gig", visibility=EventVisibility.UNLISTED, category="music")
    await make_event(owner, title="Draft Gig", status=EventStatus.DRAFT, category="music")

    assert await titles(client) == ["Jazz Night", "Python Summit", "Harbour Run"]
    assert await titles(client, q="jazz") == ["Jazz Night", "Harbour Run"]
    assert await titles(client, category="music") == ["Jazz Night"]
    assert await titles(client, category="MUSIC") == ["Jazz Night"]
    assert await titles(client, city="BERLIN") == ["Jazz Night", "Harbour Run"]
    assert await titles(client, tag="Python") == ["Python Summit"]
    assert await titles(client, starts_after=iso(future(10)), starts_before=iso(future(30))) == ["Python Summit"]
    assert await titles(client, starts_before=iso(future(10))) == ["Jazz Night"]
    naive_utc = (future(10)).replace(tzinfo=None).isoformat()
    assert await titles(client, starts_after=naive_utc) == ["Python Summit", "Harbour Run"]  # no offset: UTC
    assert await titles(client, price_max_minor=3000) == ["Jazz Night", "Python Summit", "Harbour Run"]
    assert await titles(client, price_max_minor=2999) == ["Jazz Night", "Python Summit"]  # the student ticket
    assert await titles(client, price_max_minor=0) == []

    await set_counters(runtime, tech.ticket_types[0].id, sold=5)
    await set_counters(runtime, tech.ticket_types[1].id, held=5)
    assert await titles(client, available_only=True) == ["Jazz Night", "Harbour Run"]
    assert await titles(client, available_only=True, q="python") == []


async def test_available_only_respects_total_capacity_and_sales_end(
    client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any
) -> None:
    capped = await make_event(
        cast.owner.user, title="Capped", tiers=[("A", 100, 10), ("B", 100, 10)], total_capacity=10
    )
    await set_counters(runtime, capped.ticket_types[0].id, sold=10)
    closing = await make_event(cast.owner.user, title="Closed sales", starts_in=timedelta(days=3))
    async with unit_of_work(runtime.sessionmaker) as session:
        await session.execute(
            update(TicketType).where(TicketType.id == closing.ticket_types[0].id).values(sales_end=future(-1))
        )
    await make_event(cast.owner.user, title="Open", starts_in=timedelta(days=4))
    assert await titles(client, available_only=True) == ["Open"]
    listed = {e["title"]: e for e in (await client.get("/api/events")).json()["items"]}
    assert listed["Capped"]["remaining"] == 0 and listed["Capped"]["sold_out"] is True


async def test_sorting_and_pagination_for_every_sort(
    client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any
) -> None:
    # Equal start times and equal prices on purpose: ties must neither repeat nor skip across pages.
    specs: list[tuple[str, int, int | None]] = [
        ("A", 3, 5000),
        ("B", 1, 2000),
        ("C", 3, 2000),
        ("D", 2, 9000),
        ("E", 1, 5000),
        ("F", 2, 2000),
        ("G", 1, None),
    ]
    day_zero = future(5)
    for title, offset, cost in specs:
        event = await make_event(cast.owner.user, title=title, tiers=[("T", cost or 0, 10)])
        async with unit_of_work(runtime.sessionmaker) as session:
            starts = day_zero + timedelta(days=offset)
            await session.execute(
                update(Event).where(Event.id == event.id).values(starts_at=starts, ends_at=starts + timedelta(hours=2))
            )
            if cost is None:  # no ticket types at all: no price, sorts last by price
                await session.execute(delete(TicketType).where(TicketType.event_id == event.id))
    await CatalogueCache(runtime.redis).bump()
    events = {e["title"]: e for e in (await client.get("/api/events", params={"limit": 100})).json()["items"]}
    ids = {title: e["id"] for title, e in events.items()}
    day = {title: d for title, d, _ in specs}
    price = {title: p for title, _, p in specs}

    expected_by_date = sorted(day, key=lambda t: (day[t], ids[t]))
    assert await walk(client, limit=2) == expected_by_date
    assert await walk(client, sort="-date", limit=3) == list(reversed(expected_by_date))
    expected_by_price = sorted(day, key=lambda t: (price[t] if price[t] is not None else 2**62, day[t], ids[t]))
    assert [price[t] for t in expected_by_price] == [2000, 2000, 2000, 5000, 5000, 9000, None]
    assert await walk(client, sort="price", limit=2) == expected_by_price
    assert await walk(client, sort="price", limit=1) == expected_by_price
    assert await walk(client, sort="price", limit=100) == expected_by_price
    assert await walk(client, sort="price", limit=1, price_max_minor=2000) == expected_by_price[:3]
    assert events["G"]["price_from_minor"] is None and events["G"]["remaining"] is None


async def test_cursors_are_checked(client: httpx.AsyncClient, cast: Cast, make_event: Any) -> None:
    for day in range(3):
        await make_event(cast.owner.user, title=f"E{day}", starts_in=timedelta(days=day + 1))
    date_cursor = (await client.get("/api/events", params={"limit": 1})).json()["next_cursor"]
    price_cursor = (await client.get("/api/events", params={"limit": 1, "sort": "price"})).json()["next_cursor"]
    assert_problem(
        await client.get("/api/events", params={"cursor": date_cursor, "sort": "price"}), 400, "invalid_cursor"
    )
    assert_problem(await client.get("/api/events", params={"cursor": price_cursor}), 400, "invalid_cursor")
    assert_problem(
        await client.get("/api/events", params={"cursor": date_cursor, "sort": "-date"}), 400, "invalid_cursor"
    )
    no_id = "00000000-0000-4000-8000-000000000000"
    forged: list[tuple[str, list[Any]]] = [
        ("date", ["date", "yesterday", no_id]),
        ("date", ["date", "2030-01-01T00:00:00", no_id]),  # no offset
        ("date", ["date", "2030-01-01T00:00:00+00:00", "not-a-uuid"]),
        ("price", ["price", "12", "2030-01-01T00:00:00+00:00", no_id]),  # price key must be an integer
        ("price", ["price", True, "2030-01-01T00:00:00+00:00", no_id]),
    ]
    for sort, values in forged:
        response = await client.get("/api/events", params={"cursor": encode_cursor(values), "sort": sort})
        assert_problem(response, 400, "invalid_cursor")


async def test_invalid_listing_parameters(client: httpx.AsyncClient) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"sort": "popularity"}, "sort"),
        ({"price_max_minor": -1}, "price_max_minor"),
        ({"starts_after": "tomorrow"}, "starts_after"),
        ({"available_only": "perhaps"}, "available_only"),
        ({"starts_after": iso(future(5)), "starts_before": iso(future(4))}, "starts_before"),
    ]
    for params, field in cases:
        body = assert_problem(await client.get("/api/events", params=params), 422, "validation_error")
        assert field in field_messages(body), body


async def test_an_edit_is_visible_immediately_despite_the_cache(
    client: httpx.AsyncClient, cast: Cast, make_event: Any
) -> None:
    event = await make_event(cast.owner.user, title="Before")
    assert await titles(client) == ["Before"]  # now cached
    assert (await client.get(f"/api/events/{event.slug}")).json()["title"] == "Before"  # cached too
    response = await client.put(
        f"/api/events/{event.id}", json={"title": "After"}, headers={**cast.owner.headers, "If-Match": '"1"'}
    )
    assert response.status_code == 200
    assert await titles(client) == ["After"]
    assert (await client.get(f"/api/events/{event.slug}")).json()["title"] == "After"
    assert (await client.get(f"/api/events/{event.id}")).headers["etag"] == '"2"'


async def test_public_reads_are_served_from_the_cache(
    client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any
) -> None:
    event = await make_event(cast.owner.user, title="Cached")
    await titles(client)
    first = await client.get(f"/api/events/{event.id}")
    # A change behind the API's back (no catalogue write, no invalidation) is not seen...
    async with unit_of_work(runtime.sessionmaker) as session:
        await session.execute(update(Event).where(Event.id == event.id).values(title="Changed behind the back"))
    assert await titles(client) == ["Cached"]
    assert (await client.get(f"/api/events/{event.id}")).content == first.content
    # ...but the organizer always reads the database (and may see owner-only fields).
    owner_view = await client.get(f"/api/events/{event.id}", headers=cast.owner.headers)
    assert owner_view.json()["title"] == "Changed behind the back" and owner_view.json()["can_manage"] is True
    admin_view = await client.get(f"/api/events/{event.id}", headers=cast.admin.headers)
    assert admin_view.json()["can_manage"] is True
    customer_view = await client.get(f"/api/events/{event.id}", headers=cast.customer.headers)
    assert customer_view.content == first.content
    # A sale that changes availability invalidates, as the bookings module does.
    await set_counters(runtime, event.ticket_types[0].id, sold=100)
    assert await titles(client) == ["Changed behind the back"]
    assert (await client.get(f"/api/events/{event.id}")).json()["sold_out"] is True


async def test_drafts_are_never_cached_for_the_public(client: httpx.AsyncClient, cast: Cast, make_event: Any) -> None:
    draft = await make_event(cast.owner.user, status=EventStatus.DRAFT)
    assert (await client.get(f"/api/events/{draft.id}", headers=cast.owner.headers)).status_code == 200
    assert_problem(await client.get(f"/api/events/{draft.id}"), 404, "event_not_found")
    assert_problem(
        await client.get(f"/api/events/{draft.id}", headers=cast.other_organizer.headers), 404, "event_not_found"
    )


async def test_the_catalogue_works_without_redis(settings: Settings, cast: Cast, make_event: Any) -> None:
    event = await make_event(cast.owner.user, title="Still here")
    async with serve_app(settings, redis_url="redis://127.0.0.1:1/0") as (_, http):
        listing = await http.get("/api/events")
        assert [e["title"] for e in listing.json()["items"]] == ["Still here"]
        assert (await http.get(f"/api/events/{event.id}")).status_code == 200
        edit = await http.put(
            f"/api/events/{event.id}", json={"title": "Edited"}, headers={**cast.owner.headers, "If-Match": '"1"'}
        )
        assert edit.status_code == 200  # the failed invalidation is logged, the committed edit stands
        assert (await http.get(f"/api/events/{event.id}")).json()["title"] == "Edited"
