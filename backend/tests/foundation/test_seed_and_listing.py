"""Demo seed is idempotent; the public listing shows published public events only."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from boxoffice.db import unit_of_work
from boxoffice.models import Event, EventStatus, EventVisibility, Role, User
from boxoffice.seed import seed_demo


async def test_seed_demo_is_idempotent_and_creates_the_spec_users(runtime: Any, client: httpx.AsyncClient) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        first = await seed_demo(session)
    async with unit_of_work(runtime.sessionmaker) as session:
        second = await seed_demo(session)
        users = {u.email: u.role for u in (await session.scalars(select(User))).all()}
        events = await session.scalar(select(func.count()).select_from(Event))
    assert first["users"] == 3 and first["events"] >= 3
    assert second == {"users": 0, "events": 0}
    assert users == {
        "admin@demo.com": Role.ADMIN,
        "organizer@demo.com": Role.ORGANIZER,
        "customer@demo.com": Role.CUSTOMER,
    }
    assert events == first["events"]
    listing = (await client.get("/api/events")).json()
    assert len(listing["items"]) == first["events"]


async def test_listing_only_shows_published_public_events(
    make_user: Any, make_event: Any, client: httpx.AsyncClient
) -> None:
    organizer = await make_user(Role.ORGANIZER)
    shown = await make_event(organizer, title="Shown", tiers=[("A", 1000, 5), ("B", 3000, 5)])
    await make_event(organizer, title="Draft", status=EventStatus.DRAFT)
    await make_event(organizer, title="Unlisted", visibility=EventVisibility.UNLISTED)
    body = (await client.get("/api/events")).json()
    assert [e["title"] for e in body["items"]] == ["Shown"]
    item = body["items"][0]
    assert item["id"] == str(shown.id)
    assert (item["price_from_minor"], item["price_to_minor"], item["remaining"]) == (1000, 3000, 10)


async def test_listing_paginates_with_a_cursor(make_user: Any, make_event: Any, client: httpx.AsyncClient) -> None:
    from datetime import timedelta

    organizer = await make_user(Role.ORGANIZER)
    for day in range(5):
        await make_event(organizer, title=f"Day {day}", starts_in=timedelta(days=day + 1))
    seen: list[str] = []
    cursor = None
    for _ in range(3):
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/api/events", params=params)).json()
        seen += [e["title"] for e in page["items"]]
        cursor = page["next_cursor"]
    assert seen == [f"Day {d}" for d in range(5)]
    assert cursor is None


async def test_full_text_search(make_user: Any, make_event: Any, client: httpx.AsyncClient) -> None:
    organizer = await make_user(Role.ORGANIZER)
    await make_event(organizer, title="Symphony under the stars", summary="Classical music night")
    await make_event(organizer, title="Startup pitch night")
    hits = (await client.get("/api/events", params={"q": "symphonies"})).json()["items"]
    assert [e["title"] for e in hits] == ["Symphony under the stars"]
