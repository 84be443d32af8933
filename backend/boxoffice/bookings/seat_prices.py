"""What each seat of a booking actually cost: its unit price less its share of the coupon discount.

A partial refund pays back exactly this, so refunding every ticket one by one must add up to the
booking's total to the cent. The discount (``subtotal - total``) is spread over the seats the
coupon applied to, in proportion to their price, with cumulative rounding: seat *i* gets
``floor(D * C_i / P) - floor(D * C_(i-1) / P)`` where ``C_i`` is the running price sum and ``P``
the price of all those seats. The shares therefore sum to ``D`` exactly (the last seat takes
whatever rounding is left over), and no seat's share exceeds its price, so nobody is ever refunded
more than they paid for a seat nor less than zero. Seats are taken in line order, then seat order,
so the answer never changes between calls.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PricedLine:
    key: Hashable
    quantity: int
    unit_price_minor: int
    discounted: bool = True  # the coupon applied to this line


def seat_amounts(lines: Sequence[PricedLine], total_minor: int) -> list[list[int]]:
    """Per line, the amount paid for each of its seats; all of them sum to ``total_minor``."""
    subtotal = sum(line.unit_price_minor * line.quantity for line in lines)
    if not 0 <= total_minor <= subtotal:
        raise ValueError(f"total {total_minor} is outside 0..{subtotal}")
    discount = subtotal - total_minor
    eligible = [line.discounted for line in lines]
    eligible_price = sum(line.unit_price_minor * line.quantity for line, ok in zip(lines, eligible, strict=True) if ok)
    if eligible_price < discount:
        # The coupon's ticket types changed since the purchase: spread the discount over every seat.
        eligible = [True] * len(lines)
        eligible_price = subtotal
    amounts: list[list[int]] = []
    running = 0
    given = 0
    for line, ok in zip(lines, eligible, strict=True):
        seats = []
        for _ in range(line.quantity):
            share = 0
            if ok and eligible_price:
                running += line.unit_price_minor
                reached = discount * running // eligible_price
                share, given = reached - given, reached
            seats.append(line.unit_price_minor - share)
        amounts.append(seats)
    return amounts
