"""The list of routers. The JSON API lives under ``/api``; operations endpoints at the root."""

from __future__ import annotations

from fastapi import APIRouter

API_PREFIX = "/api"


def root_routers() -> list[APIRouter]:
    from boxoffice.health.router import router as health

    return [health]


def api_routers() -> list[APIRouter]:
    from boxoffice.auth.oauth_router import router as oauth
    from boxoffice.auth.router import router as auth
    from boxoffice.bookings.event_cancellation import router as event_cancellation
    from boxoffice.bookings.router import router as bookings
    from boxoffice.coupons.router import router as coupons
    from boxoffice.events.router import router as events
    from boxoffice.notifications.router import router as mail
    from boxoffice.payments.router import router as payments
    from boxoffice.tickets.router import router as tickets
    from boxoffice.users.router import router as users

    return [auth, oauth, users, events, event_cancellation, bookings, payments, tickets, coupons, mail]
