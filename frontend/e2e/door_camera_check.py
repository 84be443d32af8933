"""Door check with a real browser camera: Debian's chromium reads a fake camera whose video shows a
real ticket's QR code, and the door page must admit it, then refuse it the second time.

Run from backend/ (its venv has playwright, segno, Pillow and httpx), after `npm run build`, with the
app serving demo data on BOXOFFICE_E2E_BASE_URL (default http://127.0.0.1:8014):

    BOXOFFICE_DATA_DIR=/tmp/bo-ui-door BOXOFFICE_MOCK_PAYMENT_DELAY_SECONDS=0 \\
        uv run boxoffice serve --port 8014 &
    uv run python ../frontend/e2e/door_camera_check.py

What it does:
  1. books and pays one ticket as the demo customer through the API (mock card), and reads its code;
  2. writes a Y4M video (4 s of an empty table, then 2 s of the ticket's QR, looped by chromium);
  3. launches chromium with that file as the camera, signs in as the organizer through the UI,
     opens /door/<event id> at 390 px and waits for: the idle scanner (camera on, no code in view),
     the green ADMITTED panel (the QR comes into view), and the red "Already checked in" panel
     (the QR leaves for 4 s, longer than the 3 s de-duplication window, and comes back);
  4. checks the camera-blocked message with getUserMedia denied, and manual entry still working;
  5. saves screenshots to test-artifacts/door/ (override with BOXOFFICE_E2E_ARTIFACTS).

Exit status 0 when every check passed.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import httpx
import segno
from PIL import Image, ImageDraw
from playwright.async_api import Page, async_playwright, expect

BASE_URL = os.environ.get("BOXOFFICE_E2E_BASE_URL", "http://127.0.0.1:8014").rstrip("/")
CHROMIUM = os.environ.get("BOXOFFICE_CHROMIUM", "/usr/bin/chromium")
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("BOXOFFICE_E2E_ARTIFACTS", REPO_ROOT / "test-artifacts" / "door"))

ORGANIZER = ("organizer@demo.com", "Organizer123!")
CUSTOMER = ("customer@demo.com", "Customer123!")
ATTENDEE = "Ana Door-Check"

WIDTH, HEIGHT, FPS = 640, 480, 5
EMPTY_SECONDS, QR_SECONDS = 4, 2
PHONE = {"width": 390, "height": 844}


# --- a real ticket ----------------------------------------------------------------------------


def _login(client: httpx.Client, email: str, password: str) -> str:
    response = client.post("/api/auth/login", json={"email": email, "password": password, "token_delivery": "body"})
    response.raise_for_status()
    return str(response.json()["access_token"])


def _first_door(client: httpx.Client, organizer_token: str) -> dict[str, str]:
    """An upcoming event of the organizer's that has a ticket type on sale."""
    doors = client.get("/api/tickets/doors", headers={"Authorization": f"Bearer {organizer_token}"})
    doors.raise_for_status()
    for door in doors.json():
        event = client.get(f"/api/events/{door['id']}")
        if event.status_code != 200:
            continue
        for ticket_type in event.json().get("ticket_types", []):
            if (
                ticket_type["sales_status"] == "on_sale"
                and ticket_type["price_minor"] > 0
                and ticket_type["min_per_order"] <= 1
                and not ticket_type["hidden"]
            ):
                return {"event_id": door["id"], "title": door["title"], "ticket_type_id": ticket_type["id"]}
    raise RuntimeError("the organizer has no upcoming event with a paid ticket type (is the demo data seeded?)")


