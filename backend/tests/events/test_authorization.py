"""Who may do what: every events route x (anonymous, customer, owner, another organizer, admin)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from boxoffice.models import Event, EventStatus, EventVisibility
from boxoffice.storage import LocalDiskStorage
from tests.events.conftest import Actor, Cast
from tests.events.helpers import event_payload
from tests.events.test_cover import png_bytes

Call = Callable[[httpx.AsyncClient, Event, dict[str, str]], Awaitable[httpx.Response]]


@dataclass
class Case:
    name: str
    call: Call
    # anonymous, customer, owner, other organizer, admin
    expected: tuple[int, int, int, int, int]
    status: EventStatus = EventStatus.PUBLISHED
    visibility: EventVisibility = EventVisibility.PUBLIC
    with_cover: bool = False


def tier(event: Event) -> str:
    return f"/api/events/{event.id}/ticket-types/{event.ticket_types[0].id}"


PUBLIC = (200, 200, 200, 200, 200)
ORGANIZER_OWNS = (401, 403, 200, 403, 200)
CASES = [
    Case("list", lambda c, e, h: c.get("/api/events", headers=h), PUBLIC),
    Case("get published", lambda c, e, h: c.get(f"/api/events/{e.id}", headers=h), PUBLIC),
    Case("get by slug", lambda c, e, h: c.get(f"/api/events/{e.slug}", headers=h), PUBLIC),
    Case(
        "get unlisted",
        lambda c, e, h: c.get(f"/api/events/{e.id}", headers=h),
        PUBLIC,
        visibility=EventVisibility.UNLISTED,
    ),
    Case(
        "get draft",
        lambda c, e, h: c.get(f"/api/events/{e.id}", headers=h),
        (404, 404, 200, 404, 200),
        status=EventStatus.DRAFT,
    ),
    Case("create", lambda c, e, h: c.post("/api/events", json=event_payload(), headers=h), (401, 403, 201, 201, 201)),
    Case(
        "update",
        lambda c, e, h: c.put(f"/api/events/{e.id}", json={"title": "New"}, headers={**h, "If-Match": '"1"'}),
        ORGANIZER_OWNS,
    ),
    Case("delete", lambda c, e, h: c.delete(f"/api/events/{e.id}", headers=h), (401, 403, 204, 403, 204)),
    Case("mine", lambda c, e, h: c.get("/api/events/my/events", headers=h), (401, 403, 200, 200, 200)),
    Case(
        "publish",
        lambda c, e, h: c.post(f"/api/events/{e.id}/publish", headers=h),
        ORGANIZER_OWNS,
        status=EventStatus.DRAFT,
    ),
    Case(
        "cancel",
        lambda c, e, h: c.post(f"/api/events/{e.id}/cancel", json={"reason": "Storm"}, headers=h),
        ORGANIZER_OWNS,
    ),
    Case("calendar", lambda c, e, h: c.get(f"/api/events/{e.id}/calendar.ics", headers=h), PUBLIC),
    Case(
        "calendar of a draft",
        lambda c, e, h: c.get(f"/api/events/{e.id}/calendar.ics", headers=h),
        (404, 404, 200, 404, 200),
        status=EventStatus.DRAFT,
    ),
    Case(
        "upload cover",
        lambda c, e, h: c.post(
            f"/api/events/{e.id}/cover", files={"file": ("c.png", png_bytes(), "image/png")}, headers=h
        ),
        ORGANIZER_OWNS,
    ),
    Case("get cover", lambda c, e, h: c.get(f"/api/events/{e.id}/cover", headers=h), PUBLIC, with_cover=True),
    Case(
        "get cover of a draft",
        lambda c, e, h: c.get(f"/api/events/{e.id}/cover", headers=h),
        PUBLIC,
        status=EventStatus.DRAFT,
        with_cover=True,
    ),
    Case(
        "add ticket type",
        lambda c, e, h: c.post(
            f"/api/events/{e.id}/ticket-types", json={"name": "VIP", "price_minor": 1, "capacity": 1}, headers=h
        ),
        (401, 403, 201, 403, 201),
    ),
    Case(
        "update ticket type",
        lambda c, e, h: c.put(tier(e), json={"price_minor": 10}, headers={**h, "If-Match": '"1"'}),
        ORGANIZER_OWNS,
    ),
    Case("delete ticket type", lambda c, e, h: c.delete(tier(e), headers=h), (401, 403, 204, 403, 204)),
]


@pytest.fixture
def local_uploads(runtime: Any, tmp_path: Path) -> Path:
    """Keep this test's uploads in a temporary directory instead of the data dir."""
    runtime.extras["storage"] = LocalDiskStorage(tmp_path)
    return tmp_path


async def test_authorization_matrix(
    client: httpx.AsyncClient, cast: Cast, make_event: Any, local_uploads: Path
) -> None:
    """One test for the whole table, so that a failure shows every cell that differs."""
    names = [a.name for a in cast.all()]
    mismatches: list[str] = []
    for case in CASES:
        observed: list[int] = []
        for actor in cast.all():
            # A fresh event per caller, so that one caller's success (a delete) cannot decide the next.
            event = await make_event(cast.owner.user, status=case.status, visibility=case.visibility, venue_name="Hall")
            if case.with_cover:
                upload = await client.post(
                    f"/api/events/{event.id}/cover",
                    files={"file": ("c.png", png_bytes(), "image/png")},
                    headers=cast.owner.headers,
                )
                assert upload.status_code == 200, upload.text
            response = await case.call(client, event, actor.headers)
            observed.append(response.status_code)
            if response.status_code >= 400:
                assert response.headers["content-type"].startswith("application/problem+json"), case.name
        if tuple(observed) != case.expected:
            cells = ", ".join(
                f"{name}: {got} (expected {want})"
                for name, got, want in zip(names, observed, case.expected, strict=True)
                if got != want
            )
            mismatches.append(f"{case.name}: {cells}")
    assert not mismatches, "\n".join(mismatches)


async def test_a_deactivated_or_signed_out_organizer_is_refused(
    client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any
) -> None:
    from sqlalchemy import update

    from boxoffice.db import unit_of_work
    from boxoffice.models import Role, User

    owner: Actor = cast.owner
    assert owner.user is not None
    event = await make_event(owner.user)
    async with unit_of_work(runtime.sessionmaker) as session:
        await session.execute(update(User).where(User.id == owner.user.id).values(role=Role.CUSTOMER))
    demoted = await client.put(
        f"/api/events/{event.id}", json={"title": "x"}, headers={**owner.headers, "If-Match": '"1"'}
    )
    assert demoted.status_code == 403  # roles are read per request, not trusted from the token
    bad_token = await client.post("/api/events", json=event_payload(), headers={"Authorization": "Bearer nonsense"})
    assert bad_token.status_code == 401
