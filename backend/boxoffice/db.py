"""Database engine, the request-scoped unit of work, and the after-commit side-effect queue.

House rule: one transaction per request or job. Services ``flush()``; only :func:`unit_of_work`
commits. Side effects registered with :func:`after_commit` run once the commit succeeded and are
dropped on rollback, so an email or a socket message never describes data that does not exist.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import asyncpg
import structlog
from sqlalchemy import DateTime, Enum, MetaData, event, exc, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

log = structlog.get_logger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SideEffect = Callable[[], Awaitable[None]]
_AFTER_COMMIT_KEY = "boxoffice.after_commit"
_AFTER_TRANSACTION_KEY = "boxoffice.after_transaction"


def value_enum(cls: type[enum.Enum], name: str) -> Enum:
    """A PostgreSQL enum type storing the members' values ("pending_payment"), not their names."""
    return Enum(cls, name=name, values_callable=lambda e: [m.value for m in e], validate_strings=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


def to_async_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs (as operators write them) and pick the asyncpg driver."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("database URL must be a postgresql:// URL")


_SERVER_SETTINGS = {"lock_timeout": "5s", "statement_timeout": "30s"}


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20) -> AsyncEngine:
    engine = create_async_engine(
        to_async_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        # Not pool_pre_ping: on asyncpg it costs three round trips (BEGIN, ";", ROLLBACK) on every
        # checkout, about a fifth of a booking request's time. _discard_closed_connections below
        # catches what pre-ping was there for (connections the server terminated) for free, and
        # pool_recycle retires connections before a firewall or proxy drops them silently.
        pool_recycle=1800,
        # Errors (and so logs) show the SQL without its values: they can be passwords, tokens, emails.
        hide_parameters=True,
        # A statement stuck behind a lock must not hold a pool slot forever.
        connect_args={"server_settings": _SERVER_SETTINGS},
    )
    event.listen(engine.sync_engine, "checkout", _discard_closed_connections)
    return engine