def create_paid_ticket() -> dict[str, str]:
    """Book, pay (mock card) and confirm one ticket as the customer; returns its code and event."""
    with httpx.Client(base_url=BASE_URL, timeout=30) as client:
        door = _first_door(client, _login(client, *ORGANIZER))
        auth = {"Authorization": f"Bearer {_login(client, *CUSTOMER)}"}
        booking = client.post(
            "/api/bookings",
            headers={**auth, "Idempotency-Key": f"door-e2e-{time.time_ns()}"},
            json={
                "event_id": door["event_id"],
                "items": [{"ticket_type_id": door["ticket_type_id"], "quantity": 1, "attendees": [{"name": ATTENDEE}]}],
            },
        )
        booking.raise_for_status()
        booking_id = booking.json()["id"]
        payment = client.post(f"/api/bookings/{booking_id}/payment", headers=auth)
        payment.raise_for_status()
        payment_id = payment.json()["payment"]["id"]
        client.post(
            f"/api/payments/{payment_id}/mock-card", headers=auth, json={"card_number": "4242424242424242"}
        ).raise_for_status()
        # The mock provider settles in the background; confirm answers 402 until it has.
        deadline = time.monotonic() + 30
        while True:
            confirm = client.post(f"/api/bookings/{booking_id}/confirm", headers=auth)
            if confirm.status_code == 200:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the booking was not confirmed: {confirm.status_code} {confirm.text}")
            time.sleep(0.3)
        tickets = client.get(f"/api/bookings/{booking_id}/tickets", headers=auth)
        tickets.raise_for_status()
        [ticket] = tickets.json()
        return {**door, "code": ticket["code"], "ticket_type": ticket["ticket_type_name"]}


# --- the fake camera ----------------------------------------------------------------------------


def _table() -> Image.Image:
    """What the camera sees with no ticket in view: a plain grey surface."""
    return Image.new("RGB", (WIDTH, HEIGHT), (96, 102, 110))


def _ticket_frame(code: str) -> Image.Image:
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
    """Planar 4:2:0 in the JPEG (full-range BT.601) colour space, as `C420jpeg` says."""
    y, cb, cr = image.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    chroma = [plane.resize(half, Image.Resampling.BOX).tobytes() for plane in (cb, cr)]
    return y.tobytes() + b"".join(chroma)


def make_ticket_video(code: str, path: Path) -> Path:
    empty, ticket = _yuv420(_table()), _yuv420(_ticket_frame(code))
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in [empty] * (EMPTY_SECONDS * FPS) + [ticket] * (QR_SECONDS * FPS):
            out.write(b"FRAME\n" + frame)
    _ticket_frame(code).save(path.with_suffix(".png"))
    return path


# --- the browser --------------------------------------------------------------------------------


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


async def sign_in_to(page: Page, path: str) -> None:
    """Open a signed-in page: the guard sends us to /login?next=..., which brings us back."""
    await page.goto(path)
    await page.wait_for_url("**/login**")
    await page.get_by_label("Email").fill(ORGANIZER[0])
    await page.get_by_label("Password", exact=True).fill(ORGANIZER[1])
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"**{path}")


def result_panel(page: Page, tone: str):
    return page.locator(f'[data-testid="scan-result"][data-tone="{tone}"]')


