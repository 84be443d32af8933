"""The booking state machine: every allowed transition, in one table. Anything else is a 409."""

from __future__ import annotations

from boxoffice.errors import Conflict
from boxoffice.models import BookingStatus

S = BookingStatus

ALLOWED: dict[tuple[BookingStatus, str], BookingStatus] = {
    (S.PENDING_PAYMENT, "confirm"): S.CONFIRMED,
    (S.PENDING_PAYMENT, "cancel"): S.CANCELLED,
    (S.PENDING_PAYMENT, "expire"): S.EXPIRED,
    # A payment that arrives after the hold expired confirms only if the seats can be taken again
    # (payments issue); otherwise it is refunded and the booking stays expired.
    (S.EXPIRED, "confirm"): S.CONFIRMED,
    (S.CONFIRMED, "cancel"): S.CANCELLED,
    # Refunding some of its tickets (payments issue): the booking stays confirmed; refunding the
    # last valid ticket cancels it like "cancel" above.
    (S.CONFIRMED, "refund"): S.CONFIRMED,
}


class InvalidTransition(Conflict):
    code, title = "invalid_transition", "This booking cannot change that way"


def next_status(current: BookingStatus, action: str) -> BookingStatus:
    target = ALLOWED.get((current, action))
    if target is None:
        raise InvalidTransition(f"A {current.value.replace('_', ' ')} booking cannot be {action}ed.")
    return target
