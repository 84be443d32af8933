"""Cover images: type checked from the bytes, size limited, stored on local disk, replaced cleanly."""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from boxoffice.config import Settings
from boxoffice.storage import LocalDiskStorage, check_key
from tests.conftest import serve_app
from tests.events.conftest import Cast
from tests.events.helpers import assert_problem, load_event, snapshot


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
WEBP = b"RIFF" + struct.pack("<I", 30) + b"WEBPVP8 " + b"\x00" * 22


@pytest.fixture
async def uploads(settings: Settings, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Path]]:
    """An app storing uploads under a temporary data dir, accepting bodies up to 8 MB."""
    async with serve_app(settings, data_dir=tmp_path, max_request_bytes=8 * 1024 * 1024) as (_, http):
        yield http, tmp_path / "uploads"


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_upload_serve_replace_and_delete(
    uploads: tuple[httpx.AsyncClient, Path], cast: Cast, make_event: Any
) -> None:
    http, root = uploads
    event = await make_event(cast.owner.user)
    url = f"/api/events/{event.id}/cover"
    assert_problem(await http.get(url), 404, "cover_not_found")

    # The claimed name and type are ignored: the bytes decide.
    response = await http.post(
        url, files={"file": ("notes.txt", png_bytes(), "text/plain")}, headers=cast.owner.headers
    )
    assert response.status_code == 200, response.text
    cover_url = response.json()["cover_image_url"]
    assert cover_url.startswith(f"/api/events/{event.id}/cover?v=")
    assert response.headers["etag"] == '"2"'
    [stored] = files(root)
    assert stored.suffix == ".png" and stored.read_bytes() == png_bytes()
    served = await http.get(cover_url)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png" and served.content == png_bytes()
    assert served.headers["x-content-type-options"] == "nosniff"
    listed = (await http.get("/api/events")).json()["items"][0]
    assert listed["cover_image_url"] == cover_url

    replaced = await http.post(url, files={"file": ("c.jpg", JPEG, "image/jpeg")}, headers=cast.owner.headers)
    assert replaced.json()["cover_image_url"] != cover_url
    [stored] = files(root)  # the old file is gone once the change committed
    assert stored.suffix == ".jpg"
    assert (await http.get(url)).headers["content-type"] == "image/jpeg"

    webp = await http.post(url, files={"file": ("c.webp", WEBP, "image/webp")}, headers=cast.owner.headers)
    assert webp.status_code == 200 and (await http.get(url)).headers["content-type"] == "image/webp"

    assert (await http.delete(f"/api/events/{event.id}", headers=cast.owner.headers)).status_code == 204
    assert files(root) == []


async def test_bad_uploads_are_refused_and_change_nothing(
    uploads: tuple[httpx.AsyncClient, Path], cast: Cast, make_event: Any, runtime: Any
) -> None:
    http, root = uploads
    event = await make_event(cast.owner.user)
    url = f"/api/events/{event.id}/cover"
    before = snapshot(await load_event(runtime, event.id))
    cases = [
        (("evil.png", b"<svg onload=alert(1)></svg>", "image/png"), 415, "unsupported_media_type"),
        (("x.gif", b"GIF89a" + b"\x00" * 20, "image/gif"), 415, "unsupported_media_type"),
        (("empty.png", b"", "image/png"), 415, "unsupported_media_type"),
        (("huge.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024), "image/png"), 413, "payload_too_large"),
    ]
    for upload, status, code in cases:
        assert_problem(await http.post(url, files={"file": upload}, headers=cast.owner.headers), status, code)
    assert_problem(
        await http.post(url, data={"file": "not a file"}, headers=cast.owner.headers), 422, "validation_error"
    )
    assert_problem(
        await http.post(
            url, files={"file": ("a.png", png_bytes(), "image/png")}, headers={**cast.owner.headers, "If-Match": '"5"'}
        ),
        412,
        "precondition_failed",
    )
    assert files(root) == []
    assert snapshot(await load_event(runtime, event.id)) == before
    just_fits = b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024 - 8)
    assert (
        await http.post(url, files={"file": ("max.png", just_fits, "image/png")}, headers=cast.owner.headers)
    ).status_code == 200


async def test_local_disk_storage_stays_inside_its_root(tmp_path: Path) -> None:
    storage = LocalDiskStorage(tmp_path / "uploads")
    await storage.put("covers/abc/1.png", b"png", "image/png")
    stored = await storage.get("covers/abc/1.png")
    assert stored is not None and (stored.data, stored.content_type) == (b"png", "image/png")
    for key in ("../escape.png", "/etc/passwd", "covers/../../x.png", "covers//x.png", "Covers/X.PNG", ""):
        with pytest.raises(ValueError, match="invalid storage key"):
            check_key(key)
    with pytest.raises(ValueError, match="does not match content type"):
        await storage.put("covers/abc/2.png", b"x", "image/jpeg")
    assert await storage.get("covers/abc/missing.png") is None
    await storage.delete("covers/abc/1.png")
    await storage.delete("covers/abc/1.png")  # deleting twice is fine
    assert await storage.get("covers/abc/1.png") is None
    assert [p.name for p in (tmp_path / "uploads").rglob("*") if p.is_file()] == []
