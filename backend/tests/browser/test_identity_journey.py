"""Register -> confirm the email from the (embedded) mailbox -> sign out -> sign in again."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


async def test_register_verify_and_sign_in(page: Page) -> None:
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
