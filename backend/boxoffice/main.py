"""Application factory: lifespan (runtime, job broker), middleware, error handlers, routers, web app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from prometheus_client import CollectorRegistry, GCCollector, PlatformCollector, ProcessCollector

from boxoffice import __version__, maintenance, runtime
from boxoffice.config import Settings, get_settings
from boxoffice.errors import install_error_handlers
from boxoffice.gc_tuning import tuned_garbage_collector
from boxoffice.jobs import broker
from boxoffice.logging import configure_logging
from boxoffice.metrics import install_metrics
from boxoffice.middleware import BodySizeLimitMiddleware, SecurityHeadersMiddleware
from boxoffice.realtime import RealtimeServer
from boxoffice.realtime.events import document_messages
from boxoffice.resilience import BreakerCollector
from boxoffice.routers import API_PREFIX, api_routers, root_routers
from boxoffice.spa import install_spa

log = structlog.get_logger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    realtime = RealtimeServer(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started = await runtime.Runtime.start(settings)
        app.state.runtime = started
        runtime.set_current(started)
        if not broker.is_worker_process:
            await broker.startup()
        log.info("app_started", version=__version__, env=settings.env)
        try:
            async with (
                realtime.running(started),
                maintenance.running(started, settings.maintenance_interval_seconds),
            ):
                with tuned_garbage_collector():
                    yield
        finally:
            # Graceful shutdown: uvicorn has stopped accepting and drained requests by now.
            if not broker.is_worker_process:
                await broker.shutdown()
            runtime.set_current(None)
            await started.close()
            log.info("app_stopped")

    app = FastAPI(
        title="Boxoffice API",
        version=__version__,
        description="Event management and ticketing. Errors are RFC 9457 problem+json.",
        lifespan=lifespan,
        separate_input_output_schemas=False,
    )
    install_error_handlers(app)
    document_messages(app)  # the Socket.IO payloads, for the web app's generated types

    # Starlette: the last middleware added is the outermost. The request id exists before anything logs.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=[
            "Authorization",
            "Content-Type",
            "Idempotency-Key",
            "If-Match",
            "X-Request-ID",
            "X-Requested-With",
        ],
        expose_headers=["ETag", "X-Request-ID", "Retry-After"],
    )
    # Security headers wrap everything below, so 413s and CORS answers carry them too.
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.public_base_url.startswith("https://"))
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID")

    # One registry per app (not the global one) so that every app instance reports its own requests.
    registry = CollectorRegistry()
    for collector in (ProcessCollector, GCCollector, PlatformCollector):
        collector(registry=registry)
    registry.register(BreakerCollector(lambda: getattr(getattr(app.state, "runtime", None), "breakers", None)))
    app.state.metrics_registry = registry
    install_metrics(app, registry)

    for router in root_routers():
        app.include_router(router)
    for router in api_routers():
        app.include_router(router, prefix=API_PREFIX)

    # Socket.IO on the same ASGI app (and port) as the API; mounted before the SPA fallback.
    app.mount("/socket.io", realtime.asgi_app, name="socket.io")
    app.state.realtime = realtime
    install_spa(app, settings.frontend_dist)
    return app
