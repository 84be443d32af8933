"""Dynamic pricing: the maths (property-based, with hypothesis), its SQL twin, and rule validation."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from boxoffice.events.pricing import (
    BoundsRule,
    DemandRule,
    DemandStep,
    TimeRule,
    dump_rules,
    parse_rules,
    percent_off,
    price_valid_until,
    quote_price,
)
from tests.events.conftest import Cast
from tests.events.helpers import assert_problem, event_payload, field_messages, future, iso, set_counters

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
# No example database on disk (nothing to clean up or ignore), and no per-example deadline: a busy
# CI machine must not turn a slow example into a failure.
properties = settings(database=None, deadline=None)
AnyRule = TimeRule | DemandRule | BoundsRule

prices = st.integers(min_value=0, max_value=1_000_000)
moments = st.integers(min_value=-5_000, max_value=5_000).map(lambda minutes: NOW + timedelta(minutes=minutes))


@st.composite
def time_rules(draw: st.DrawFn) -> TimeRule:
    until = draw(moments)
    if draw(st.booleans()):
        return TimeRule(until=until, price_minor=draw(prices))
    return TimeRule(until=until, percent_off=draw(st.integers(min_value=1, max_value=100)))


@st.composite
def demand_rules(draw: st.DrawFn) -> DemandRule:
    shares = draw(st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=6, unique=True))
    step_prices = sorted(draw(st.lists(prices, min_size=len(shares), max_size=len(shares))))
    return DemandRule(
        steps=[
            DemandStep(sold_share=s / 10_000, price_minor=p) for s, p in zip(sorted(shares), step_prices, strict=True)
        ]
    )


@st.composite
def bounds_rules(draw: st.DrawFn) -> BoundsRule:
    floor = draw(st.none() | prices)
    ceiling = draw(st.none() | prices)
    assume(floor is not None or ceiling is not None)
    if floor is not None and ceiling is not None and floor > ceiling:
        floor, ceiling = ceiling, floor
    return BoundsRule(floor_minor=floor, ceiling_minor=ceiling)


@st.composite
def rule_sets(draw: st.DrawFn) -> list[AnyRule]:
    early_birds: list[TimeRule] = draw(st.lists(time_rules(), max_size=3, unique_by=lambda r: r.until))
    rules: list[AnyRule] = list(early_birds)
    if draw(st.booleans()):
        rules.append(draw(demand_rules()))
    if draw(st.booleans()):
        rules.append(draw(bounds_rules()))
    return draw(st.permutations(rules))


@st.composite
def inventories(draw: st.DrawFn) -> tuple[int, int]:
    capacity = draw(st.integers(min_value=0, max_value=5_000))
    return draw(st.integers(min_value=0, max_value=capacity)), capacity


def quote(base: int, rules: list[AnyRule], *, now: datetime = NOW, sold: int = 0, capacity: int = 100) -> int:
    return quote_price(base, rules, now=now, sold=sold, capacity=capacity)


# --- properties ---------------------------------------------------------------------------------


@properties
@given(prices, rule_sets(), moments, inventories())
def test_price_is_never_negative(base: int, rules: list[AnyRule], now: datetime, inventory: tuple[int, int]) -> None:
    sold, capacity = inventory
    assert quote(base, rules, now=now, sold=sold, capacity=capacity) >= 0


@properties
@given(prices, rule_sets(), bounds_rules(), moments, inventories())
def test_price_stays_within_floor_and_ceiling(
    base: int, rules: list[AnyRule], bounds: BoundsRule, now: datetime, inventory: tuple[int, int]
) -> None:
    sold, capacity = inventory
    rules = [r for r in rules if not isinstance(r, BoundsRule)] + [bounds]
    price = quote(base, rules, now=now, sold=sold, capacity=capacity)
    if bounds.floor_minor is not None:
        assert price >= bounds.floor_minor
    if bounds.ceiling_minor is not None:
        assert price <= bounds.ceiling_minor


@properties
@given(prices, rule_sets(), moments, st.integers(min_value=0, max_value=5_000), st.data())
def test_price_never_drops_as_more_sells(
    base: int, rules: list[AnyRule], now: datetime, capacity: int, data: st.DataObject
) -> None:
    fewer = data.draw(st.integers(min_value=0, max_value=capacity))
    more = data.draw(st.integers(min_value=fewer, max_value=capacity))
    assert quote(base, rules, now=now, sold=fewer, capacity=capacity) <= quote(
        base, rules, now=now, sold=more, capacity=capacity
    )


@properties
@given(prices, time_rules(), st.none() | demand_rules(), inventories())
def test_early_bird_applies_strictly_before_its_deadline(
    base: int, early: TimeRule, demand: DemandRule | None, inventory: tuple[int, int]
) -> None:
    sold, capacity = inventory
    others: list[AnyRule] = [demand] if demand else []
    offer = early.price_minor if early.price_minor is not None else percent_off(base, early.percent_off or 0)
    just_before = early.until - timedelta(microseconds=1)
    assert quote(base, [early, *others], now=just_before, sold=sold, capacity=capacity) == offer
    regular = quote(base, others, now=early.until, sold=sold, capacity=capacity)
    assert quote(base, [early, *others], now=early.until, sold=sold, capacity=capacity) == regular
    assert quote(base, [early, *others], now=early.until + timedelta(days=1), sold=sold, capacity=capacity) == regular


@properties
@given(prices, st.lists(time_rules(), min_size=2, max_size=4, unique_by=lambda r: r.until), moments)
def test_the_soonest_ending_early_bird_wins(base: int, rules: list[TimeRule], now: datetime) -> None:
    active = sorted((r for r in rules if now < r.until), key=lambda r: r.until)
    expected = base
    if active:
        first = active[0]
        expected = first.price_minor if first.price_minor is not None else percent_off(base, first.percent_off or 0)
    assert quote(base, list(rules), now=now) == expected
    assert price_valid_until(rules, now=now) == (active[0].until if active else None)


@properties
@given(prices, rule_sets())
def test_rules_survive_storage_roundtrip(base: int, rules: list[AnyRule]) -> None:
    stored = json.loads(json.dumps(dump_rules(rules)))  # what JSONB gives back
    assert parse_rules(stored) == rules
    assert quote(base, parse_rules(stored), sold=37, capacity=90) == quote(base, rules, sold=37, capacity=90)


# --- examples -----------------------------------------------------------------------------------


def test_examples() -> None:
    demand = DemandRule(
        steps=[DemandStep(sold_share=0.3, price_minor=1500), DemandStep(sold_share=0.8, price_minor=2000)]
    )
    # 0.3 * 10 is 3.0000000000000004 in floating point: the 3rd sale must still reach the 30 % step.
    assert [quote(1000, [demand], sold=s, capacity=10) for s in (0, 2, 3, 7, 8, 10)] == [
        1000, 1000, 1500, 1500, 2000, 2000,
    ]  # fmt: skip
    assert quote(1000, [demand], sold=0, capacity=0) == 2000  # nothing to sell: every step is reached
    early = TimeRule(until=NOW, percent_off=15)
    assert quote(999, [early], now=NOW - timedelta(seconds=1)) == 849  # 849.15 rounds to 849
    assert quote(1001, [early], now=NOW - timedelta(seconds=1)) == 851  # 850.85 rounds to 851
    assert quote(1000, [TimeRule(until=NOW, percent_off=100)], now=NOW - timedelta(seconds=1)) == 0
    bounds = BoundsRule(floor_minor=900, ceiling_minor=1800)
    assert quote(1000, [early, demand, bounds], now=NOW - timedelta(seconds=1), sold=9, capacity=10) == 900
    assert quote(1000, [early, demand, bounds], now=NOW, sold=9, capacity=10) == 1800


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"kind": "time", "until": "2030-01-01T00:00:00Z"}, "exactly one of price_minor or percent_off"),
        ({"kind": "time", "until": "2030-01-01T00:00:00Z", "price_minor": 1, "percent_off": 5}, "exactly one"),
        ({"kind": "time", "until": "2030-01-01T00:00:00Z", "percent_off": 101}, "less than or equal to 100"),
        ({"kind": "demand", "steps": []}, "at least 1 item"),
        ({"kind": "demand", "steps": [{"sold_share": 1.5, "price_minor": 1}]}, "less than or equal to 1"),
        (
            {"kind": "demand", "steps": [{"sold_share": 0.5, "price_minor": 2}, {"sold_share": 0.4, "price_minor": 3}]},
            "strictly increasing sold_share",
        ),
        (
            {"kind": "demand", "steps": [{"sold_share": 0.4, "price_minor": 5}, {"sold_share": 0.5, "price_minor": 3}]},
            "may not be cheaper",
        ),
        ({"kind": "bounds"}, "floor_minor, ceiling_minor or both"),
        ({"kind": "bounds", "floor_minor": 5, "ceiling_minor": 4}, "must not exceed"),
        ({"kind": "surge", "factor": 2}, "does not match any of the expected tags"),
    ],
)
def test_invalid_rules_are_refused(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_rules([rule])


# --- the SQL twin -------------------------------------------------------------------------------


@pytest.fixture
async def pg(test_database: str) -> Any:
    connection = await asyncpg.connect(test_database)
    yield connection
    await connection.close()


async def sql_quote(pg: Any, base: int, rules: list[AnyRule], *, now: datetime, sold: int, capacity: int) -> int:
    value: int = await pg.fetchval(
        "SELECT boxoffice_ticket_price($1, $2::jsonb, $3, $4, $5)",
        base,
        json.dumps(dump_rules(rules)),
        sold,
        capacity,
        now,
    )
    return value


@settings(properties, max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=prices, rules=rule_sets(), now=moments, inventory=inventories(), on_edge=st.booleans())
async def test_sql_function_agrees_with_python(
    pg: Any, base: int, rules: list[AnyRule], now: datetime, inventory: tuple[int, int], on_edge: bool
) -> None:
    sold, capacity = inventory
    if on_edge:  # exactly at a deadline and exactly on a demand step: where off-by-one bugs live
        deadlines = [r.until for r in rules if isinstance(r, TimeRule)]
        now = deadlines[0] if deadlines else now
        steps = [s for r in rules if isinstance(r, DemandRule) for s in r.steps]
        if steps and capacity:
            sold = min(capacity, round(steps[0].sold_share * capacity))
    expected = quote(base, rules, now=now, sold=sold, capacity=capacity)
    assert await sql_quote(pg, base, rules, now=now, sold=sold, capacity=capacity) == expected


# --- through the API ------------------------------------------------------------------------------


async def test_listing_and_detail_show_the_current_price(client: httpx.AsyncClient, cast: Cast, runtime: Any) -> None:
    deadline = future(2)
    tiers = [
        {
            "name": "Dynamic",
            "price_minor": 5000,
            "capacity": 10,
            "pricing_rules": [
                {"kind": "time", "until": iso(deadline), "percent_off": 20},
                {"kind": "demand", "steps": [{"sold_share": 0.5, "price_minor": 7000}]},
                {"kind": "bounds", "ceiling_minor": 6500},
            ],
        }
    ]
    created = await client.post("/api/events", json=event_payload(ticket_types=tiers), headers=cast.owner.headers)
    assert created.status_code == 201, created.text
    event = created.json()
    tier = event["ticket_types"][0]
    assert (tier["price_minor"], tier["base_price_minor"]) == (4000, 5000)
    assert tier["price_valid_until"] == iso(deadline)
    assert tier["pricing_rules"][0] == {"kind": "time", "until": iso(deadline), "price_minor": None, "percent_off": 20}
    await client.post(f"/api/events/{event['id']}/publish", headers=cast.owner.headers)
    listed = (await client.get("/api/events")).json()["items"][0]
    assert (listed["price_from_minor"], listed["price_to_minor"]) == (4000, 4000)
    public = (await client.get(f"/api/events/{event['id']}")).json()["ticket_types"][0]
    assert public["price_minor"] == 4000 and public["pricing_rules"] is None  # rules are the organizer's business

    # The early bird ends and half of the tickets sell: demand lifts the price, the ceiling caps it.
    await client.put(
        f"/api/events/{event['id']}/ticket-types/{tier['id']}",
        json={"pricing_rules": [r for r in tier["pricing_rules"] if r["kind"] != "time"]},
        headers={**cast.owner.headers, "If-Match": '"2"'},
    )
    await set_counters(runtime, tier["id"], sold=5)
    listed = (await client.get("/api/events")).json()["items"][0]
    assert listed["price_from_minor"] == 6500


async def test_invalid_rules_are_refused_by_the_api_with_field_errors(client: httpx.AsyncClient, cast: Cast) -> None:
    def with_rules(*rules: dict[str, Any]) -> dict[str, Any]:
        return event_payload(ticket_types=[{"name": "T", "price_minor": 100, "capacity": 5, "pricing_rules": rules}])

    cases: list[tuple[dict[str, Any], str]] = [
        (
            with_rules({"kind": "bounds", "floor_minor": 10, "ceiling_minor": 5}),
            "ticket_types.0.pricing_rules.0.bounds",
        ),
        (
            with_rules({"kind": "bounds", "floor_minor": 1}, {"kind": "bounds", "ceiling_minor": 9}),
            "ticket_types.0.pricing_rules.1",
        ),
        (with_rules({"kind": "nope"}), "ticket_types.0.pricing_rules.0"),
        (
            with_rules(
                {"kind": "time", "until": "2031-01-01T00:00:00Z", "price_minor": 5},
                {"kind": "time", "until": "2031-01-01T01:00:00+01:00", "price_minor": 6},
            ),
            "ticket_types.0.pricing_rules.1.until",
        ),
    ]
    for payload, field in cases:
        response = await client.post("/api/events", json=payload, headers=cast.owner.headers)
        body = assert_problem(response, 422, "validation_error")
        assert field in field_messages(body), body
