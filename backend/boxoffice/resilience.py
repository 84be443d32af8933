"""Circuit breakers (purgatory) around the services we do not run: Stripe and SMTP.

A breaker opens after ``threshold`` consecutive failures — errors or calls slower than
``timeout`` seconds — answers at once with 503 + Retry-After while open, and half-opens after
``ttl`` seconds to let one probe through. Business outcomes (a declined card) are excluded: they
prove the service works. Breakers fail closed: callers get an error, never a fallback.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any, TypeVar

from prometheus_client.core import GaugeMetricFamily
from purgatory import AsyncCircuitBreakerFactory
from purgatory.domain.model import OpenedState

from boxoffice.errors import ServiceUnavailable

T = TypeVar("T")

KNOWN_CIRCUITS = ("stripe", "smtp")


class CircuitOpen(ServiceUnavailable):
    code, title = "circuit_open", "A payment or mail service is unavailable"


class Breakers:
    def __init__(self, *, threshold: int = 5, ttl: float = 30.0, timeout: float = 5.0) -> None:
        self.factory = AsyncCircuitBreakerFactory(default_threshold=threshold, default_ttl=ttl)
        self.ttl = ttl
        self.timeout = timeout

    async def call(
        self, circuit: str, operation: Callable[[], Awaitable[T]], *, exclude: Sequence[type[BaseException]] = ()
    ) -> T:
        breaker = await self.factory.get_breaker(circuit, exclude=list(exclude))
        try:
            async with breaker:
                async with asyncio.timeout(self.timeout):
                    return await operation()
        except OpenedState as exc:
            retry = max(1, math.ceil(exc.opened_at + self.ttl - time.time()))
            raise CircuitOpen(
                f"The {circuit} service is not answering; try again in {retry} s.",
                headers={"Retry-After": str(retry)},
            ) from exc

    async def state(self, circuit: str) -> str:
        """``closed``, ``opened`` or ``half-opened``."""
        breaker = await self.factory.get_breaker(circuit)
        return str(breaker.context.state)

    async def states(self) -> dict[str, str]:
        return {name: await self.state(name) for name in KNOWN_CIRCUITS}

    def snapshot(self) -> dict[str, str]:
        """Current states without awaiting (for the Prometheus collector). Unused circuits are closed."""
        contexts: dict[str, Any] = getattr(getattr(self.factory.uow, "contexts", None), "breakers", {})
        return {name: str(contexts[name].state) if name in contexts else "closed" for name in KNOWN_CIRCUITS}


class BreakerCollector:
    """Prometheus collector: ``boxoffice_circuit_breaker_state{circuit}`` 0 closed, 0.5 half-open, 1 open."""

    def __init__(self, source: Callable[[], Breakers | None]) -> None:
        self.source = source

    def collect(self) -> Iterator[GaugeMetricFamily]:
        gauge = GaugeMetricFamily(
            "boxoffice_circuit_breaker_state",
            "Circuit breaker state: 0 closed, 0.5 half-open, 1 open",
            labels=["circuit"],
        )
        breakers = self.source()
        states = breakers.snapshot() if breakers else dict.fromkeys(KNOWN_CIRCUITS, "closed")
        for name, state in states.items():
            gauge.add_metric([name], breaker_state_value(state))
        yield gauge


def breaker_state_value(state: str) -> float:
    return {"closed": 0.0, "half-opened": 0.5, "opened": 1.0}.get(state, 1.0)