async def run() -> None:
    ticket = create_paid_ticket()
    event_id = ticket["event_id"]
    print(f"ticket for {ticket['title']} ({ticket['ticket_type']}): {ticket['code'][:24]}…")
    video = make_ticket_video(ticket["code"], ARTIFACTS / "fake-camera.y4m")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
                "--no-first-run",
                "--disable-background-networking",
            ],
        )
        try:
            context = await browser.new_context(
                base_url=BASE_URL, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
            )
            await context.grant_permissions(["camera"], origin=BASE_URL)
            page = await context.new_page()
            page.set_default_timeout(20_000)
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))

            await sign_in_to(page, f"/door/{event_id}")
            await expect(page.get_by_role("heading", level=1)).to_have_text(ticket["title"])

            # Idle: the camera runs and shows the empty table (the QR comes after 4 s).
            await expect(page.get_by_text("Point the camera at the ticket's QR code")).to_be_visible()
            await page.wait_for_function(
                "() => { const v = document.querySelector('video'); return v && v.readyState >= 2 && v.videoWidth > 0 }"
            )
            if await page.locator('[data-testid="scan-result"]').count() == 0:
                await shot(page, "door-idle-390")
            else:
                print("note: the QR was already in view, no idle screenshot this time")
            sold_before = await page.get_by_test_id("sold").inner_text()

            # The QR comes into view: admitted, with the attendee and ticket type.
            admitted = result_panel(page, "admitted")
            await expect(admitted).to_be_visible(timeout=20_000)
            await expect(admitted).to_contain_text("Admitted")
            await expect(admitted).to_contain_text(ATTENDEE)
            await expect(admitted).to_contain_text(ticket["ticket_type"])
            await shot(page, "door-admitted-390")
            await expect(page.get_by_test_id("door-announcer")).to_contain_text(f"Admitted. {ATTENDEE}")
            checked_in = int(await page.get_by_test_id("checked-in").inner_text())
            assert checked_in >= 1, f"the counter did not count the admission: {checked_in} / {sold_before}"

            # Back to scanning by itself after ~2.5 s; the last scan stays readable.
            await expect(admitted).to_be_hidden(timeout=6_000)
            await expect(page.get_by_role("region", name="Last scan")).to_contain_text("Admitted")

            # The QR leaves for 4 s (> the 3 s window) and returns: the server refuses it.
            refused = result_panel(page, "refused")
            await expect(refused).to_be_visible(timeout=20_000)
            await expect(refused).to_contain_text("Already checked in")
            await expect(refused).to_contain_text("Olivia Organizer")
            await shot(page, "door-refused-390")
            await expect(refused).to_be_hidden(timeout=6_000)

            # Look-up mode: the state, without checking in.
            await page.get_by_text("Look up", exact=True).click()
            lookup = page.locator('[data-testid="scan-result"]')
            await expect(lookup).to_be_visible(timeout=20_000)
            await expect(lookup).to_contain_text("Already checked in")
            await shot(page, "door-lookup-390")
            await page.get_by_role("button", name="Done").click()

            # The door list.
            await page.get_by_role("link", name="All doors").click()
            await expect(page.get_by_role("link", name=ticket["title"])).to_be_visible()
            await shot(page, "door-list-390")
            assert not errors, f"page errors: {errors}"
            await context.close()

            # Camera blocked: a clear message, and manual entry still checks tickets.
            blocked = await browser.new_context(
                base_url=BASE_URL, viewport=PHONE, device_scale_factor=2, is_mobile=True
            )
            await blocked.add_init_script(
                "navigator.mediaDevices.getUserMedia = () =>"
                " Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));"
            )
            page = await blocked.new_page()
            page.set_default_timeout(20_000)
            await sign_in_to(page, f"/door/{event_id}")
            await expect(page.get_by_text("Camera access is blocked", exact=False)).to_be_visible()
            await shot(page, "door-camera-blocked-390")
            await page.get_by_label("Ticket code").fill(ticket["code"])
            await page.get_by_role("button", name="Check in").click()
            manual = result_panel(page, "refused")
            await expect(manual).to_contain_text("Already checked in")
            await shot(page, "door-manual-refused-390")
            await blocked.close()

            # Desktop still fine.
            desktop = await browser.new_context(base_url=BASE_URL, viewport={"width": 1280, "height": 900})
            page = await desktop.new_page()
            await sign_in_to(page, f"/door/{event_id}")
            await expect(page.get_by_text("Point the camera at the ticket's QR code")).to_be_visible()
            await shot(page, "door-desktop-1280")
            await desktop.close()
        finally:
            await browser.close()
    print(f"door camera check passed; screenshots in {ARTIFACTS}")


def main() -> int:
    try:
        httpx.get(f"{BASE_URL}/health/live", timeout=5).raise_for_status()
    except httpx.HTTPError as exc:
        print(f"the app is not answering on {BASE_URL} ({exc}); start it first (see this file's docstring)")
        return 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
