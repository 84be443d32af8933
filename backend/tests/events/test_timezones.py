"""Times: stored in UTC beside the event's IANA timezone; wall-clock input is read in that timezone,
and the wall-clock times a daylight-saving change skips or repeats are refused, not guessed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from tests.events.conftest import Cast
from tests.events.helpers import assert_problem, event_payload, field_messages

# Always in the future (events must start in the future), whatever year the tests run in.
YEAR = datetime.now(UTC).year + 2


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


SPRING_FORWARD = last_sunday(YEAR, 3)  # Europe/Berlin: 02:00 CET -> 03:00 CEST
FALL_BACK = last_sunday(YEAR, 10)  # Europe/Berlin: 03:00 CEST -> 02:00 CET


def local(day: date, clock: str) -> str:
    return f"{day.isoformat()}T{clock}"


async def post(client: httpx.AsyncClient, cast: Cast, **overrides: Any) -> httpx.Response:
    return await client.post(
        "/api/events",
        json=event_payload(**{"timezone": "Europe/Berlin", "ticket_types": [], **overrides}),
        headers=cast.owner.headers,
    )


async def test_wall_clock_times_are_read_in_the_event_timezone(client: httpx.AsyncClient, cast: Cast) -> None:
    winter = await post(
        client,
        cast,
        starts_at=local(SPRING_FORWARD - timedelta(days=1), "20:00"),
        ends_at=local(SPRING_FORWARD - timedelta(days=1), "23:00"),
    )
    assert winter.status_code == 201, winter.text
    assert winter.json()["starts_at"] == f"{SPRING_FORWARD - timedelta(days=1)}T19:00:00Z"  # CET is UTC+1
    summer = await post(client, cast, starts_at=local(SPRING_FORWARD, "20:00"), ends_at=local(SPRING_FORWARD, "23:00"))
    assert summer.json()["starts_at"] == f"{SPRING_FORWARD}T18:00:00Z"  # CEST is UTC+2
    assert summer.json()["timezone"] == "Europe/Berlin"


async def test_a_time_skipped_by_the_spring_change_is_refused(client: httpx.AsyncClient, cast: Cast) -> None:
    response = await post(
        client, cast, starts_at=local(SPRING_FORWARD, "02:30"), ends_at=local(SPRING_FORWARD, "05:00")
    )
    message = field_messages(assert_problem(response, 422, "validation_error"))["starts_at"]
    assert (
        message
        == f"{SPRING_FORWARD}T02:30 does not exist in Europe/Berlin: the clocks skip it at a daylight-saving change"
    )


async def test_a_time_repeated_by_the_autumn_change_needs_an_offset(client: httpx.AsyncClient, cast: Cast) -> None:
    response = await post(client, cast, starts_at=local(FALL_BACK, "02:30"), ends_at=local(FALL_BACK, "05:00"))
    message = field_messages(assert_problem(response, 422, "validation_error"))["starts_at"]
    assert message == (
        f"{FALL_BACK}T02:30 happens twice in Europe/Berlin (daylight-saving change): "
        "add the UTC offset, +02:00 or +01:00"
    )
    first = await post(client, cast, starts_at=local(FALL_BACK, "02:30+02:00"), ends_at=local(FALL_BACK, "05:00"))
    second = await post(client, cast, starts_at=local(FALL_BACK, "02:30+01:00"), ends_at=local(FALL_BACK, "05:00"))
    assert first.json()["starts_at"] == f"{FALL_BACK}T00:30:00Z"
    assert second.json()["starts_at"] == f"{FALL_BACK}T01:30:00Z"


async def test_an_event_across_a_dst_change_keeps_its_real_duration(client: httpx.AsyncClient, cast: Cast) -> None:
    # 01:00 to 04:00 on the spring-forward night is two real hours, not three.
    response = await post(
        client, cast, starts_at=local(SPRING_FORWARD, "01:00"), ends_at=local(SPRING_FORWARD, "04:00")
    )
    body = response.json()
    start = datetime.fromisoformat(body["starts_at"])
    end = datetime.fromisoformat(body["ends_at"])
    assert end - start == timedelta(hours=2)
    ics = (await client.get(f"/api/events/{body['id']}/calendar.ics", headers=cast.owner.headers)).text
    assert f"DTSTART:{SPRING_FORWARD:%Y%m%d}T000000Z\r\n" in ics
    assert f"DTEND:{SPRING_FORWARD:%Y%m%d}T020000Z\r\n" in ics
    assert "X-WR-TIMEZONE:Europe/Berlin\r\n" in ics


async def test_offsets_are_honoured_and_returned_in_utc(client: httpx.AsyncClient, cast: Cast) -> None:
    response = await post(
        client,
        cast,
        timezone="America/New_York",
        starts_at=f"{YEAR}-07-04T21:00:00-04:00",
        ends_at=f"{YEAR}-07-05T01:30:00Z",
    )
    body = response.json()
    assert (body["starts_at"], body["ends_at"], body["timezone"]) == (
        f"{YEAR}-07-05T01:00:00Z",
        f"{YEAR}-07-05T01:30:00Z",
        "America/New_York",
    )


async def test_changing_the_timezone_reinterprets_only_times_sent_with_it(
    client: httpx.AsyncClient, cast: Cast
) -> None:
    created = (await post(client, cast, starts_at=f"{YEAR}-06-01T18:00", ends_at=f"{YEAR}-06-01T21:00")).json()
    assert created["starts_at"] == f"{YEAR}-06-01T16:00:00Z"
    moved = await client.put(
        f"/api/events/{created['id']}",
        json={"timezone": "Asia/Tokyo", "starts_at": f"{YEAR}-06-01T18:00"},
        headers={**cast.owner.headers, "If-Match": '"1"'},
    )
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert (body["timezone"], body["starts_at"]) == ("Asia/Tokyo", f"{YEAR}-06-01T09:00:00Z")
    assert body["ends_at"] == created["ends_at"]  # an instant not sent stays the same instant


async def test_sales_windows_and_early_bird_deadlines_use_the_event_timezone(
    client: httpx.AsyncClient, cast: Cast
) -> None:
    tier = {
        "name": "Early",
        "price_minor": 2000,
        "capacity": 10,
        "sales_start": f"{YEAR}-05-01T09:00",
        "sales_end": f"{YEAR}-06-01T12:00",
        "pricing_rules": [{"kind": "time", "until": f"{YEAR}-05-15T00:00", "price_minor": 1500}],
    }
    response = await post(
        client, cast, starts_at=f"{YEAR}-06-01T18:00", ends_at=f"{YEAR}-06-01T21:00", ticket_types=[tier]
    )
    assert response.status_code == 201, response.text
    created = response.json()["ticket_types"][0]
    assert (created["sales_start"], created["sales_end"]) == (f"{YEAR}-05-01T07:00:00Z", f"{YEAR}-06-01T10:00:00Z")
    assert created["pricing_rules"][0]["until"] == f"{YEAR}-05-14T22:00:00Z"
    skipped = {**tier, "sales_start": local(SPRING_FORWARD, "02:15")}
    refused = await post(
        client, cast, starts_at=f"{YEAR}-06-01T18:00", ends_at=f"{YEAR}-06-01T21:00", ticket_types=[skipped]
    )
    assert "ticket_types.0.sales_start" in field_messages(assert_problem(refused, 422, "validation_error"))
