"""The background job broker (taskiq).

Production (``BOXOFFICE_REDIS_URL`` set): a Redis Streams broker with acknowledgements, consumed by
``boxoffice worker`` processes, so a job survives a worker crash. Embedded mode, or
``BOXOFFICE_JOB_BROKER=memory``: the in-memory broker runs jobs inside the API process.

Jobs are enqueued from after-commit side effects only (house rule 1), and inherit the request id
of the request that enqueued them so their log lines can be joined to it.
"""

from __future__ import annotations

import os
from typing import Any

from asgi_correlation_id import correlation_id
from taskiq import AsyncBroker, InMemoryBroker, TaskiqEvents, TaskiqMessage, TaskiqMiddleware, TaskiqState

from boxoffice.config import get_settings

REQUEST_ID_LABEL = "request_id"


class RequestIdMiddleware(TaskiqMiddleware):
    """Carry the request id from the enqueuing request to the job's log lines."""

    def pre_send(self, message: TaskiqMessage) -> TaskiqMessage:
        request_id = correlation_id.get()
        if request_id:
            message.labels[REQUEST_ID_LABEL] = request_id
        return message

    def pre_execute(self, message: TaskiqMessage) -> TaskiqMessage:
        request_id = message.labels.get(REQUEST_ID_LABEL)
        correlation_id.set(str(request_id) if request_id else f"job-{message.task_id}")
        return message


def _make_broker() -> AsyncBroker:
    settings = get_settings()
    kind = os.environ.get("BOXOFFICE_JOB_BROKER") or ("redis" if settings.redis_url else "memory")
    if kind == "redis" and settings.redis_url:
        from taskiq_redis import RedisStreamBroker

        broker: AsyncBroker = RedisStreamBroker(settings.redis_url, queue_name="boxoffice:jobs")
    else:
        broker = InMemoryBroker()
    return broker.with_middlewares(RequestIdMiddleware())


broker: AsyncBroker = _make_broker()


@broker.on_event(TaskiqEvents.WORKER_STARTUP)
async def _worker_startup(state: TaskiqState) -> None:
    """A ``boxoffice worker`` process owns its own runtime (engine, Redis)."""
    from boxoffice import runtime
    from boxoffice.logging import configure_logging

    if runtime.is_started():  # in-memory broker inside the API process: the app owns the runtime
        return
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    started = await runtime.Runtime.start(settings)
    runtime.set_current(started)
    state.runtime = started
    from boxoffice import maintenance
    from boxoffice.realtime import worker_publisher

    # Jobs (expiry, refunds) publish live updates through Redis to every API replica.
    state.realtime = worker_publisher(started)
    await state.realtime.__aenter__()
    state.maintenance = maintenance.running(started, settings.maintenance_interval_seconds)
    await state.maintenance.__aenter__()


@broker.on_event(TaskiqEvents.WORKER_SHUTDOWN)
async def _worker_shutdown(state: TaskiqState) -> None:
    from boxoffice import runtime

    started: Any = getattr(state, "runtime", None)
    state.runtime = None
    housekeeping: Any = getattr(state, "maintenance", None)
    if housekeeping is not None:
        await housekeeping.__aexit__(None, None, None)
    live: Any = getattr(state, "realtime", None)
    if live is not None:
        await live.__aexit__(None, None, None)
    if started is not None:
        await started.close()
        runtime.set_current(None)


# Modules that define tasks; the worker imports them so every task is registered.
TASK_MODULES: list[str] = [
    "boxoffice.notifications.tasks",
    "boxoffice.payments.tasks",
    "boxoffice.bookings.event_cancellation",
]
