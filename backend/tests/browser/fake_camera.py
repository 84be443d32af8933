"""A fake camera for chromium: a Y4M video (``--use-file-for-fake-video-capture``) that shows an
empty table, then a ticket's QR code held up to the lens, looped by the browser."""

from __future__ import annotations

from pathlib import Path

import segno
from PIL import Image, ImageDraw

WIDTH, HEIGHT, FPS = 640, 480, 5
EMPTY_SECONDS, QR_SECONDS = 4, 2  # the QR leaves view for longer than the scanner's 3 s de-duplication


def _table() -> Image.Image:
    """What the camera sees with no ticket in view: a plain grey surface."""
    return Image.new("RGB", (WIDTH, HEIGHT), (96, 102, 110))


def ticket_frame(code: str) -> Image.Image:
    """The ticket held up to the camera: the QR on a white card, centred."""
    frame = _table()
    qr = segno.make(code, error="m")
    modules = qr.symbol_size(scale=1, border=4)[0]
    scale = max(1, 400 // modules)
    rows = [bytes(0 if dark else 255 for dark in row) for row in qr.matrix_iter(scale=scale, border=4)]
    image = Image.frombytes("L", (len(rows[0]), len(rows)), b"".join(rows)).convert("RGB")
    card = Image.new("RGB", (image.width + 24, image.height + 24), "white")
    card.paste(image, (12, 12))
    ImageDraw.Draw(frame).rectangle((0, 0, WIDTH, HEIGHT), outline=(60, 60, 60))
    frame.paste(card, ((WIDTH - card.width) // 2, (HEIGHT - card.height) // 2))
    return frame


def _yuv420(image: Image.Image) -> bytes:
    """Planar 4:2:0 in the JPEG (full-range BT.601) colour space, as ``C420jpeg`` says."""
    y, cb, cr = image.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    chroma = [plane.resize(half, Image.Resampling.BOX).tobytes() for plane in (cb, cr)]
    return y.tobytes() + b"".join(chroma)


def make_ticket_video(code: str, path: Path) -> Path:
    empty, ticket = _yuv420(_table()), _yuv420(ticket_frame(code))
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in [empty] * (EMPTY_SECONDS * FPS) + [ticket] * (QR_SECONDS * FPS):
            out.write(b"FRAME\n" + frame)
    return path
