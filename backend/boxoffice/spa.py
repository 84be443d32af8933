"""Serves the built web app at ``/`` with an SPA fallback (any unknown GET path gets index.html).

API-looking paths never fall back to the web app: they get a problem+json 404 instead.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

API_PREFIXES = ("api/", "health/", "metrics", "socket.io/", "docs", "openapi.json", "redoc")

_NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Boxoffice</title></head>
<body><main><h1>Boxoffice API is running</h1>
<p>The web app has not been built yet: run <code>make web</code> (or <code>make run</code>).</p>
<p>API documentation: <a href="/docs">/docs</a></p></main></body></html>"""


def install_spa(app: FastAPI, dist: Path) -> None:
    assets = dist / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")
    index = dist / "index.html"
    root = dist.resolve()

    @app.get("/{full_path:path}", include_in_schema=False)
    async def spa(full_path: str, request: Request) -> Response:
        if full_path.startswith(API_PREFIXES):
            raise HTTPException(status_code=404)
        if full_path:
            candidate = (dist / full_path).resolve()
            if candidate.is_file() and candidate.is_relative_to(root):
                return FileResponse(candidate)
        if not index.is_file():
            return HTMLResponse(_NOT_BUILT)
        # index.html must not be cached, so a deploy is picked up at once; hashed assets may be.
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
