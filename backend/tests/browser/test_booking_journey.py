"""A customer books, pays in demo mode and sees their QR tickets; the organizer sees the sale and
checks the ticket in. Every page passes an axe-core audit (no serious or critical violations)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from boxoffice.models import Role
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.journeys import api_headers, sign_in

pytestmark = pytest.mark.browser


async def test_book_pay_and_get_tickets(page: Page, make_user: Any, make_event: Any, live_server: str) -> None:
    organizer = await make_user(Role.ORGANIZER, email="olga@example.com", name="Olga Organizer")
    customer = await make_user(Role.CUSTOMER, email="carl@example.com", name="Carl Customer")
    event = await make_event(
        organizer,
        title="Browser Night",
        tiers=[("Standing", 2500, 50), ("Balcony", 4000, 10)],
        summary="Live music in the browser",
        venue_name="Test Hall",
        city="Berlin",
    )

    await page.goto("/")
    await expect(page.get_by_text("Browser Night").first).to_be_visible()
    await assert_accessible(page, "landing")
    await screenshot(page, "landing")

    await sign_in(page, customer.email, f"/events/{event.slug}")
    await expect(page.get_by_role("heading", name="Browser Night")).to_be_visible()
    await page.get_by_role("button", name="Add one Standing").click()
    await page.get_by_role("button", name="Add one Standing").click()
    await assert_accessible(page, "event")
    await screenshot(page, "event")
    await page.get_by_role("button", name=re.compile(r"^Book 2 tickets")).click()

    await page.wait_for_url(re.compile(r"/checkout/"))
    await expect(page.get_by_text("Demo mode").first).to_be_visible()
    await assert_accessible(page, "checkout")
    await screenshot(page, "checkout")
    await page.get_by_role("button", name=re.compile(r"^Pay ")).click()

    await page.wait_for_url(re.compile(r"/bookings/.+confirmed=1"), timeout=30_000)
    await expect(page.get_by_text("Your booking is confirmed", exact=False)).to_be_visible()
    await expect(page.locator("img[alt*='QR']")).to_have_count(2, timeout=15_000)
    await assert_accessible(page, "booking")
    await screenshot(page, "booking-confirmed")

    # The organizer sees the sale in the event's bookings and checks a ticket in by API (the door page
    # with a camera is covered by test_door_journey.py).
    await page.context.clear_cookies()
    await sign_in(page, organizer.email, f"/organizer/events/{event.id}/bookings")
    await expect(page.get_by_text(customer.email).first).to_be_visible(timeout=15_000)
    await assert_accessible(page, "organizer bookings")
    await screenshot(page, "organizer-bookings")

    async with httpx.AsyncClient(base_url=live_server) as api:
        buyer, door = await api_headers(api, customer.email), await api_headers(api, organizer.email)
        mine = (await api.get("/api/bookings/my/bookings", headers=buyer)).json()["items"]
        tickets = (await api.get(f"/api/bookings/{mine[0]['id']}/tickets", headers=buyer)).json()
        first = await api.post("/api/tickets/validate", json={"code": tickets[0]["code"]}, headers=door)
        assert first.status_code == 200 and first.json()["result"] == "admitted"
    await page.goto("/organizer")
    await assert_accessible(page, "organizer dashboard")
    await screenshot(page, "organizer-dashboard")


async def test_admin_changes_a_role(page: Page, make_user: Any) -> None:
    await make_user(Role.ADMIN, email="ada@example.com", name="Ada Admin")
    await make_user(Role.CUSTOMER, email="promote.me@example.com", name="Promote Me")
    await sign_in(page, "ada@example.com", "/admin/users")
    await expect(page.get_by_text("promote.me@example.com").first).to_be_visible()
    await assert_accessible(page, "admin users")
    await screenshot(page, "admin-users")
