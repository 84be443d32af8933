"""The backend serves the built web app with an SPA fallback, never shadowing the API."""

from __future__ import annotations

from pathlib import Path

import httpx

from boxoffice.config import Settings
from tests.conftest import serve_app


def _fake_dist(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Boxoffice SPA</title><div id=root></div>")
    (dist / "assets" / "app-123.js").write_text("console.log('hi')")
    (dist / "favicon.svg").write_text("<svg/>")
    return dist


async def test_spa_routes_fall_back_to_index(settings: Settings, tmp_path: Path) -> None:
    async with serve_app(settings, frontend_dist=_fake_dist(tmp_path)) as (_, http):
        for path in ("/", "/events/some-slug", "/organizer/events/new"):
            response = await http.get(path)
            assert response.status_code == 200
            assert "Boxoffice SPA" in response.text
            assert response.headers["cache-control"] == "no-cache"
        asset = await http.get("/assets/app-123.js")
        assert asset.status_code == 200 and "console.log" in asset.text
        assert (await http.get("/favicon.svg")).text == "<svg/>"
        # The fallback never swallows API paths or escapes the dist folder.
        api_miss = await http.get("/api/nope")
        assert api_miss.status_code == 404
        assert api_miss.headers["content-type"] == "application/problem+json"
        escape = await http.get("/..%2f..%2fetc%2fpasswd")
        assert "root:" not in escape.text


async def test_without_a_build_the_root_explains_how_to_build(settings: Settings, tmp_path: Path) -> None:
    async with serve_app(settings, frontend_dist=tmp_path / "missing") as (_, http):
        response = await http.get("/")
    assert response.status_code == 200
    assert "make web" in response.text


async def test_api_docs_are_served(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    assert (await client.get("/openapi.json")).json()["info"]["title"] == "Boxoffice API"
