"""The circuit breaker around Stripe, against a stand-in that fails, hangs, then recovers."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from boxoffice.main import create_app
from boxoffice.models import Role
from tests.bookings.conftest import book, order
from tests.fixtures.auth import Buyer
from tests.fixtures.stripe import _free_port, stripe_settings
from tests.jobs_helpers import drain_jobs


class StripeStandIn:
    """A Stripe stand-in that can be told to fail, hang, or answer like Stripe."""

    def __init__(self) -> None:
        self.mode = "fail"
        self.calls = 0

    def app(self) -> Starlette:
        async def anything(request: Request) -> Response:
            self.calls += 1
            if self.mode == "fail":
                return JSONResponse({"error": {"type": "api_error", "message": "boom"}}, status_code=500)
            if self.mode == "slow":
                await asyncio.sleep(2)
            return JSONResponse(
                {
                    "id": "pi_standin",
                    "object": "payment_intent",
                    "amount": 5000,
                    "currency": "eur",
                    "status": "requires_payment_method",
                    "client_secret": "pi_standin_secret_x",
                }
            )

        return Starlette(routes=[Route("/{path:path}", anything, methods=["GET", "POST"])])


@pytest.fixture
def stripe_stand_in() -> Iterator[tuple[StripeStandIn, str]]:
    stand_in = StripeStandIn()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(stand_in.app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield stand_in, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
async def app(settings: Any, stripe_stand_in: tuple[StripeStandIn, str]) -> AsyncIterator[Any]:
    overrides = {
        **stripe_settings(stripe_stand_in[1]),
        "breaker_threshold": 3,
        "breaker_ttl_seconds": 1.0,
        "breaker_timeout_seconds": 0.5,
    }
    application = create_app(settings.model_copy(update=overrides))
    async with application.router.lifespan_context(application):
        yield application
        await drain_jobs()


async def test_breaker_opens_answers_fast_and_recovers(
    client: httpx.AsyncClient,
    stripe_stand_in: tuple[StripeStandIn, str],
    make_user: Any,
    token_for: Any,
    make_event: Any,
) -> None:
    stand_in, _ = stripe_stand_in
    http = client
    if True:
        organizer_user, customer = await make_user(Role.ORGANIZER), await make_user(Role.CUSTOMER)
        buyer = Buyer(customer, await token_for(customer))
        event = await make_event(organizer_user)
        booking = (await book(http, buyer, order(event))).json()
        url = f"/api/bookings/{booking['id']}/payment"

        for _ in range(3):  # failures: 5xx from Stripe
            failed = await http.post(url, headers=buyer.headers)
            assert failed.status_code == 503 and failed.json()["code"] == "payment_provider_unavailable"
        calls = stand_in.calls
        started = time.monotonic()
        fast = await http.post(url, headers=buyer.headers)
        assert time.monotonic() - started < 0.5
        assert fast.status_code == 503 and fast.json()["code"] == "circuit_open"
        assert int(fast.headers["retry-after"]) >= 1
        assert stand_in.calls == calls  # the open breaker did not call Stripe
        assert (await http.get("/health/ready")).json()["circuits"]["stripe"] == "opened"
        assert 'boxoffice_circuit_breaker_state{circuit="stripe"} 1.0' in (await http.get("/metrics")).text
        # An open breaker never confirms (fails closed, no fallback to mock).
        closed = await http.post(f"/api/bookings/{booking['id']}/confirm", headers=buyer.headers)
        assert closed.status_code in (402, 503)
        assert (await http.get(f"/api/bookings/{booking['id']}", headers=buyer.headers)).json()[
            "status"
        ] == "pending_payment"

        # Slow answers count as failures too (latency over the timeout).
        await asyncio.sleep(1.1)
        stand_in.mode = "slow"
        slow = await http.post(url, headers=buyer.headers)  # half-open probe times out -> open again
        assert slow.status_code == 503

        await asyncio.sleep(1.1)
        stand_in.mode = "ok"
        recovered = await http.post(url, headers=buyer.headers)  # half-open probe succeeds -> closed
        assert recovered.status_code == 201, recovered.text
        assert (await http.get("/health/ready")).json()["circuits"]["stripe"] == "closed"
