"""The garbage collector settings of a running app (boxoffice/gc_tuning.py), and their undoing."""

from __future__ import annotations

import gc

import httpx

from boxoffice.gc_tuning import YOUNG_THRESHOLD, tuned_garbage_collector


def test_start_up_objects_are_frozen_while_the_app_runs_and_released_after() -> None:
    before = gc.get_threshold()
    gc.unfreeze()
    with tuned_garbage_collector():
        assert gc.get_freeze_count() > 10_000  # modules, classes, the app: out of every collection
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


async def test_the_running_app_uses_them(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live")).status_code == 200
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD and gc.get_freeze_count() > 0
