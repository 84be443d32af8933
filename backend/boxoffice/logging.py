"""structlog JSON logs; every line carries the request id (or the job's inherited one)."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog
from asgi_correlation_id import correlation_id

# Never let these reach a log line, whatever a caller binds.
_REDACTED_KEYS = frozenset(
    {"password", "new_password", "token", "access_token", "refresh_token", "authorization", "secret", "cookie"}
)


def _add_request_id(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    request_id = correlation_id.get()
    if request_id and "request_id" not in event_dict:
        event_dict["request_id"] = request_id
    return event_dict


# Secrets that travel in URLs (ticket codes at the door, OAuth codes and state): access-log lines
# and messages keep the parameter name, not its value.
_SECRET_QUERY = re.compile(r"(?i)([?&](?:code|state|token|access_token|refresh_token|password)=)[^&\s\"']+")


def _redact(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key in list(event_dict):
        if key.lower() in _REDACTED_KEYS:
            event_dict[key] = "[redacted]"
    event = event_dict.get("event")
    if isinstance(event, str) and "=" in event:
        event_dict["event"] = _SECRET_QUERY.sub(r"\1[redacted]", event)
    return event_dict


def configure_logging(level: str = "INFO", json: bool = True) -> None:
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_request_id,
        _redact,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "taskiq"):
        named = logging.getLogger(name)
        named.handlers = []
        named.propagate = True
