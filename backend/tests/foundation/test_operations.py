"""Health probes, metrics, request ids, security headers."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from boxoffice.config import Settings
from boxoffice.main import create_app
from tests.conftest import serve_app


async def test_liveness(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readiness_checks_database_and_redis(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": {"status": "ok", "detail": None},
        "redis": {"status": "ok", "detail": None},
    }


@pytest.mark.parametrize("broken", ["redis", "database"])
async def test_readiness_is_503_with_details_when_a_dependency_is_down(settings: Settings, broken: str) -> None:
    # Port 1 on loopback: nothing listens there, so connections are refused at once.
    override = (
        {"redis_url": "redis://127.0.0.1:1/0"}
        if broken == "redis"
        else {"database_url": "postgresql://postgres@127.0.0.1:1/nothing"}
    )
    async with serve_app(settings, **override) as (_, http):
        response = await http.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"][broken]["status"] == "error"
    assert body["checks"][broken]["detail"]
    healthy = "database" if broken == "redis" else "redis"
    assert body["checks"][healthy]["status"] == "ok"


async def test_metrics_exposed_in_prometheus_format(client: httpx.AsyncClient) -> None:
    await client.get("/api/events")
    for _ in range(2):  # two ids, one route template
        await client.get(f"/api/events/{uuid.uuid4()}")
    await client.get("/api/no-such-thing")
    await client.get("/some/page/of/the/web/app")
    await client.get("/health/live")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'http_requests_total{handler="/api/events",method="GET",status="2xx"} 1.0' in text
    # Path parameters do not make new labels; the web app's catch-all route (which also answers
    # unknown /api paths with 404) is one label.
    assert 'http_requests_total{handler="/api/events/{id_or_slug}",method="GET",status="4xx"} 2.0' in text
    assert 'http_requests_total{handler="web_app",method="GET",status="4xx"} 1.0' in text
    assert 'http_requests_total{handler="web_app",method="GET",status="2xx"} 1.0' in text
    assert 'http_request_duration_seconds_bucket{handler="/api/events",le="0.5",method="GET"} 1.0' in text
    assert "/health/live" not in text and 'handler="/metrics"' not in text  # probes and scrapes are not counted
    assert "process_cpu_seconds_total" in text


async def test_request_id_is_echoed_or_generated(client: httpx.AsyncClient) -> None:
    given = "3f1c2a8e-5b7d-4c9e-8f10-123456789abc"
    echoed = await client.get("/health/live", headers={"X-Request-ID": given})
    assert echoed.headers["x-request-id"] == given
    generated = await client.get("/health/live")
    assert len(generated.headers["x-request-id"]) == 32  # uuid4 hex


async def test_every_log_line_carries_the_request_id(settings: Settings, capfd: pytest.CaptureFixture[str]) -> None:
    import structlog
    from fastapi import APIRouter

    app = create_app(settings.model_copy(update={"log_level": "INFO", "log_json": True}))
    router = APIRouter()

    @router.get("/api/_test/log")
    async def log_something() -> dict[str, str]:
        structlog.get_logger("probe").info("probe_event", password="hunter2")
        return {"ok": "yes"}

    app.router.routes[:0] = router.routes
    request_id = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            capfd.readouterr()
            await http.get("/api/_test/log", headers={"X-Request-ID": request_id})
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
    probe = [line for line in lines if line["event"] == "probe_event"]
    assert len(probe) == 1
    assert probe[0]["request_id"] == request_id
    assert probe[0]["level"] == "info" and probe[0]["timestamp"]
    assert probe[0]["password"] == "[redacted]"


async def test_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "strict-transport-security" not in response.headers  # only behind TLS


def test_production_refuses_placeholder_secrets() -> None:
    with pytest.raises(ValueError, match="JWT_SECRET"):
        Settings(env="production", database_url="postgresql://x/y", redis_url="redis://x")
    ok = Settings(
        env="production",
        database_url="postgresql://x/y",
        redis_url="redis://x",
        jwt_secret="k" * 40,
        ticket_signing_secret="t" * 40,
    )
    assert ok.env == "production"
