"""Every dependency of every route is a coroutine: FastAPI runs a plain ``def`` dependency in a
worker thread, a measurable cost on each request of the booking hot path (bench/hot_drop.py)."""

from __future__ import annotations

import inspect
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant


def _sync_dependencies(dependant: Dependant, seen: set[Any]) -> list[str]:
    found: list[str] = []
    for sub in dependant.dependencies:
        call = sub.call
        if call is None or call in seen:
            continue
        seen.add(call)
        target = call if inspect.isfunction(call) or inspect.ismethod(call) else getattr(call, "__call__", call)  # noqa: B004
        if not (inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)):
            found.append(getattr(call, "__qualname__", repr(call)))
        found.extend(_sync_dependencies(sub, seen))
    return found


def test_every_route_dependency_is_async(app: FastAPI) -> None:
    offenders: set[str] = set()
    # FastAPI keeps included routers as wrappers; their effective routes carry the dependants.
    dependants = [
        context.dependant
        for wrapper in app.routes
        if hasattr(wrapper, "effective_candidates")
        for context in wrapper.effective_candidates()
    ]
    assert len(dependants) > 50
    for dependant in dependants:
        offenders.update(_sync_dependencies(dependant, set()))
    assert not offenders, f"plain def dependencies run in a thread pool: {sorted(offenders)}"
