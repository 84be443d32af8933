"""All SQLAlchemy models, imported here so Alembic and the metadata see every table."""

from boxoffice.models.event import Event, EventStatus, EventVisibility, TicketType
from boxoffice.models.mail import MailMessage, MailStatus
from boxoffice.models.user import (
    AuthSession,
    EmailToken,
    EmailTokenPurpose,
    OAuthAccount,
    RefreshToken,
    Role,
    User,
)

__all__ = [
    "AuthSession",
    "EmailToken",
    "EmailTokenPurpose",
    "Event",
    "EventStatus",
    "EventVisibility",
    "MailMessage",
    "MailStatus",
    "OAuthAccount",
    "RefreshToken",
    "Role",
    "TicketType",
    "User",
]
