"""Demo data: the spec's three users and a handful of sample events. Idempotent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from boxoffice.auth.passwords import hash_password
from boxoffice.models import Event, EventStatus, Role, TicketType, User

log = structlog.get_logger(__name__)

DEMO_USERS = [
    ("admin@demo.com", "Admin123!", "Ada Admin", Role.ADMIN),
    ("organizer@demo.com", "Organizer123!", "Olivia Organizer", Role.ORGANIZER),
    ("customer@demo.com", "Customer123!", "Carl Customer", Role.CUSTOMER),
]


def _demo_events(now: datetime) -> list[dict[str, Any]]:
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return [
        {
            "slug": "northern-lights-festival",
            "title": "Northern Lights Festival",
            "summary": "Three stages, forty artists and a midnight sky show by the fjord.",
            "description_md": (
                "## A weekend under the aurora\n\nThree stages, local food, and **silent disco** after midnight."
            ),
            "category": "music",
            "tags": ["festival", "outdoor"],
            "venue_name": "Fjord Park",
            "address": "Strandveien 1",
            "city": "Tromsø",
            "country": "NO",
            "timezone": "Europe/Oslo",
            "starts_at": day + timedelta(days=30, hours=15),
            "hours": 56,
            "currency": "EUR",
            "refund_until_hours": 72,
            "tiers": [("Weekend pass", 8900, 2000), ("VIP weekend", 19900, 150), ("Day ticket", 4500, 800)],
        },
        {
            "slug": "pycon-nordic",
            "title": "PyCon Nordic 2027",
            "summary": "Two days of talks on Python, data and the web, with workshops.",
            "description_md": "Talks, sprints and workshops. Lunch included.",
            "category": "conference",
            "tags": ["python", "tech"],
            "venue_name": "Congress Centre",
            "address": "Main Street 5",
            "city": "Copenhagen",
            "country": "DK",
            "timezone": "Europe/Copenhagen",
            "starts_at": day + timedelta(days=60, hours=8),
            "hours": 34,
            "currency": "EUR",
            "refund_until_hours": 168,
            "tiers": [("Early bird", 14900, 100), ("Regular", 24900, 400), ("Student", 4900, 60)],
        },
        {
            "slug": "jazz-in-the-cellar",
            "title": "Jazz in the Cellar",
            "summary": "An intimate evening with the Lena Holm Trio.",
            "description_md": "Doors at 19:00. Seating is first come, first served.",
            "category": "music",
            "tags": ["jazz", "live"],
            "venue_name": "The Cellar",
            "address": "Old Town 12",
            "city": "Stockholm",
            "country": "SE",
            "timezone": "Europe/Stockholm",
            "starts_at": day + timedelta(days=9, hours=18),
            "hours": 3,
            "currency": "EUR",
            "refund_until_hours": 24,
            "tiers": [("Standing", 2500, 80), ("Table seat", 4000, 8)],
        },
        {
            "slug": "city-marathon",
            "title": "City Marathon",
            "summary": "42.195 km through the historic centre. Medal and timing chip included.",
            "description_md": "Start and finish at the Town Hall square.",
            "category": "sports",
            "tags": ["running"],
            "venue_name": "Town Hall Square",
            "address": "Rådhuspladsen",
            "city": "Copenhagen",
            "country": "DK",
            "timezone": "Europe/Copenhagen",
            "starts_at": day + timedelta(days=45, hours=7),
            "hours": 7,
            "currency": "EUR",
            "refund_until_hours": None,
            "tiers": [("Marathon", 6500, 3000), ("Half marathon", 4500, 2000)],
        },
    ]


async def seed_demo(session: AsyncSession) -> dict[str, int]:
    """Create what is missing; never duplicates and never overwrites what a person changed."""
    created_users = 0
    users: dict[str, User] = {}
    for email, password, name, role in DEMO_USERS:
        user = await session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                full_name=name,
                password_hash=hash_password(password),
                role=role,
                email_verified_at=datetime.now(UTC),
            )
            session.add(user)
            created_users += 1
        users[email] = user
    await session.flush()

    created_events = 0
    organizer = users["organizer@demo.com"]
    for spec in _demo_events(datetime.now(UTC)):
        if await session.scalar(select(Event.id).where(Event.slug == spec["slug"])):
            continue
        event = Event(
            organizer_id=organizer.id,
            slug=spec["slug"],
            title=spec["title"],
            summary=spec["summary"],
            description_md=spec["description_md"],
            category=spec["category"],
            tags=spec["tags"],
            venue_name=spec["venue_name"],
            address=spec["address"],
            city=spec["city"],
            country=spec["country"],
            timezone=spec["timezone"],
            starts_at=spec["starts_at"],
            ends_at=spec["starts_at"] + timedelta(hours=spec["hours"]),
            currency=spec["currency"],
            refund_until_hours=spec["refund_until_hours"],
            status=EventStatus.PUBLISHED,
        )
        event.ticket_types = [
            TicketType(name=name, price_minor=price, currency=spec["currency"], capacity=capacity, sort_order=index)
            for index, (name, price, capacity) in enumerate(spec["tiers"])
        ]
        session.add(event)
        created_events += 1
    await session.flush()
    log.info("demo_seeded", users=created_users, events=created_events)
    return {"users": created_users, "events": created_events}
