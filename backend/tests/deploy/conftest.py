"""Deployment checks: offline, no database, no Docker engine, no cluster.

The suite-wide fixtures create and clean a PostgreSQL database for every test; these tests only read
files, so they replace those fixtures with no-ops (``uv run pytest tests/deploy`` needs no services).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def test_database() -> Iterator[str]:
    yield ""


@pytest.fixture
def _clean_state() -> None:
    return None
