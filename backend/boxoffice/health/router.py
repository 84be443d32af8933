"""Liveness and readiness probes for load balancers and Kubernetes."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import text

from boxoffice.deps import RuntimeDep

router = APIRouter(prefix="/health", tags=["health"])

CHECK_TIMEOUT_SECONDS = 2.0


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class CheckResult(BaseModel):
    status: Literal["ok", "error"]
    detail: str | None = None


class Readiness(BaseModel):
    status: Literal["ok", "error"]
    checks: dict[str, CheckResult]
    circuits: dict[str, str] = Field(
        default_factory=dict,
        description="Circuit breakers around Stripe and SMTP: closed, opened or half-opened. An open "
        "breaker does not make the instance unready (browsing still works); it is reported here.",
    )


@router.get("/live", operation_id="health-live")
async def live() -> Liveness:
    """The process is up and serving; says nothing about its dependencies."""
    return Liveness()


async def _check_database(runtime: RuntimeDep) -> CheckResult:
    async with runtime.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    return CheckResult(status="ok")


async def _check_redis(runtime: RuntimeDep) -> CheckResult:
    await runtime.redis.ping()
    return CheckResult(status="ok")


@router.get(
    "/ready",
    operation_id="health-ready",
    responses={503: {"model": Readiness, "description": "A dependency is down"}},
)
async def ready(runtime: RuntimeDep) -> JSONResponse:
    """Ready to take traffic: the database and Redis answer within the timeout."""
    checks: dict[str, CheckResult] = {}
    probes = {"database": _check_database, "redis": _check_redis}
    for name, probe in probes.items():
        try:
            checks[name] = await asyncio.wait_for(probe(runtime), CHECK_TIMEOUT_SECONDS)
        except Exception as exc:  # report every failure, never crash the probe
            checks[name] = CheckResult(status="error", detail=type(exc).__name__)
    healthy = all(c.status == "ok" for c in checks.values())
    body = Readiness(status="ok" if healthy else "error", checks=checks, circuits=await runtime.breakers.states())
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)
