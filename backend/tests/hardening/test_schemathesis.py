"""Property-based API fuzzing with schemathesis, in-process against the ASGI app.

Every operation of the OpenAPI schema gets a bounded, derandomized batch of generated requests
(positive data that fits the schema, then negative data that does not) once per role: anonymous
(no token, or a garbage one), customer, organizer and admin. Half of the cases aim their path
parameters at real objects (the seeded event, paid booking, ticket, payment, coupon, user) so that
handlers get past "not found" and run their rules on fuzzed bodies and queries.

Every response must:
- never be a 5xx;
- use a status code, content type, headers and body that the OpenAPI document declares;
- be application/problem+json with type/title/status/code whenever it is an error.

The Stripe webhook is fuzzed with a webhook secret configured: without a valid signature it must
answer 400, never 500. Signing everyone out (auth-logout-all) runs last so that it does not turn the
rest of the run into 401s. ``BOXOFFICE_FUZZ_SCALE=4`` runs four times as many cases.
"""

from __future__ import annotations

import asyncio
import os
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from boxoffice.config import Settings
from boxoffice.main import create_app
from tests.hardening.conftest import World, problem_violations

SCALE = float(os.environ.get("BOXOFFICE_FUZZ_SCALE", "1"))
# (positive, negative) cases per operation. Anonymous calls mostly stop at 401: fewer are enough.
BUDGET = {"anonymous": (8, 4), "customer": (15, 8), "organizer": (15, 8), "admin": (15, 8)}
LAST = {"auth-logout-all"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass
class Report:
    failures: list[str] = field(default_factory=list)
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    last_case: Any = None

    @property
    def calls(self) -> int:
        return sum(sum(c.values()) for c in self.statuses.values())


def real_ids(world: World) -> dict[str, str]:
    return {
        "event_id": str(world.event.id),
        "id_or_slug": str(world.event.id),
        "ticket_type_id": str(world.event.ticket_types[0].id),
        "booking_id": world.paid_booking_id,
        "ticket_id": world.ticket_id,
        "payment_id": world.payment_id,
        "coupon_id": world.coupon_id,
        "code": world.coupon_code,
        "user_id": str(world.customer.user.id),
    }


def operation_id(operation: Any) -> str:
    return str(operation.definition.raw.get("operationId", operation.label))


def describe(exc: BaseException, case: Any) -> str:
    where = ""
    if case is not None:
        meta = case.meta
        negated = {k.value: v.mode.value for k, v in meta.components.items()} if meta else {}
        where = (
            f"generated: {negated}\npath={case.path_parameters} query={case.query} "
            f"headers={dict(case.headers or {})} body={case.body!r}"
        )[:1500] + "\n"
    if isinstance(exc, FailureGroup):
        # The message names each failed check and shows the response; drop the (long) curl line.
        lines = [line for line in str(exc).splitlines() if not line.lstrip().startswith("curl ")]
        return where + "\n".join(lines)[:3000]
    return where + "".join(traceback.format_exception(exc))[-3000:]


def fuzz_operation(
    operation: Any, mode: GenerationMode, examples: int, headers: dict[str, str], ids: dict[str, str], report: Report
) -> None:
    statuses = report.statuses[operation_id(operation)]

    @hypothesis_settings(
        max_examples=max(1, int(examples * SCALE)),
        derandomize=True,  # the same cases on every run
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), aim_at_real_objects=st.booleans())
    def run(case: Any, aim_at_real_objects: bool) -> None:
        path = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
        # A negated path parameter stays as generated: replacing it would make the request valid.
        if aim_at_real_objects and case.path_parameters and (path is None or path.mode.is_positive):
            for name in case.path_parameters:
                if name in ids:
                    case.path_parameters[name] = ids[name]
        report.last_case = case
        response = case.call(headers=headers)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)
        content_type = (response.headers.get("content-type") or [""])[0]
        violations = problem_violations(response.status_code, content_type, response.content)
        assert not violations, f"{case.method} {case.formatted_path}: {violations}"

    try:
        run()
    except Unsatisfiable:
        pass  # nothing to negate: an operation without parameters
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # collect every operation's failure; schemathesis raises exception groups
        report.failures.append(f"[{mode.value}] {operation.label}:\n{describe(exc, report.last_case)}")


def fuzz_all(schema: Any, role: str, headers: dict[str, str], ids: dict[str, str], report: Report) -> None:
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: operation_id(op) in LAST)  # stable: the destructive ones last
    positive, negative = BUDGET[role]
    for operation in operations:
        fuzz_operation(operation, GenerationMode.POSITIVE, positive, headers, ids, report)
        fuzz_operation(operation, GenerationMode.NEGATIVE, negative, headers, ids, report)


def in_thread(fn: Callable[[], Any]) -> Any:
    return asyncio.to_thread(fn)


@pytest.mark.parametrize("role", list(BUDGET))
async def test_fuzz_every_operation(role: str, world: World, settings: Settings) -> None:
    # A webhook secret makes the Stripe webhook verify signatures (400) instead of answering 404
    # "not configured"; payments stay in demo mode.
    fuzz_app = create_app(settings.model_copy(update={"stripe_webhook_secret": "whsec_fuzzing"}))
    headers = {
        "anonymous": {},
        "customer": world.customer.headers,
        "organizer": world.organizer.headers,
        "admin": world.admin.headers,
    }[role]
    report = Report()
    started = time.monotonic()
    try:
        # The app's lifespan runs on schemathesis' ASGI event-loop thread and the calls block, so
        # they run in a worker thread while this event loop stays free.
        schema = await in_thread(lambda: schemathesis.openapi.from_asgi("/openapi.json", fuzz_app))
        await in_thread(lambda: fuzz_all(schema, role, headers, real_ids(world), report))
    finally:
        await in_thread(asgi.shutdown_lifespans)
    totals: Counter[int] = sum(report.statuses.values(), Counter())
    print(
        f"\nfuzz {role}: {report.calls} calls in {time.monotonic() - started:.0f}s, statuses {sorted(totals.items())}"
    )

    assert not report.failures, f"{len(report.failures)} operation(s) failed:\n\n" + "\n\n".join(report.failures)
    assert len(report.statuses) >= 60, sorted(report.statuses)  # every operation was exercised
    webhook = report.statuses["payments-stripe-webhook"]
    assert webhook and set(webhook) <= {400}, webhook
    if role != "anonymous":
        # Authenticated calls got past the auth gate and into the handlers.
        assert sum(n for status, n in totals.items() if status < 300) > 100, totals
