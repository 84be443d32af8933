"""FastAPI dependencies shared by every router."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.config import Settings
from boxoffice.db import unit_of_work
from boxoffice.runtime import Runtime


# Every dependency here is ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in a
# worker thread, which cost ~8% of the CPU of a booking request (tests/foundation guards it).
async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings_dep(runtime: RuntimeDep) -> Settings:
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """The request's transaction. ``scope="function"`` (below) makes FastAPI commit before the
    response is sent, so a client never sees success for a transaction that then failed."""
    async with unit_of_work(runtime.sessionmaker) as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_redis(runtime: RuntimeDep) -> Redis:
    return runtime.redis


RedisDep = Annotated[Redis, Depends(get_redis)]
