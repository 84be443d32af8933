"""An organizer creates an event in the editor, adds a ticket type, publishes it, and watches the
sale arrive live on the dashboard (Socket.IO, no reload) while a customer books and pays."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from boxoffice.models import Role
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.journeys import api_headers, book_and_pay, sign_in

pytestmark = pytest.mark.browser


async def test_organizer_creates_publishes_and_sees_the_sale_live(page: Page, make_user: Any, live_server: str) -> None:
    organizer = await make_user(Role.ORGANIZER, email="oscar@example.com", name="Oscar Organizer")
    await make_user(Role.CUSTOMER, email="cleo@example.com", name="Cleo Customer")
    starts = (datetime.now(UTC) + timedelta(days=20)).replace(hour=19, minute=30, second=0, microsecond=0)

    # 1. A draft from the editor.
    await sign_in(page, organizer.email, "/organizer/events/new")
    await expect(page.get_by_role("heading", name="New event")).to_be_visible()
    await page.get_by_label("Title", exact=True).fill("Live Sale Night")
    await page.get_by_label("Summary", exact=True).fill("A sale watched as it happens")
    await page.get_by_label("Starts", exact=True).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    await page.get_by_label("Ends", exact=True).fill((starts + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    await page.get_by_label("Venue name", exact=True).fill("Harbour Hall")
    await page.get_by_label("City", exact=True).fill("Hamburg")
    await assert_accessible(page, "new event")
    await page.get_by_role("button", name="Create draft").click()
    await page.wait_for_url(re.compile(r"/organizer/events/[0-9a-f-]+/edit"))
    event_id = re.search(r"/events/([0-9a-f-]+)/edit", page.url).group(1)  # type: ignore[union-attr]

    # 2. A ticket type, then publish.
    await page.get_by_role("button", name="Add ticket type").click()
    await page.get_by_label("Name", exact=True).fill("Early Bird")
    await page.get_by_label(re.compile(r"^Price")).fill("19.50")
    await page.get_by_label("Capacity", exact=True).fill("40")
    await page.get_by_role("button", name="Add ticket type").last.click()
    await expect(page.get_by_role("article", name="Early Bird")).to_be_visible()
    await page.get_by_role("button", name="Publish").click()
    await expect(page.get_by_text("Published!", exact=False)).to_be_visible()
    await assert_accessible(page, "event editor")
    await screenshot(page, "organizer-editor-published")

    async with httpx.AsyncClient(base_url=live_server, timeout=30) as api:
        public = (await api.get(f"/api/events/{event_id}")).json()
        assert public["status"] == "published"
        [early] = public["ticket_types"]
        assert early["price_minor"] == 1950 and early["capacity"] == 40

        # 3. The dashboard goes live; a customer's purchase shows up without a reload.
        await page.goto("/organizer")
        await expect(page.get_by_role("status").filter(has_text=re.compile(r"^Live"))).to_be_visible()
        sold = page.get_by_test_id("live-sold-count")
        await expect(sold).to_have_text("0")
        # A visitor has the public event page open meanwhile (anonymous connection).
        visitor = await page.context.browser.new_context(base_url=live_server)  # type: ignore[union-attr]
        event_page = await visitor.new_page()
        await event_page.goto(f"/events/{public['slug']}")
        seats = event_page.get_by_test_id(f"remaining-{early['id']}")
        await expect(seats).to_have_attribute("data-remaining", "40")
        await expect(event_page.get_by_test_id("live-indicator")).to_have_attribute("data-state", "live")

        navigations: list[str] = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        event_page.on("framenavigated", lambda frame: navigations.append(frame.url))
        await book_and_pay(api, await api_headers(api, "cleo@example.com"), event_id, early["id"], 3)
        await expect(sold).to_have_text("3", timeout=15_000)
        await expect(page.get_by_test_id("live-activity")).to_contain_text("Live Sale Night")
        await expect(seats).to_have_attribute("data-remaining", "37", timeout=15_000)
        assert not navigations, f"a page reloaded: {navigations}"
        await screenshot(event_page, "event-page-live")
        await visitor.close()
        await assert_accessible(page, "organizer dashboard live")
        await screenshot(page, "organizer-dashboard-live")
