"""Optimistic concurrency: two editors racing on one event, one wins, the other is told so."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from boxoffice.db import unit_of_work
from boxoffice.errors import PreconditionFailed
from boxoffice.events import service
from boxoffice.events.cache import CatalogueCache
from boxoffice.events.schemas import EventUpdate, TicketTypeUpdate
from boxoffice.models import Event
from tests.events.conftest import Cast
from tests.events.helpers import assert_problem, load_event


async def test_two_editors_race_one_wins_the_other_gets_412(
    client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any
) -> None:
    event = await make_event(cast.owner.user, title="Original")
    for round_number in range(5):
        etag = (await client.get(f"/api/events/{event.id}", headers=cast.owner.headers)).headers["etag"]
        owner_edit, admin_edit = await asyncio.gather(
            client.put(
                f"/api/events/{event.id}",
                json={"title": f"Owner {round_number}", "summary": "owner"},
                headers={**cast.owner.headers, "If-Match": etag},
            ),
            client.put(
                f"/api/events/{event.id}",
                json={"title": f"Admin {round_number}", "city": "Admin City"},
                headers={**cast.admin.headers, "If-Match": etag},
            ),
        )
        statuses = sorted([owner_edit.status_code, admin_edit.status_code])
        assert statuses == [200, 412], (owner_edit.text, admin_edit.text)
        winner, loser = (owner_edit, admin_edit) if owner_edit.status_code == 200 else (admin_edit, owner_edit)
        assert_problem(loser, 412, "precondition_failed")
        stored = await load_event(runtime, event.id)
        assert stored is not None
        assert stored.title == winner.json()["title"]  # the loser overwrote nothing...
        if winner is owner_edit:
            assert stored.summary == "owner"
        else:
            assert stored.city == "Admin City"  # ...not even the fields the winner left alone
        assert (
            f'"{stored.version}"'
            == winner.headers["etag"]
            == (await client.get(f"/api/events/{event.id}")).headers["etag"]
        )


async def test_the_database_guards_the_version_even_after_the_if_match_check(
    cast: Cast, make_event: Any, runtime: Any
) -> None:
    """Both editors pass the If-Match check with the same version; the row's version column stops
    the second write (UPDATE ... WHERE version = 1 matches nothing)."""
    event = await make_event(cast.owner.user)
    cache = CatalogueCache(runtime.redis)

    async def load(session: Any) -> Event:
        stmt = select(Event).options(selectinload(Event.ticket_types)).where(Event.id == event.id)
        loaded: Event = (await session.scalars(stmt)).one()
        return loaded

    async with unit_of_work(runtime.sessionmaker) as first, unit_of_work(runtime.sessionmaker) as second:
        mine, theirs = await load(first), await load(second)
        await service.update_event(first, cache, mine, EventUpdate(title="First"), if_match='"1"', now=service.utcnow())
        await first.commit()
        with pytest.raises(PreconditionFailed):
            await service.update_event(
                second, cache, theirs, EventUpdate(title="Second"), if_match='"1"', now=service.utcnow()
            )
        await second.rollback()
    stored = await load_event(runtime, event.id)
    assert stored is not None and (stored.title, stored.version) == ("First", 2)


async def test_ticket_type_edits_race_on_the_event_version(cast: Cast, make_event: Any, runtime: Any) -> None:
    event = await make_event(cast.owner.user)
    cache = CatalogueCache(runtime.redis)
    tier_id = event.ticket_types[0].id

    async def load(session: Any) -> Event:
        stmt = select(Event).options(selectinload(Event.ticket_types)).where(Event.id == event.id)
        loaded: Event = (await session.scalars(stmt)).one()
        return loaded

    async with unit_of_work(runtime.sessionmaker) as first, unit_of_work(runtime.sessionmaker) as second:
        mine, theirs = await load(first), await load(second)
        await service.update_ticket_type(
            first, cache, mine, tier_id, TicketTypeUpdate(price_minor=111), if_match='"1"', now=service.utcnow()
        )
        await first.commit()
        with pytest.raises(PreconditionFailed):
            await service.update_ticket_type(
                second, cache, theirs, tier_id, TicketTypeUpdate(price_minor=222), if_match='"1"', now=service.utcnow()
            )
        await second.rollback()
    stored = await load_event(runtime, event.id)
    assert stored is not None and stored.ticket_types[0].price_minor == 111
