"""Ticket types: add, change, delete; sales windows; availability = capacity - sold - held."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from tests.events.conftest import Cast
from tests.events.helpers import (
    assert_problem,
    field_messages,
    future,
    iso,
    load_event,
    set_counters,
    snapshot,
)


def tier_url(event: Any, tier_id: Any = None) -> str:
    base = f"/api/events/{event.id}/ticket-types"
    return f"{base}/{tier_id}" if tier_id else base


async def test_add_update_and_delete_a_ticket_type(client: httpx.AsyncClient, cast: Cast, make_event: Any) -> None:
    event = await make_event(cast.owner.user)
    added = await client.post(
        tier_url(event),
        json={"name": "VIP", "price_minor": 9000, "capacity": 20, "sort_order": -1},
        headers=cast.owner.headers,
    )
    assert added.status_code == 201, added.text
    vip = added.json()
    assert (vip["currency"], vip["remaining"], vip["sales_status"]) == ("EUR", 20, "on_sale")
    assert added.headers["etag"] == '"2"'  # ticket types are part of the event's version
    detail = (await client.get(f"/api/events/{event.id}")).json()
    assert [t["name"] for t in detail["ticket_types"]] == ["VIP", "General"]  # by sort_order

    assert_problem(
        await client.put(tier_url(event, vip["id"]), json={"price_minor": 1}, headers=cast.owner.headers),
        428,
        "precondition_required",
    )
    assert_problem(
        await client.put(
            tier_url(event, vip["id"]), json={"price_minor": 1}, headers={**cast.owner.headers, "If-Match": '"1"'}
        ),
        412,
        "precondition_failed",
    )
    changed = await client.put(
        tier_url(event, vip["id"]),
        json={"price_minor": 9500, "description": "Front rows"},
        headers={**cast.owner.headers, "If-Match": '"2"'},
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["price_minor"], changed.json()["description"], changed.json()["capacity"]) == (
        9500,
        "Front rows",
        20,
    )
    assert changed.headers["etag"] == '"3"'

    deleted = await client.delete(tier_url(event, vip["id"]), headers=cast.owner.headers)
    assert deleted.status_code == 204 and deleted.headers["etag"] == '"4"'
    assert [t["name"] for t in (await client.get(f"/api/events/{event.id}")).json()["ticket_types"]] == ["General"]
    assert_problem(
        await client.delete(tier_url(event, vip["id"]), headers=cast.owner.headers), 404, "ticket_type_not_found"
    )


async def test_a_ticket_type_of_another_event_is_not_found(
    client: httpx.AsyncClient, cast: Cast, make_event: Any
) -> None:
    mine = await make_event(cast.owner.user)
    other = await make_event(cast.owner.user)
    foreign = other.ticket_types[0].id
    assert_problem(
        await client.delete(tier_url(mine, foreign), headers=cast.owner.headers), 404, "ticket_type_not_found"
    )
    assert_problem(
        await client.put(
            tier_url(mine, foreign), json={"name": "x"}, headers={**cast.owner.headers, "If-Match": '"1"'}
        ),
        404,
        "ticket_type_not_found",
    )


async def test_capacity_never_goes_below_sold_plus_held(
    client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any
) -> None:
    event = await make_event(cast.owner.user, tiers=[("General", 2500, 100)])
    tier_id = event.ticket_types[0].id
    await set_counters(runtime, tier_id, sold=30, held=5)
    before = snapshot(await load_event(runtime, event.id))
    body = assert_problem(
        await client.put(
            tier_url(event, tier_id), json={"capacity": 34}, headers={**cast.owner.headers, "If-Match": '"1"'}
        ),
        409,
        "capacity_below_sold",
    )
    assert field_messages(body) == {"capacity": "below the 35 tickets sold or held"}
    assert snapshot(await load_event(runtime, event.id)) == before
    ok = await client.put(
        tier_url(event, tier_id), json={"capacity": 35}, headers={**cast.owner.headers, "If-Match": '"1"'}
    )
    assert ok.status_code == 200 and ok.json()["remaining"] == 0 and ok.json()["sales_status"] == "sold_out"

    assert_problem(
        await client.delete(tier_url(event, tier_id), headers=cast.owner.headers), 409, "ticket_type_has_sales"
    )


async def test_availability_is_capacity_minus_sold_minus_held(
    client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any
) -> None:
    event = await make_event(cast.owner.user, tiers=[("A", 1000, 10), ("B", 2000, 10)])
    a, b = event.ticket_types
    await set_counters(runtime, a.id, sold=4, held=3)
    detail = (await client.get(f"/api/events/{event.id}")).json()
    assert [t["remaining"] for t in detail["ticket_types"]] == [3, 10]
    assert (detail["remaining"], detail["sold_out"], detail["few_left"]) == (13, False, False)

    await set_counters(runtime, b.id, sold=9)
    listed = (await client.get("/api/events")).json()["items"][0]
    assert (listed["remaining"], listed["sold_out"], listed["few_left"]) == (4, False, True)

    await set_counters(runtime, a.id, sold=10)
    await set_counters(runtime, b.id, sold=9, held=1)
    listed = (await client.get("/api/events")).json()["items"][0]
    assert (listed["remaining"], listed["sold_out"], listed["few_left"]) == (0, True, False)


async def test_total_capacity_caps_every_ticket_type(
    client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any
) -> None:
    event = await make_event(cast.owner.user, tiers=[("A", 1000, 50), ("B", 2000, 50)], total_capacity=60)
    a, b = event.ticket_types
    await set_counters(runtime, a.id, sold=40)
    await set_counters(runtime, b.id, held=15)
    detail = (await client.get(f"/api/events/{event.id}")).json()
    assert detail["remaining"] == 5
    assert [t["remaining"] for t in detail["ticket_types"]] == [5, 5]
    body = assert_problem(
        await client.put(
            f"/api/events/{event.id}", json={"total_capacity": 54}, headers={**cast.owner.headers, "If-Match": '"1"'}
        ),
        409,
        "capacity_below_sold",
    )
    assert field_messages(body) == {"total_capacity": "below the 55 tickets sold or held"}
    lifted = await client.put(
        f"/api/events/{event.id}", json={"total_capacity": None}, headers={**cast.owner.headers, "If-Match": '"1"'}
    )
    assert lifted.json()["remaining"] == 45


async def test_sales_windows(client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any) -> None:
    event = await make_event(cast.owner.user, starts_in=timedelta(days=30))
    headers = cast.owner.headers

    async def add(**fields: Any) -> httpx.Response:
        return await client.post(
            tier_url(event), json={"name": "T", "price_minor": 100, "capacity": 5, **fields}, headers=headers
        )

    scheduled = await add(sales_start=iso(future(5)), sales_end=iso(future(20)))
    assert scheduled.json()["sales_status"] == "scheduled"
    open_now = await add(sales_start=iso(future(-1)), sales_end=iso(future(20)))
    assert open_now.json()["sales_status"] == "on_sale"
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"sales_start": iso(future(10)), "sales_end": iso(future(5))}, "sales_end", "must be after sales_start"),
        ({"sales_end": iso(future(-1))}, "sales_end", "must be in the future"),
        ({"sales_end": iso(future(31))}, "sales_end", "sales must close by the time the event ends"),
        ({"sales_start": iso(future(40))}, "sales_start", "sales must open before the event ends"),
        ({"min_per_order": 5, "max_per_order": 2}, "max_per_order", "must be at least min_per_order"),
        ({"currency": "USD"}, "currency", "must be the event's currency, EUR"),
        ({"capacity": -1}, "capacity", "Input should be greater than or equal to 0"),
    ]
    for fields, field, message in cases:
        body = assert_problem(await add(**fields), 422, "validation_error")
        assert field_messages(body).get(field) == message, (fields, body)

    tier_id = scheduled.json()["id"]
    etag = (await client.get(f"/api/events/{event.id}", headers=headers)).headers["etag"]
    before = snapshot(await load_event(runtime, event.id))
    for fields, field, message in cases:
        response = await client.put(tier_url(event, tier_id), json=fields, headers={**headers, "If-Match": etag})
        assert field_messages(assert_problem(response, 422, "validation_error")).get(field) == message
    assert snapshot(await load_event(runtime, event.id)) == before
    nulls = await client.put(
        tier_url(event, tier_id), json={"name": None, "capacity": None}, headers={**headers, "If-Match": etag}
    )
    assert field_messages(assert_problem(nulls, 422, "validation_error")) == {
        "capacity": "may not be null",
        "name": "may not be null",
    }
    reopened = await client.put(
        tier_url(event, tier_id), json={"sales_start": None}, headers={**headers, "If-Match": etag}
    )
    assert reopened.status_code == 200 and reopened.json()["sales_status"] == "on_sale"


async def test_sales_end_with_the_event(client: httpx.AsyncClient, cast: Cast, make_event: Any) -> None:
    ended = await make_event(cast.owner.user, starts_in=timedelta(days=-1))
    detail = (await client.get(f"/api/events/{ended.id}")).json()
    assert detail["ticket_types"][0]["sales_status"] == "ended"
    added = await client.post(
        tier_url(ended), json={"name": "Late", "price_minor": 1, "capacity": 1}, headers=cast.owner.headers
    )
    assert_problem(added, 409, "event_ended")


async def test_hidden_ticket_types_are_for_the_organizer_only(
    client: httpx.AsyncClient, cast: Cast, make_event: Any
) -> None:
    event = await make_event(cast.owner.user, tiers=[("Public", 1000, 10)])
    await client.post(
        tier_url(event),
        json={"name": "Crew", "price_minor": 0, "capacity": 5, "hidden": True},
        headers=cast.owner.headers,
    )
    public = (await client.get(f"/api/events/{event.id}")).json()
    assert [t["name"] for t in public["ticket_types"]] == ["Public"]
    assert (public["price_from_minor"], public["remaining"]) == (1000, 10)
    owner_view = (await client.get(f"/api/events/{event.id}", headers=cast.owner.headers)).json()
    assert [t["name"] for t in owner_view["ticket_types"]] == ["Crew", "Public"]
    assert owner_view["ticket_types"][0]["hidden"] is True


async def test_currency_is_locked_once_tickets_sell(
    client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any
) -> None:
    event = await make_event(cast.owner.user, tiers=[("A", 1000, 10), ("B", 500, 10)])
    changed = await client.put(
        f"/api/events/{event.id}", json={"currency": "sek"}, headers={**cast.owner.headers, "If-Match": '"1"'}
    )
    assert changed.status_code == 200, changed.text
    assert {t["currency"] for t in changed.json()["ticket_types"]} == {"SEK"}
    await set_counters(runtime, event.ticket_types[0].id, sold=1)
    before = snapshot(await load_event(runtime, event.id))
    locked = await client.put(
        f"/api/events/{event.id}", json={"currency": "EUR"}, headers={**cast.owner.headers, "If-Match": '"2"'}
    )
    assert_problem(locked, 409, "currency_locked")
    assert snapshot(await load_event(runtime, event.id)) == before
