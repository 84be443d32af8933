"""The .ics export: RFC 5545 line structure checked strictly, and parsed back by a real library."""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any

import httpx
import icalendar

from boxoffice.events.calendar import escape_text, fold
from boxoffice.models import EventStatus
from tests.events.conftest import Cast
from tests.events.helpers import assert_problem

CONTENT_LINE = re.compile(r"^[A-Z][A-Z0-9-]*(;[^:]*)?:.*$")


def strict_lines(body: bytes) -> list[str]:
    """Check the octet-level rules and return the unfolded content lines."""
    assert body.endswith(b"\r\n")
    physical = body[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical), "bare CR or LF"
    for line in physical:
        assert len(line) <= 75, (len(line), line)
        line.decode("utf-8")  # folding never splits a multi-byte character
    unfolded: list[str] = []
    for raw in physical:
        text = raw.decode("utf-8")
        if text.startswith(" "):
            unfolded[-1] += text[1:]
        else:
            unfolded.append(text)
    for content in unfolded:
        assert CONTENT_LINE.match(content), content
    return unfolded


def props(lines: list[str]) -> dict[str, str]:
    return {line.split(":", 1)[0]: line.split(":", 1)[1] for line in lines}


async def test_calendar_file(client: httpx.AsyncClient, cast: Cast, make_event: Any) -> None:
    title = "Rock, Paper; Scissors \\ Live — Ünïcödé fest with a very long name that needs folding " + "é" * 40
    event = await make_event(
        cast.owner.user,
        title=title,
        summary="Doors 19:00\nBring ID",
        venue_name="Hall 1",
        address="Main St. 5",
        city="Zürich",
        country="CH",
        latitude=47.3769,
        longitude=8.5417,
        timezone="Europe/Zurich",
        slug="rock-paper",
    )
    response = await client.get(f"/api/events/{event.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="rock-paper.ics"'
    lines = strict_lines(response.content)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-2:] == ["END:VEVENT", "END:VCALENDAR"]
    assert [line for line in lines if line.startswith(("BEGIN", "END"))] == [
        "BEGIN:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT", "END:VCALENDAR",
    ]  # fmt: skip
    fields = props(lines)
    assert fields["UID"] == f"{event.id}@boxoffice"
    assert fields["DTSTART"] == event.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert fields["DTEND"] == event.ends_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert fields["X-WR-TIMEZONE"] == "Europe/Zurich"
    assert (
        fields["SUMMARY"]
        == "Rock\\, Paper\\; Scissors \\\\ Live — Ünïcödé fest with a very long name that needs folding " + "é" * 40
    )
    assert fields["DESCRIPTION"] == "Doors 19:00\\nBring ID\\nhttp://localhost:8000/events/rock-paper"
    assert fields["LOCATION"] == "Hall 1\\, Main St. 5\\, Zürich\\, CH"
    assert fields["GEO"] == "47.376900;8.541700"
    assert fields["STATUS"] == "CONFIRMED"
    assert fields["URL"] == "http://localhost:8000/events/rock-paper"

    parsed = icalendar.Calendar.from_ical(response.content)
    [vevent] = parsed.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == title
    assert str(vevent["DESCRIPTION"]) == "Doors 19:00\nBring ID\nhttp://localhost:8000/events/rock-paper"
    assert vevent.decoded("DTSTART") == event.starts_at.astimezone(UTC)
    assert vevent.decoded("DTEND") == event.ends_at.astimezone(UTC)
    assert str(vevent["LOCATION"]) == "Hall 1, Main St. 5, Zürich, CH"


async def test_calendar_of_a_cancelled_event_and_by_slug(
    client: httpx.AsyncClient, cast: Cast, make_event: Any
) -> None:
    event = await make_event(cast.owner.user, slug="gone-gig")
    await client.post(f"/api/events/{event.id}/cancel", json={"reason": "Venue flooded"}, headers=cast.owner.headers)
    fields = props(strict_lines((await client.get("/api/events/gone-gig/calendar.ics")).content))
    assert fields["STATUS"] == "CANCELLED"
    assert fields["DESCRIPTION"].startswith("Cancelled: Venue flooded\\n")
    assert fields["SEQUENCE"] == "1"  # calendar apps replace the earlier copy


async def test_calendar_follows_the_visibility_rules(client: httpx.AsyncClient, cast: Cast, make_event: Any) -> None:
    draft = await make_event(cast.owner.user, status=EventStatus.DRAFT)
    assert_problem(await client.get(f"/api/events/{draft.id}/calendar.ics"), 404, "event_not_found")
    own = await client.get(f"/api/events/{draft.id}/calendar.ics", headers=cast.owner.headers)
    assert own.status_code == 200 and "STATUS:TENTATIVE\r\n" in own.text


def test_escaping_and_folding_rules() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    line = "DESCRIPTION:" + "€" * 60  # 3 octets each
    folded = fold(line).encode()
    pieces = folded.split(b"\r\n")
    assert all(len(p) <= 75 for p in pieces)
    assert all(p.startswith(b" ") for p in pieces[1:])
    assert b"".join(p[1:] if i else p for i, p in enumerate(pieces)).decode() == line
    assert fold("SHORT:x") == "SHORT:x"
    exactly = "X:" + "a" * 73
    assert fold(exactly) == exactly and fold(exactly + "b") == exactly + "\r\n b"
