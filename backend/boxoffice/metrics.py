"""Prometheus metrics: request counts and latencies per route template, process and breaker
gauges, served at /metrics.

Why not prometheus-fastapi-instrumentator (which the app used before): it resolves each request's
route template by matching the path against every route a second time, before the request, and
records five metrics per request; on the booking hot path that was 12% of the API's CPU
(bench/hot_drop.py, py-spy). Here the router has already chosen the route when the response
starts, so the template is read from the request scope, and two metrics are recorded. Metric and
label names are the instrumentator's, so dashboards keep working.
"""

from __future__ import annotations

import time

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Not measured: the scrape itself, probes, and Socket.IO long-polling requests (which last up to
# the ping interval and would swamp the latencies).
EXCLUDED_PREFIXES = ("/metrics", "/health/", "/socket.io")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def route_template(scope: Scope) -> str | None:
    """The path template of the route that served the request (``/api/bookings/{booking_id}``),
    or None when no route matched. FastAPI keeps the template with its include prefixes in the
    effective route context; a plain Starlette route carries it itself."""
    context = (scope.get("fastapi") or {}).get("effective_route_context")
    template = getattr(context, "path_format", None) or getattr(scope.get("route"), "path_format", None)
    return template if isinstance(template, str) else None


class HttpMetricsMiddleware:
    """Counts requests by method, route template and status class, and times them by method and
    route template. Unmatched paths share the handler label ``none`` (no unbounded labels)."""

    def __init__(self, app: ASGIApp, *, registry: CollectorRegistry) -> None:
        self.app = app
        self.requests = Counter(
            "http_requests_total",
            "Requests by method, route and status class.",
            ("method", "status", "handler"),
            registry=registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Request latency by method and route.",
            ("method", "handler"),
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXCLUDED_PREFIXES):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            handler = route_template(scope) or "none"
            if handler == "/{full_path}":  # the web app's catch-all: many paths, one label
                handler = "web_app"
            method = scope["method"]
            self.requests.labels(method, f"{status // 100}xx", handler).inc()
            self.latency.labels(method, handler).observe(time.perf_counter() - started)


def install_metrics(app: FastAPI, registry: CollectorRegistry) -> None:
    app.add_middleware(HttpMetricsMiddleware, registry=registry)

    async def metrics(request: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    app.add_api_route("/metrics", metrics, methods=["GET"], include_in_schema=False)
