"""Payment providers behind one small interface: the mock (demo mode) and Stripe.

The mock behaves like a remote provider: it keeps its own state (in Redis, or the in-process
stand-in when embedded), a payment succeeds ~2 s after the card is submitted, and the test card
4000 0000 0000 0002 is declined. It is a product feature for demos, not a test shortcut.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import stripe
from redis.asyncio import Redis

from boxoffice.config import Settings
from boxoffice.errors import AppError
from boxoffice.resilience import Breakers

ProviderStatus = Literal["requires_payment", "processing", "succeeded", "failed", "canceled"]

DECLINE_CARD = "4000000000000002"
MOCK_TTL_SECONDS = 7 * 24 * 3600


class CardDeclined(AppError):
    status, code, title = 402, "card_declined", "The card was declined"


class PaymentProviderError(AppError):
    status, code, title = 502, "payment_provider_error", "The payment provider refused the request"


class PaymentProviderUnavailable(AppError):
    status, code, title = 503, "payment_provider_unavailable", "The payment provider is unavailable"


@dataclass(frozen=True)
class Intent:
    provider_ref: str
    status: ProviderStatus
    amount_minor: int
    currency: str
    client_secret: str | None = None
    failure_code: str | None = None


@dataclass(frozen=True)
class RefundResult:
    provider_ref: str
    succeeded: bool


class PaymentGateway(Protocol):
    name: str

    async def create_intent(
        self, *, amount_minor: int, currency: str, idempotency_key: str, metadata: dict[str, str]
    ) -> Intent: ...

    async def retrieve(self, provider_ref: str) -> Intent: ...

    async def refund(self, *, provider_ref: str, amount_minor: int, idempotency_key: str) -> RefundResult: ...


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class MockGateway:
    name = "mock"

    def __init__(self, redis: Redis, delay_seconds: float) -> None:
        self.redis = redis
        self.delay = delay_seconds

    def _key(self, ref: str) -> str:
        return f"mockpay:{ref}"

    async def _load(self, ref: str) -> dict[str, Any]:
        raw = await self.redis.get(self._key(ref))
        if raw is None:
            raise PaymentProviderError("Unknown mock payment.")
        data: dict[str, Any] = json.loads(raw)
        return data

    async def _save(self, ref: str, data: dict[str, Any]) -> None:
        await self.redis.set(self._key(ref), json.dumps(data), ex=MOCK_TTL_SECONDS)

    async def create_intent(
        self, *, amount_minor: int, currency: str, idempotency_key: str, metadata: dict[str, str]
    ) -> Intent:
        ref_key = f"mockpay:idem:{idempotency_key}"
        existing = await self.redis.get(ref_key)
        if existing is not None:
            return await self.retrieve(_text(existing))
        ref = f"mock_pi_{uuid.uuid4().hex}"
        await self._save(
            ref, {"amount": amount_minor, "currency": currency, "status": "requires_payment", "metadata": metadata}
        )
        await self.redis.set(ref_key, ref, ex=MOCK_TTL_SECONDS)
        return Intent(ref, "requires_payment", amount_minor, currency, client_secret=f"{ref}_secret")

    async def submit_card(self, provider_ref: str, card_number: str) -> Intent:
        """What the card form does at a real provider."""
        data = await self._load(provider_ref)
        if data["status"] in ("succeeded", "processing"):
            return await self.retrieve(provider_ref)
        digits = "".join(c for c in card_number if c.isdigit())
        if digits == DECLINE_CARD:
            data.update(status="failed", failure_code="card_declined")
        else:
            data.update(status="processing", succeeds_at=time.time() + self.delay)
        await self._save(provider_ref, data)
        return await self.retrieve(provider_ref)

    async def retrieve(self, provider_ref: str) -> Intent:
        data = await self._load(provider_ref)
        if data["status"] == "processing" and time.time() >= data["succeeds_at"]:
            data["status"] = "succeeded"
            await self._save(provider_ref, data)
        return Intent(
            provider_ref, data["status"], data["amount"], data["currency"], failure_code=data.get("failure_code")
        )

    async def settles_in(self, provider_ref: str) -> float:
        data = await self._load(provider_ref)
        if data["status"] != "processing":
            return 0.0
        return max(0.0, float(data["succeeds_at"]) - time.time())

    async def refund(self, *, provider_ref: str, amount_minor: int, idempotency_key: str) -> RefundResult:
        key = f"mockpay:refund:{idempotency_key}"
        existing = await self.redis.get(key)
        if existing is not None:
            return RefundResult(_text(existing), True)
        data = await self._load(provider_ref)
        refunded = int(data.get("refunded", 0)) + amount_minor
        if data["status"] != "succeeded" or refunded > data["amount"]:
            raise PaymentProviderError("The mock provider cannot refund this amount.")
        data["refunded"] = refunded
        await self._save(provider_ref, data)
        ref = f"mock_re_{uuid.uuid4().hex}"
        await self.redis.set(key, ref, ex=MOCK_TTL_SECONDS)
        return RefundResult(ref, True)


_STRIPE_STATUS: dict[str, ProviderStatus] = {
    "requires_payment_method": "requires_payment",
    "requires_confirmation": "requires_payment",
    "requires_action": "requires_payment",
    "processing": "processing",
    "requires_capture": "processing",
    "succeeded": "succeeded",
    "canceled": "canceled",
}


class StripeGateway:
    """Stripe PaymentIntents and Refunds through ``StripeClient``, every call behind the breaker."""

    name = "stripe"

    def __init__(self, settings: Settings, breakers: Breakers) -> None:
        assert settings.stripe_secret_key
        base = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
        self.client = stripe.StripeClient(
            settings.stripe_secret_key,
            base_addresses=base,  # type: ignore[arg-type]
            http_client=stripe.HTTPXClient(allow_sync_methods=False),
            max_network_retries=0,  # the breaker and our own retries decide
        )
        self.breakers = breakers

    def _intent(self, pi: Any) -> Intent:
        error = getattr(pi, "last_payment_error", None)
        return Intent(
            provider_ref=pi.id,
            status=_STRIPE_STATUS.get(pi.status, "requires_payment"),
            amount_minor=int(pi.amount),
            currency=str(pi.currency).upper(),
            client_secret=getattr(pi, "client_secret", None),
            failure_code=getattr(error, "code", None) if error else None,
        )

    async def create_intent(
        self, *, amount_minor: int, currency: str, idempotency_key: str, metadata: dict[str, str]
    ) -> Intent:
        async def call() -> Any:
            return await self.client.v1.payment_intents.create_async(
                # Payment methods are automatic by default in current Stripe API versions.
                params={"amount": amount_minor, "currency": currency.lower(), "metadata": metadata},
                options={"idempotency_key": idempotency_key},
            )

        return self._intent(await self._guarded(call))

    async def retrieve(self, provider_ref: str) -> Intent:
        async def call() -> Any:
            return await self.client.v1.payment_intents.retrieve_async(provider_ref)

        return self._intent(await self._guarded(call))

    async def refund(self, *, provider_ref: str, amount_minor: int, idempotency_key: str) -> RefundResult:
        async def call() -> Any:
            return await self.client.v1.refunds.create_async(
                params={"payment_intent": provider_ref, "amount": amount_minor},
                options={"idempotency_key": idempotency_key},
            )

        refund = await self._guarded(call)
        return RefundResult(refund.id, refund.status in ("succeeded", "pending"))

    async def _guarded(self, call: Any) -> Any:
        try:
            return await self.breakers.call("stripe", call, exclude=[stripe.CardError, stripe.InvalidRequestError])
        except stripe.CardError as exc:
            raise CardDeclined(exc.user_message or "The card was declined.") from exc
        except stripe.InvalidRequestError as exc:
            raise PaymentProviderError(str(exc.user_message or "Stripe refused the request.")) from exc
        except (stripe.StripeError, TimeoutError) as exc:
            raise PaymentProviderUnavailable(
                "The payment provider did not answer; try again shortly.", headers={"Retry-After": "5"}
            ) from exc


def make_gateway(settings: Settings, redis: Redis, breakers: Breakers) -> PaymentGateway:
    if settings.payment_provider == "stripe":
        return StripeGateway(settings, breakers)
    return MockGateway(redis, settings.mock_payment_delay_seconds)