def _discard_closed_connections(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
    """A pooled connection whose socket the server already closed (restart, pg_terminate_backend,
    idle timeout) is replaced before use: raising DisconnectionError makes the pool retry with a
    fresh connection (SQLAlchemy "pessimistic disconnect handling", custom variant)."""
    if dbapi_connection.driver_connection.is_closed():
        raise exc.DisconnectionError("connection closed by the server")


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def after_commit(session: AsyncSession, effect: SideEffect) -> None:
    """Run ``effect`` only if (and after) the current transaction commits."""
    session.info.setdefault(_AFTER_COMMIT_KEY, []).append(effect)


def after_transaction(session: AsyncSession, effect: SideEffect) -> None:
    """Run ``effect`` when the transaction ends, committed or not (e.g. release a lock)."""
    session.info.setdefault(_AFTER_TRANSACTION_KEY, []).append(effect)


async def _run_side_effects(effects: list[SideEffect]) -> None:
    for effect in effects:
        try:
            await effect()
        except Exception:  # a side effect must never turn a committed request into an error
            log.exception("after_commit_effect_failed", effect=getattr(effect, "__qualname__", repr(effect)))


def _touched(session: AsyncSession) -> bool:
    """Whether the session began a transaction or holds objects. An untouched session has nothing
    to commit, roll back or close, and skipping those saves ~0.1 ms of Python each (the booking hot
    path reads and writes around the session)."""
    return session.in_transaction() or bool(session.identity_map) or bool(session.new) or bool(session.deleted)


async def commit_if_needed(session: AsyncSession) -> None:
    """Commit, unless the session was never used (see _touched)."""
    if _touched(session):
        await session.commit()


@asynccontextmanager
async def unit_of_work(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One transaction: commit on success, roll back on any error, then run side effects."""
    session = sessionmaker()
    try:
        try:
            yield session
            await commit_if_needed(session)
        except BaseException:
            if _touched(session):
                await session.rollback()
            session.info.pop(_AFTER_COMMIT_KEY, None)
            await _run_side_effects(session.info.pop(_AFTER_TRANSACTION_KEY, []))
            raise
        effects: list[SideEffect] = session.info.pop(_AFTER_TRANSACTION_KEY, [])
        effects += session.info.pop(_AFTER_COMMIT_KEY, [])
    finally:
        if _touched(session):
            await session.close()
    await _run_side_effects(effects)


async def make_raw_pool(url: str, *, max_size: int) -> asyncpg.Pool:
    """The pool behind :func:`fetch_raw`: plain asyncpg connections, opened on demand.

    Its connections only ever run single statements in autocommit mode, so they carry no session
    state between uses and the pool skips asyncpg's per-release reset (a round trip): checking out
    and returning a connection costs ~10 us here against ~70 us through SQLAlchemy's pool, and the
    booking hot path does it three times per request."""
    pool = await asyncpg.create_pool(
        to_async_url(url).replace("postgresql+asyncpg://", "postgresql://", 1),
        min_size=0,
        max_size=max_size,
        reset=_no_reset,
        server_settings=_SERVER_SETTINGS,
        max_inactive_connection_lifetime=300,
    )
    return pool


async def _no_reset(connection: asyncpg.Connection) -> None:
    """Nothing to reset: see make_raw_pool."""


async def fetch_raw(pool: asyncpg.Pool, sql: str, *args: Any) -> list[asyncpg.Record]:
    """Run one statement on a pooled connection straight through asyncpg, outside any transaction
    (autocommit). For the per-request hot path (the session check on every authenticated request,
    the booking's read and its placement function): SQLAlchemy's adapter wraps a statement in
    BEGIN/ROLLBACK round trips and adds ~0.5 ms of Python to each (measured; README
    "Performance"), this costs ~0.05 ms.
    Use ``$1``-style parameters. A database that is down, or a connection the server dropped,
    surfaces as the same 503 (Retry-After) as any database outage; a dropped connection is
    discarded."""
    from boxoffice.errors import ServiceUnavailable

    for attempt in (1, 2):
        try:
            async with pool.acquire() as driver:
                try:
                    rows: list[asyncpg.Record] = await driver.fetch(sql, *args)
                except BaseException as exc:
                    lost = driver.is_closed() or isinstance(exc, (*_CONNECTION_LOST, _ENDED_WHILE_IDLE))
                    if lost or not isinstance(exc, asyncpg.PostgresError):
                        # A dropped or terminated connection (its end may not have been read yet),
                        # or a statement interrupted mid-protocol (a cancellation): never hand it
                        # out again. An error the server answered (e.g. a RAISE in a function)
                        # leaves it usable.
                        driver.terminate()
                    raise
                return rows
        except _ENDED_WHILE_IDLE as exc:
            # A pooled connection the server ended while it sat idle (restart, failover, an
            # operator): its protocol is still reading the server's goodbye and refused the
            # statement before sending anything, so one retry on a fresh connection is safe.
            if attempt == 2:
                raise ServiceUnavailable(
                    "A backing service is unreachable right now; try again in a moment.", headers={"Retry-After": "2"}
                ) from exc
        except _CONNECTION_LOST as exc:
            log.warning("database_unavailable", error=type(exc).__name__)
            raise ServiceUnavailable(
                "A backing service is unreachable right now; try again in a moment.", headers={"Retry-After": "2"}
            ) from exc
    raise AssertionError("unreachable")


# asyncpg's ways of saying the connection is gone: network errors, and the server terminating the
# backend (restart, failover, pg_terminate_backend: "admin shutdown", an operator intervention).
_CONNECTION_LOST = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.CannotConnectNowError,
    OSError,
)
# "cannot switch to state N; another operation is in progress": on a connection fetch_raw holds
# alone, only a server-ended connection whose end asyncpg has not finished reading.
_ENDED_WHILE_IDLE = asyncpg.exceptions.InternalClientError
