"""Brute-force protection with the ``limits`` library (Redis storage in production).

Two independent limits on login:
- per client IP: every attempt counts (``LOGIN_RATE_PER_IP``);
- per account: only failures count; after ``LOGIN_MAX_FAILURES`` in ``LOGIN_LOCKOUT_SECONDS`` the
  account is locked for the rest of the window. Keyed by the submitted email whether or not an
  account exists, so a lockout never reveals which emails are registered.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter

from boxoffice.errors import TooManyRequests
from boxoffice.runtime import Runtime


class Throttle:
    def __init__(self, runtime: Runtime) -> None:
        settings = runtime.settings
        self.limiter = MovingWindowRateLimiter(runtime.rate_limits)
        self.per_ip = parse(settings.login_rate_per_ip)
        self.failures = parse(f"{settings.login_max_failures} per {settings.login_lockout_seconds} seconds")
        self.sensitive = parse("10 per 10 minutes")

    async def _retry_after(self, item: RateLimitItem, *keys: str) -> int:
        stats = await self.limiter.get_window_stats(item, *keys)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def hit_ip(self, scope: str, ip: str, item: RateLimitItem | None = None) -> None:
        item = item or self.per_ip
        if not await self.limiter.hit(item, scope, ip):
            retry = await self._retry_after(item, scope, ip)
            raise TooManyRequests(
                "Too many attempts from your network. Try again later.", headers={"Retry-After": str(retry)}
            )

    async def check_account(self, email: str) -> None:
        if not await self.limiter.test(self.failures, "login-fail", email):
            retry = await self._retry_after(self.failures, "login-fail", email)
            raise TooManyRequests(
                "Too many failed sign-in attempts for this account. Try again later or reset your password.",
                code="account_locked",
                headers={"Retry-After": str(retry)},
            )

    async def record_failure(self, email: str) -> None:
        await self.limiter.hit(self.failures, "login-fail", email)

    async def clear_failures(self, email: str) -> None:
        await self.limiter.clear(self.failures, "login-fail", email)
