"""Creating, reading, editing, publishing, cancelling and deleting events."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import httpx

from boxoffice.models import EventStatus
from tests.events.conftest import Cast
from tests.events.helpers import (
    assert_problem,
    event_payload,
    field_messages,
    future,
    iso,
    load_event,
    set_counters,
    snapshot,
)


async def create(client: httpx.AsyncClient, cast: Cast, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/events", json=event_payload(**overrides), headers=cast.owner.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_create_returns_a_draft_with_generated_slug_and_etag(client: httpx.AsyncClient, cast: Cast) -> None:
    response = await client.post("/api/events", json=event_payload(), headers=cast.owner.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "draft"
    assert body["slug"] == "harbour-lights-concert"
    assert body["organizer_id"] == str(cast.owner.user.id)  # type: ignore[union-attr]
    assert body["version"] == 1 and response.headers["etag"] == '"1"'
    assert response.headers["location"] == f"/api/events/{body['id']}"
    assert body["can_manage"] is True
    assert body["tags"] == ["classical", "outdoor"]
    assert body["description_html"] == "<p>An <strong>open-air</strong> evening.</p>\n"
    [tier] = body["ticket_types"]
    assert (tier["price_minor"], tier["base_price_minor"], tier["remaining"]) == (3000, 3000, 100)
    assert tier["sales_status"] == "unavailable"  # a draft sells nothing
    assert (tier["sold"], tier["held"], tier["pricing_rules"]) == (0, 0, [])

    again = await client.post("/api/events", json=event_payload(), headers=cast.owner.headers)
    assert again.status_code == 201
    assert again.json()["slug"].startswith("harbour-lights-concert-")
    assert again.json()["slug"] != body["slug"]


async def test_slug_generation_handles_accents_and_id_lookalikes(client: httpx.AsyncClient, cast: Cast) -> None:
    accents = await create(client, cast, title="Fête de la Musique à Zürich!")
    assert accents["slug"] == "fete-de-la-musique-a-zurich"
    symbols = await create(client, cast, title="!!!")
    assert symbols["slug"] == "event"
    lookalike = await create(client, cast, title="123e4567-e89b-12d3-a456-426614174000")
    assert lookalike["slug"] == "event-123e4567-e89b-12d3-a456-426614174000"


async def test_explicit_slug_must_be_unique(client: httpx.AsyncClient, cast: Cast) -> None:
    await create(client, cast, slug="summer-gala")
    response = await client.post("/api/events", json=event_payload(slug="summer-gala"), headers=cast.owner.headers)
    body = assert_problem(response, 409, "slug_taken")
    assert field_messages(body) == {"slug": "taken"}
    bad = await client.post("/api/events", json=event_payload(slug="Not A Slug"), headers=cast.owner.headers)
    assert "slug" in field_messages(assert_problem(bad, 422, "validation_error"))


async def test_get_by_id_and_by_slug(client: httpx.AsyncClient, cast: Cast) -> None:
    created = await create(client, cast, visibility="public")
    await client.post(f"/api/events/{created['id']}/publish", headers=cast.owner.headers)
    by_id = await client.get(f"/api/events/{created['id']}")
    by_slug = await client.get(f"/api/events/{created['slug']}")
    by_upper_slug = await client.get(f"/api/events/{created['slug'].upper()}")
    assert by_id.status_code == by_slug.status_code == by_upper_slug.status_code == 200
    assert by_id.json()["id"] == by_slug.json()["id"] == by_upper_slug.json()["id"] == created["id"]
    assert by_id.headers["etag"] == '"2"'  # publishing bumped the version
    public = by_id.json()
    assert public["can_manage"] is False
    assert public["ticket_types"][0]["sold"] is None and public["ticket_types"][0]["pricing_rules"] is None
    assert_problem(await client.get("/api/events/no-such-event"), 404, "event_not_found")
    assert_problem(await client.get("/api/events/00000000-0000-4000-8000-000000000000"), 404, "event_not_found")


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parsed_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _TagCollector()
    collector.feed(html)
    return collector.tags


async def test_markdown_is_rendered_safely(client: httpx.AsyncClient, cast: Cast) -> None:
    markdown = (
        "# Line-up\n\n<script>alert('x')</script>\n\n[click](javascript:alert(1)) "
        '<a href="javascript:alert(2)">raw</a> <img src=x onerror=alert(3)>\n\n'
        "[site](https://example.com) ![pic](data:image/png;base64,AAAA) [Mail](mailto:hi@example.com)"
    )
    created = await create(client, cast, description_md=markdown)
    html = created["description_html"]
    tags = parsed_tags(html)
    assert {tag for tag, _ in tags} <= {"h1", "p", "a", "img"}
    assert "script" not in {tag for tag, _ in tags}
    for _, attrs in tags:
        assert not any(name.startswith("on") for name in attrs), attrs
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), attrs
    links = [attrs["href"] for tag, attrs in tags if tag == "a"]
    assert links == ["https://example.com", "mailto:hi@example.com"]
    assert all(attrs.get("rel") == "noopener noreferrer nofollow" for tag, attrs in tags if tag == "a")
    assert "<h1>Line-up</h1>" in html
    assert "&lt;script&gt;" in html  # raw HTML is shown as text, not run
    assert created["description_md"] == markdown  # the source is kept as written


async def test_update_changes_only_sent_fields_and_bumps_the_etag(
    client: httpx.AsyncClient, cast: Cast, runtime: Any
) -> None:
    created = await create(client, cast)
    response = await client.put(
        f"/api/events/{created['id']}",
        json={"title": "Harbour Lights (Extended)", "tags": ["Night", "night", "strings"], "venue_name": None},
        headers={**cast.owner.headers, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["title"] == "Harbour Lights (Extended)"
    assert body["slug"] == created["slug"]  # links stay stable when the title changes
    assert body["tags"] == ["night", "strings"]
    assert body["venue_name"] is None and body["city"] == "Hamburg"
    assert body["version"] == 2 and response.headers["etag"] == '"2"'

    unchanged = await client.put(
        f"/api/events/{created['id']}", json={"title": body["title"]}, headers={**cast.owner.headers, "If-Match": '"2"'}
    )
    assert unchanged.status_code == 200 and unchanged.headers["etag"] == '"2"'  # nothing changed, no new version


async def test_update_requires_if_match(client: httpx.AsyncClient, cast: Cast, runtime: Any) -> None:
    created = await create(client, cast)
    before = snapshot(await load_event(runtime, created["id"]))
    url = f"/api/events/{created['id']}"
    assert_problem(await client.put(url, json={"title": "X"}, headers=cast.owner.headers), 428, "precondition_required")
    stale = await client.put(url, json={"title": "X"}, headers={**cast.owner.headers, "If-Match": '"7"'})
    assert_problem(stale, 412, "precondition_failed")
    assert stale.headers["etag"] == '"1"'
    weak = await client.put(url, json={"title": "X"}, headers={**cast.owner.headers, "If-Match": 'W/"1"'})
    assert_problem(weak, 412, "precondition_failed")  # If-Match uses the strong comparison
    assert snapshot(await load_event(runtime, created["id"])) == before
    listed = await client.put(url, json={"title": "X"}, headers={**cast.owner.headers, "If-Match": '"0", "1"'})
    assert listed.status_code == 200


async def test_bad_input_is_refused_and_changes_nothing(client: httpx.AsyncClient, cast: Cast, runtime: Any) -> None:
    created = await create(client, cast)
    before = snapshot(await load_event(runtime, created["id"]))
    url = f"/api/events/{created['id']}"
    headers = {**cast.owner.headers, "If-Match": '"1"'}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"starts_at": iso(future(-1))}, "starts_at"),
        ({"ends_at": iso(future(1))}, "ends_at"),  # before the start
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"latitude": 91}, "latitude"),
        ({"latitude": None}, "latitude"),  # coordinates come in pairs: the missing one is named
        ({"country": "Germany"}, "country"),
        ({"currency": "euro"}, "currency"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"total_capacity": -1}, "total_capacity"),
        ({"status": "published"}, "status"),  # not a field: the lifecycle has its own actions
        ({"slug": "00000000-0000-4000-8000-000000000000"}, "slug"),
        ({"tags": ["a,b"]}, "tags.0"),
    ]
    for payload, field in cases:
        response = await client.put(url, json=payload, headers=headers)
        body = assert_problem(response, 422, "validation_error")
        assert field in field_messages(body), (payload, body)
    wrong_type = await client.put(url, content=b"not json", headers={**headers, "Content-Type": "application/json"})
    assert_problem(wrong_type, 422, "validation_error")
    assert snapshot(await load_event(runtime, created["id"])) == before


async def test_create_refuses_invalid_events(client: httpx.AsyncClient, cast: Cast) -> None:
    starts = future(10)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"starts_at": iso(future(-2)), "ends_at": iso(future(-1))}, "starts_at"),
        ({"ends_at": iso(starts), "starts_at": iso(starts)}, "ends_at"),
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"ticket_types": [{"name": "A", "price_minor": -1, "capacity": 5}]}, "ticket_types.0.price_minor"),
        (
            {"ticket_types": [{"name": "A", "price_minor": 1, "capacity": 5, "currency": "USD"}]},
            "ticket_types.0.currency",
        ),
        (
            {"ticket_types": [{"name": "A", "price_minor": 1, "capacity": 5, "min_per_order": 4, "max_per_order": 2}]},
            "ticket_types.0.max_per_order",
        ),
        ({"title": "x" * 201}, "title"),
        ({"unknown": 1}, "unknown"),
    ]
    for overrides, field in cases:
        response = await client.post("/api/events", json=event_payload(**overrides), headers=cast.owner.headers)
        assert field in field_messages(assert_problem(response, 422, "validation_error")), (overrides, response.text)
    mine = await client.get("/api/events/my/events", headers=cast.owner.headers)
    assert mine.json()["items"] == []  # nothing was created by any of them


async def test_publish_requires_a_complete_future_event(client: httpx.AsyncClient, cast: Cast, make_event: Any) -> None:
    incomplete = await create(client, cast, ticket_types=[], venue_name=None, online_url=None)
    body = assert_problem(
        await client.post(f"/api/events/{incomplete['id']}/publish", headers=cast.owner.headers),
        409,
        "event_incomplete",
    )
    assert set(field_messages(body)) == {"ticket_types", "venue_name"}

    online = await create(client, cast, venue_name=None, online_url="https://meet.example.com/room")
    published = await client.post(f"/api/events/{online['id']}/publish", headers=cast.owner.headers)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published" and published.json()["published_at"]
    assert published.json()["ticket_types"][0]["sales_status"] == "on_sale"
    again = await client.post(f"/api/events/{online['id']}/publish", headers=cast.owner.headers)
    assert again.status_code == 200 and again.headers["etag"] == published.headers["etag"]  # idempotent

    past_draft = await make_event(cast.owner.user, status=EventStatus.DRAFT, starts_in=timedelta(days=-3))
    assert_problem(
        await client.post(f"/api/events/{past_draft.id}/publish", headers=cast.owner.headers), 409, "event_in_past"
    )


async def test_cancel_keeps_the_event_visible_with_its_reason(
    client: httpx.AsyncClient, cast: Cast, make_event: Any
) -> None:
    event = await make_event(cast.owner.user)
    url = f"/api/events/{event.id}"
    assert_problem(
        await client.post(f"{url}/cancel", json={"reason": ""}, headers=cast.owner.headers), 422, "validation_error"
    )
    response = await client.post(f"{url}/cancel", json={"reason": "Storm warning"}, headers=cast.owner.headers)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_reason"] == "Storm warning" and response.json()["cancelled_at"]
    public = (await client.get(url)).json()
    assert public["status"] == "cancelled" and public["ticket_types"][0]["sales_status"] == "ended"
    assert (await client.get("/api/events")).json()["items"] == []  # no longer listed
    assert_problem(
        await client.post(f"{url}/cancel", json={"reason": "again"}, headers=cast.owner.headers),
        409,
        "already_cancelled",
    )
    assert_problem(
        await client.put(
            url, json={"title": "Back on"}, headers={**cast.owner.headers, "If-Match": response.headers["etag"]}
        ),
        409,
        "event_closed",
    )
    assert_problem(await client.post(f"{url}/publish", headers=cast.owner.headers), 409, "invalid_status")

    draft = await make_event(cast.owner.user, status=EventStatus.DRAFT)
    assert_problem(
        await client.post(f"/api/events/{draft.id}/cancel", json={"reason": "nope"}, headers=cast.owner.headers),
        409,
        "invalid_status",
    )
    ended = await make_event(cast.owner.user, starts_in=timedelta(days=-2))
    assert_problem(
        await client.post(f"/api/events/{ended.id}/cancel", json={"reason": "late"}, headers=cast.owner.headers),
        409,
        "event_ended",
    )


async def test_delete_is_refused_once_tickets_are_sold_or_held(
    client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any
) -> None:
    event = await make_event(cast.owner.user)
    await set_counters(runtime, event.ticket_types[0].id, held=1)
    before = snapshot(await load_event(runtime, event.id))
    body = assert_problem(
        await client.delete(f"/api/events/{event.id}", headers=cast.owner.headers), 409, "event_has_sales"
    )
    assert "Cancel it instead" in body["detail"]
    assert snapshot(await load_event(runtime, event.id)) == before

    await set_counters(runtime, event.ticket_types[0].id, sold=0, held=0)
    assert_problem(
        await client.delete(f"/api/events/{event.id}", headers={**cast.owner.headers, "If-Match": '"9"'}),
        412,
        "precondition_failed",
    )
    deleted = await client.delete(f"/api/events/{event.id}", headers=cast.owner.headers)
    assert deleted.status_code == 204
    assert await load_event(runtime, event.id) is None
    assert_problem(await client.get(f"/api/events/{event.id}"), 404, "event_not_found")


async def test_past_events_are_not_listed_but_stay_readable(
    client: httpx.AsyncClient, cast: Cast, make_event: Any
) -> None:
    past = await make_event(cast.owner.user, title="Last Week", starts_in=timedelta(days=-7))
    await make_event(cast.owner.user, title="Next Week", starts_in=timedelta(days=7))
    titles = [e["title"] for e in (await client.get("/api/events")).json()["items"]]
    assert titles == ["Next Week"]
    detail = await client.get(f"/api/events/{past.id}")
    assert detail.status_code == 200
    assert detail.json()["ticket_types"][0]["sales_status"] == "ended"
    edit = await client.put(
        f"/api/events/{past.id}", json={"title": "Renamed"}, headers={**cast.owner.headers, "If-Match": '"1"'}
    )
    assert_problem(edit, 409, "event_ended")
    everything = await client.get("/api/events", params={"starts_after": iso(future(-30))})
    assert [e["title"] for e in everything.json()["items"]] == ["Last Week", "Next Week"]


async def test_my_events_lists_own_events_in_every_status(
    client: httpx.AsyncClient, cast: Cast, make_event: Any, runtime: Any
) -> None:
    draft = await make_event(cast.owner.user, title="Mine draft", status=EventStatus.DRAFT, starts_in=timedelta(days=2))
    live = await make_event(cast.owner.user, title="Mine live", starts_in=timedelta(days=3), tiers=[("A", 100, 10)])
    await make_event(cast.other_organizer.user, title="Not mine")
    await set_counters(runtime, live.ticket_types[0].id, sold=4, held=1)
    body = (await client.get("/api/events/my/events", headers=cast.owner.headers)).json()
    assert [e["title"] for e in body["items"]] == ["Mine draft", "Mine live"]
    mine_live = body["items"][1]
    assert (mine_live["tickets_sold"], mine_live["tickets_held"], mine_live["capacity"]) == (4, 1, 10)
    assert mine_live["version"] == 1 and mine_live["visibility"] == "public"
    drafts = (await client.get("/api/events/my/events", params={"status": "draft"}, headers=cast.owner.headers)).json()
    assert [e["id"] for e in drafts["items"]] == [str(draft.id)]
    newest_first = await client.get(
        "/api/events/my/events", params={"sort": "-date", "limit": 1}, headers=cast.owner.headers
    )
    assert [e["title"] for e in newest_first.json()["items"]] == ["Mine live"]
    rest = await client.get(
        "/api/events/my/events",
        params={"sort": "-date", "limit": 1, "cursor": newest_first.json()["next_cursor"]},
        headers=cast.owner.headers,
    )
    assert [e["title"] for e in rest.json()["items"]] == ["Mine draft"]
    assert rest.json()["next_cursor"] is None
