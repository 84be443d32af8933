"""All SQLAlchemy models, imported here so Alembic and the metadata see every table."""

from boxoffice.models.booking import Booking, BookingItem, BookingStatus, Coupon, CouponKind, CouponRedemption
from boxoffice.models.event import Event, EventStatus, EventVisibility, TicketType
from boxoffice.models.mail import MailMessage, MailStatus
from boxoffice.models.payment import Payment, PaymentStatus, ProviderEvent, Refund, RefundStatus
from boxoffice.models.ticket import EventStaff, Ticket, TicketStatus
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
    "Booking",
    "BookingItem",
    "BookingStatus",
    "Coupon",
    "CouponKind",
    "CouponRedemption",
    "EmailToken",
    "EmailTokenPurpose",
    "Event",
    "EventStaff",
    "EventStatus",
    "EventVisibility",
    "MailMessage",
    "MailStatus",
    "OAuthAccount",
    "Payment",
    "PaymentStatus",
    "ProviderEvent",
    "RefreshToken",
    "Refund",
    "RefundStatus",
    "Role",
    "Ticket",
    "TicketStatus",
    "TicketType",
    "User",
]
