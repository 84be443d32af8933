"""Periodic housekeeping, safe to run in every process at once (row locks with SKIP LOCKED, and
idempotent steps): expire unpaid holds, retry refunds and mail that failed while a provider was down.

Runs inside the API process (every mode) and in `boxoffice worker`, every
``BOXOFFICE_MAINTENANCE_INTERVAL_SECONDS`` (0 disables it, as the tests do: they call run_once).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import structlog
from sqlalchemy import func, select

from boxoffice.db import unit_of_work
from boxoffice.models import MailMessage, MailStatus
from boxoffice.runtime import Runtime

log = structlog.get_logger(__name__)


async def run_once(runtime: Runtime) -> dict[str, int]:
    from boxoffice.bookings.service import expire_due_holds
    from boxoffice.notifications.tasks import deliver_mail, release_stale_claims
    from boxoffice.payments.tasks import retry_pending_refunds

    async with unit_of_work(runtime.sessionmaker) as session:
        expired = await expire_due_holds(session, runtime)
    refunds = await retry_pending_refunds(runtime)
    async with unit_of_work(runtime.sessionmaker) as session:
        await release_stale_claims(session)
    async with unit_of_work(runtime.sessionmaker) as session:
        due_mail = (
            await session.scalars(
                select(MailMessage.id)
                .where(MailMessage.status == MailStatus.PENDING, MailMessage.next_attempt_at <= func.now())
                .limit(100)
            )
        ).all()
    for mail_id in due_mail:
        await deliver_mail(str(mail_id))
    return {"expired_holds": expired, "refunds_retried": refunds, "mail_retried": len(due_mail)}


async def _loop(runtime: Runtime, interval: float) -> None:
    while True:
        try:
            result = await run_once(runtime)
            if any(result.values()):
                log.info("maintenance_ran", **result)
        except Exception:
            log.exception("maintenance_failed")
        await asyncio.sleep(interval)


@contextlib.asynccontextmanager
async def running(runtime: Runtime, interval: float) -> AsyncIterator[None]:
    if interval <= 0:
        yield
        return
    task = asyncio.create_task(_loop(runtime, interval), name="boxoffice-maintenance")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
