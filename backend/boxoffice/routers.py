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

    # Matched in this order, route by route (FastAPI has no prefix short-cut): the busiest first,
    # so that a booking or a door scan does not test fifty other routes before its own. Paths of
    # different routers never overlap, so the order changes nothing else.
    return [bookings, events, tickets, payments, auth, users, coupons, event_cancellation, oauth, mail]
