"""The list of routers. The JSON API lives under ``/api``; operations endpoints at the root."""

from __future__ import annotations

from fastapi import APIRouter

API_PREFIX = "/api"


def root_routers() -> list[APIRouter]:
    from boxoffice.health.router import router as health

    return [health]


def api_routers() -> list[APIRouter]:
    from boxoffice.events.router import router as events

    return [events]
