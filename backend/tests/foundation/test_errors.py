"""Every error is RFC 9457 problem+json, internals never leak."""

from __future__ import annotations

import httpx
from fastapi import APIRouter

from boxoffice.errors import PROBLEM_MEDIA_TYPE, AppError, Conflict


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert str(body["type"]).endswith(code)
    assert isinstance(body["title"], str) and body["title"]
    return body


async def test_unknown_api_path_is_problem_404(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/api/does-not-exist"), 404, "not_found")


async def test_wrong_method_is_problem_405(client: httpx.AsyncClient) -> None:
    assert_problem(await client.delete("/api/events"), 405, "method_not_allowed")


async def test_validation_error_names_the_field(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/api/events", params={"limit": 0}), 422, "validation_error")
    assert body["errors"] == [{"field": "limit", "message": "Input should be greater than or equal to 1"}]


async def test_malformed_cursor_is_400_not_500(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/api/events", params={"cursor": "%%%"}), 400, "invalid_cursor")
    assert_problem(await client.get("/api/events", params={"cursor": "WyJ4IiwieSJd"}), 400, "invalid_cursor")


async def test_unhandled_exception_is_generic_500(app: object, client: httpx.AsyncClient) -> None:
    router = APIRouter()

    @router.get("/api/_test/boom")
    async def boom() -> None:
        raise RuntimeError("database password is hunter2")

    @router.get("/api/_test/conflict")
    async def conflict() -> None:
        raise Conflict("Seat already taken", code="seat_taken")

    @router.get("/api/_test/custom")
    async def custom() -> None:
        raise AppError("Teapot", status=418, code="teapot", headers={"Retry-After": "3"})

    app.router.routes[:0] = router.routes  # type: ignore[attr-defined]
    body = assert_problem(await client.get("/api/_test/boom"), 500, "internal_error")
    assert "hunter2" not in str(body)
    assert "RuntimeError" not in str(body)
    assert assert_problem(await client.get("/api/_test/conflict"), 409, "seat_taken")["detail"] == "Seat already taken"
    response = await client.get("/api/_test/custom")
    assert_problem(response, 418, "teapot")
    assert response.headers["retry-after"] == "3"


async def test_oversized_body_is_413(client: httpx.AsyncClient, settings: object) -> None:
    too_big = b"x" * (settings.max_request_bytes + 1)  # type: ignore[attr-defined]
    assert_problem(await client.post("/api/events", content=too_big), 413, "payload_too_large")
