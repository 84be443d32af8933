"""Turn a User-Agent header into a label a person recognises ("Firefox 128 on Windows")."""

from __future__ import annotations

from user_agents import parse


def device_label(user_agent: str) -> str:
    if not user_agent:
        return "Unknown device"
    parsed = parse(user_agent)
    browser = parsed.browser.family or "Unknown browser"
    if parsed.browser.version_string:
        browser = f"{browser} {parsed.browser.version_string.split('.')[0]}"
    os_family = parsed.os.family or "unknown OS"
    if os_family == "Other":
        os_family = "unknown OS"
    if browser.startswith("Other"):
        browser = user_agent.split("/")[0][:40] or "Unknown browser"
    kind = " (mobile)" if parsed.is_mobile else ""
    return f"{browser} on {os_family}{kind}"[:200]
