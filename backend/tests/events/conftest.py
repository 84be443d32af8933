"""Fixtures for the events tests: the five kinds of caller and their authorization headers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from boxoffice.auth.passwords import hash_password
from boxoffice.auth.tokens import issue_access_token
from boxoffice.db import unit_of_work
from boxoffice.models import AuthSession, Role, User
from tests.fixtures.factories import DEFAULT_PASSWORD


@dataclass
class Actor:
    name: str
    user: User | None
    headers: dict[str, str]


@dataclass
class Cast:
    anonymous: Actor
    customer: Actor
    owner: Actor
    other_organizer: Actor
    admin: Actor

    def all(self) -> list[Actor]:
        return [self.anonymous, self.customer, self.owner, self.other_organizer, self.admin]


@pytest.fixture
async def cast(runtime: Any) -> Cast:
    """Anonymous, a customer, the organizer who owns the events under test, another organizer and
    an admin. Users, login sessions and access tokens are made directly in one transaction (the
    same rows a login writes), which keeps these many tests fast."""
    roles = {
        "customer": Role.CUSTOMER,
        "owner": Role.ORGANIZER,
        "other_organizer": Role.ORGANIZER,
        "admin": Role.ADMIN,
    }
    password_hash = hash_password(DEFAULT_PASSWORD)
    users: dict[str, User] = {}
    sessions: dict[str, uuid.UUID] = {}
    async with unit_of_work(runtime.sessionmaker) as session:
        for name, role in roles.items():
            user = User(
                id=uuid.uuid4(),
                email=f"{name}-{uuid.uuid4().hex[:8]}@example.com",
                full_name=name.replace("_", " ").title(),
                password_hash=password_hash,
                role=role,
                email_verified_at=datetime.now(UTC),
            )
            login = AuthSession(
                id=uuid.uuid4(),
                user_id=user.id,
                device_label="pytest",
                expires_at=datetime.now(UTC) + timedelta(days=1),
            )
            session.add_all([user, login])
            users[name], sessions[name] = user, login.id
    actors: dict[str, Actor] = {"anonymous": Actor("anonymous", None, {})}
    for name, user in users.items():
        token, _ = issue_access_token(
            user_id=user.id,
            session_id=sessions[name],
            role=user.role.value,
            secret=runtime.settings.jwt_secret,
            ttl_seconds=900,
        )
        actors[name] = Actor(name, user, {"Authorization": f"Bearer {token}"})
    return Cast(**actors)
