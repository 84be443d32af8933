"""Stripe webhooks: verify the signature, store the event once, process it in the same transaction.

Exactly once: the event row has a unique (provider, event_id). Concurrent deliveries of the same
event block on that unique index until the first transaction commits, then insert nothing and
answer "duplicate". Processing is itself idempotent (apply_success is a no-op once applied).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import stripe
import structlog
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.errors import AppError, NotFound
from boxoffice.models import Payment, PaymentStatus, ProviderEvent
from boxoffice.payments.gateway import Intent
from boxoffice.payments.service import apply_success
from boxoffice.runtime import Runtime

log = structlog.get_logger(__name__)

SIGNATURE_TOLERANCE_SECONDS = 300


class InvalidSignature(AppError):
    status, code, title = 400, "invalid_signature", "Webhook signature verification failed"


def verify(payload: bytes, signature: str | None, secret: str | None) -> dict[str, Any]:
    if not secret:
        raise NotFound("Stripe webhooks are not configured on this server.", code="webhooks_disabled")
    if not signature:
        raise InvalidSignature("Missing Stripe-Signature header.")
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"), signature, secret, tolerance=SIGNATURE_TOLERANCE_SECONDS
        )
        event: dict[str, Any] = json.loads(payload)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidSignature("The signature does not match the payload.") from exc
    if not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        raise InvalidSignature("Not a Stripe event.")
    return event


async def record_and_process(session: AsyncSession, runtime: Runtime, event: dict[str, Any]) -> bool:
    """Returns False for a duplicate delivery (nothing done)."""
    inserted = await session.execute(
        insert(ProviderEvent)
        .values(id=uuid.uuid4(), provider="stripe", event_id=event["id"], type=event["type"], payload=event)
        .on_conflict_do_nothing(index_elements=["provider", "event_id"])
        .returning(ProviderEvent.id)
    )
    row = inserted.first()
    if row is None:
        log.info("webhook_duplicate", event_id=event["id"])
        return False
    await _process(session, runtime, event)
    stored = await session.get(ProviderEvent, row.id)
    assert stored is not None
    stored.processed_at = datetime.now(UTC)
    return True


async def _payment(session: AsyncSession, intent_id: str) -> Payment | None:
    return await session.scalar(select(Payment).where(Payment.provider == "stripe", Payment.provider_ref == intent_id))


async def _process(session: AsyncSession, runtime: Runtime, event: dict[str, Any]) -> None:
    kind = event["type"]
    obj: dict[str, Any] = event.get("data", {}).get("object", {})
    if kind == "payment_intent.succeeded":
        payment = await _payment(session, str(obj.get("id")))
        if payment is None:
            log.warning("webhook_unknown_payment_intent", intent=obj.get("id"))
            return
        intent = Intent(
            provider_ref=str(obj["id"]),
            status="succeeded",
            amount_minor=int(obj.get("amount_received") or obj.get("amount") or 0),
            currency=str(obj.get("currency", "")).upper(),
        )
        problem = await apply_success(session, runtime, payment.id, intent)
        if problem is not None:
            log.warning("webhook_payment_not_confirmed", code=problem.code, payment_id=str(payment.id))
    elif kind in ("payment_intent.payment_failed", "payment_intent.canceled"):
        payment = await _payment(session, str(obj.get("id")))
        if payment is not None and payment.status != PaymentStatus.SUCCEEDED:  # never downgrade a success
            payment.status = PaymentStatus.FAILED
            error = obj.get("last_payment_error") or {}
            payment.failure_code = str(error.get("code") or kind.rsplit(".", 1)[-1])[:64]
    elif kind == "payment_intent.processing":
        payment = await _payment(session, str(obj.get("id")))
        if payment is not None and payment.status == PaymentStatus.REQUIRES_PAYMENT:
            payment.status = PaymentStatus.PROCESSING
    else:
        log.info("webhook_ignored", type=kind)
    await session.flush()
