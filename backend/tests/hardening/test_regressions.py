"""Regression tests for what the API fuzzer (test_schemathesis.py) found.

- a body that is not UTF-8 JSON was an undocumented 400: now 422 validation_error like malformed JSON;
- FastAPI documented its 422 as application/json ``HTTPValidationError``; the answer is problem+json;
- coupon numbers beyond the 32-bit columns were a 500 (database error): now 422;
- ``null`` for a coupon's non-nullable field was a 500 (NOT NULL violation): now "keep as is";
- an invalid bearer token on a public event page is a 401 that the contract now declares;
- an order whose total does not fit the money columns was a 500: now 422 ``order_limit``.
"""

from __future__ import annotations

from typing import Any

import httpx

from boxoffice.errors import PROBLEM_MEDIA_TYPE
from tests.bookings.conftest import book, counters, order, sql
from tests.fixtures.auth import Buyer, bearer
from tests.hardening.conftest import assert_problem


async def test_a_body_that_is_not_utf8_is_a_validation_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/login", content=b'{"email": "\xff\xfe"}', headers={"Content-Type": "application/json"}
    )
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["field"] == "body"


async def test_broken_multipart_is_a_validation_problem(
    client: httpx.AsyncClient, organizer: Buyer, make_event: Any
) -> None:
    event = await make_event(organizer.user)
    response = await client.post(
        f"/api/events/{event.id}/cover",
        content=b"--xx\r\nContent-Disposition: form-data; name=\r\n\r\n",
        headers={**organizer.headers, "Content-Type": "multipart/form-data; boundary=xx"},
    )
    assert_problem(response, 422, "validation_error")


def test_every_documented_422_is_problem_json(app: Any) -> None:
    document = app.openapi()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = operation["responses"].get("422")
            if declared is not None:
                schemas = {media: content["schema"]["$ref"] for media, content in declared["content"].items()}
                assert schemas[PROBLEM_MEDIA_TYPE] == "#/components/schemas/Problem", f"{method.upper()} {path}"
                assert set(schemas.values()) == {"#/components/schemas/Problem"}, f"{method.upper()} {path}"
    assert "HTTPValidationError" not in document["components"]["schemas"]


async def test_coupon_numbers_beyond_the_columns_are_refused(client: httpx.AsyncClient, organizer: Buyer) -> None:
    too_big = 2**31
    for field in ("amount", "usage_limit", "per_user_limit", "min_purchase_minor"):
        body = {"code": f"BIG{field[:3].upper()}", "kind": "fixed", "currency": "EUR", "amount": 100, field: too_big}
        response = await client.post("/api/coupons", json=body, headers=organizer.headers)
        assert_problem(response, 422, "validation_error")
    created = await client.post(
        "/api/coupons", json={"code": "SMALL", "kind": "percent", "amount": 5}, headers=organizer.headers
    )
    assert created.status_code == 201, created.text
    patched = await client.patch(
        f"/api/coupons/{created.json()['id']}", json={"per_user_limit": too_big}, headers=organizer.headers
    )
    assert_problem(patched, 422, "validation_error")


async def test_null_for_a_non_nullable_coupon_field_keeps_it(client: httpx.AsyncClient, organizer: Buyer) -> None:
    created = await client.post(
        "/api/coupons",
        json={"code": "KEEPME", "kind": "percent", "amount": 5, "min_purchase_minor": 1000, "usage_limit": 3},
        headers=organizer.headers,
    )
    assert created.status_code == 201, created.text
    patched = await client.patch(
        f"/api/coupons/{created.json()['id']}",
        json={"active": None, "min_purchase_minor": None, "usage_limit": None},
        headers=organizer.headers,
    )
    assert patched.status_code == 200, patched.text
    coupon = patched.json()
    assert coupon["active"] is True and coupon["min_purchase_minor"] == 1000
    assert coupon["usage_limit"] is None  # null still clears what may be cleared


async def test_an_invalid_token_on_a_public_event_page_is_a_declared_401(
    client: httpx.AsyncClient, organizer: Buyer, make_event: Any, app: Any
) -> None:
    event = await make_event(organizer.user)
    for path in (f"/api/events/{event.id}", f"/api/events/{event.id}/calendar.ics"):
        assert (await client.get(path)).status_code == 200
        assert_problem(await client.get(path, headers=bearer("not-a-token")), 401, "invalid_token")
    paths = app.openapi()["paths"]
    assert "401" in paths["/api/events/{id_or_slug}"]["get"]["responses"]
    assert "401" in paths["/api/events/{id_or_slug}/calendar.ics"]["get"]["responses"]


async def test_an_order_total_beyond_the_money_columns_is_refused(
    client: httpx.AsyncClient, organizer: Buyer, make_event: Any, make_buyers: Any, runtime: Any
) -> None:
    event = await make_event(organizer.user, tiers=[("Gold", 100_000_000, 100)])
    await sql(runtime, "UPDATE ticket_types SET max_per_order = 50 WHERE id = :id", id=event.ticket_types[0].id)
    (buyer,) = await make_buyers(1)
    response = await book(client, buyer, order(event, 30))  # 3,000,000,000 minor units
    assert_problem(response, 422, "order_limit")
    assert await counters(runtime, event.ticket_types[0].id) == {"capacity": 100, "sold": 0, "held": 0}
    assert (await book(client, buyer, order(event, 20))).status_code == 201  # 2,000,000,000 fits
