"""Register -> confirm the email from the (embedded) mailbox -> sign out -> sign in again -> book a
paid ticket -> pay in demo mode -> see the QR ticket: one new customer, start to finish."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import Page, expect

from boxoffice.models import Role
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


async def test_register_verify_sign_in_book_pay_and_see_the_ticket(page: Page, make_user: Any, make_event: Any) -> None:
    organizer = await make_user(Role.ORGANIZER, name="Ines Organizer")
    event = await make_event(organizer, title="First Timer Gig", tiers=[("General", 1800, 30)])
    await page.goto("/register")
    await page.get_by_label("Full name").fill("Bea Browser")
    await page.get_by_label("Email").fill("bea@example.com")
    await page.get_by_label("Password", exact=True).fill("Browser-Pass-42")
    await screenshot(page, "register")
    await page.get_by_role("button", name="Create account").click()
    await page.wait_for_url(lambda url: "/register" not in url)

    # Signed in straight away; the account page asks to confirm the email.
    await page.goto("/account/mailbox")
    await expect(page.get_by_text("Confirm your email address", exact=True)).to_be_visible()
    await screenshot(page, "mailbox")
    link = page.locator('a[href*="/verify-email?token="]')
    href = await link.first.get_attribute("href")
    assert href
    await page.goto(href)
    await expect(page.get_by_text(re.compile("confirmed", re.IGNORECASE)).first).to_be_visible()

    await page.goto("/account")
    await expect(page.get_by_role("main")).to_contain_text("bea@example.com")
    await expect(page.get_by_role("main")).not_to_contain_text("Confirm your email to book")
    await screenshot(page, "account")

    # Sign out from the account menu, then sign in again on the way to the event.
    await page.get_by_role("button", name=re.compile("^Account menu for Bea Browser")).click()
    await page.get_by_role("menuitem", name="Sign out").or_(page.get_by_role("button", name="Sign out")).click()
    await expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    await page.goto(f"/login?next=/events/{event.slug}")
    await page.get_by_label("Email").fill("bea@example.com")
    await page.get_by_label("Password", exact=True).fill("Browser-Pass-42")
    await page.get_by_role("button", name="Sign in").click()

    # A paid ticket needs the confirmed email: book it, pay with the demo card, get the QR.
    await page.wait_for_url(f"**/events/{event.slug}")
    await expect(page.get_by_role("heading", name="First Timer Gig")).to_be_visible()
    await page.get_by_role("button", name="Add one General").click()
    await page.get_by_role("button", name=re.compile(r"^Book 1 ticket")).click()
    await page.wait_for_url(re.compile(r"/checkout/"))
    await page.get_by_role("button", name=re.compile(r"^Pay ")).click()
    await page.wait_for_url(re.compile(r"/bookings/.+confirmed=1"), timeout=30_000)
    await expect(page.get_by_text("Your booking is confirmed", exact=False)).to_be_visible()
    await expect(page.locator("img[alt*='QR']")).to_have_count(1, timeout=15_000)
    await screenshot(page, "first-booking-confirmed")
