"""What each seat cost (bookings/seat_prices.py): refunding every ticket one by one pays back the
booking's total exactly, never a cent more or less, and no seat is worth more than its price."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boxoffice.bookings.seat_prices import PricedLine, seat_amounts

lines_strategy = st.lists(
    st.builds(
        PricedLine,
        key=st.uuids(),
        quantity=st.integers(1, 50),
        unit_price_minor=st.integers(0, 1_000_000),
        discounted=st.booleans(),
    ),
    min_size=1,
    max_size=20,
)


@st.composite
def bookings(draw: st.DrawFn) -> tuple[list[PricedLine], int]:
    lines = draw(lines_strategy)
    subtotal = sum(line.unit_price_minor * line.quantity for line in lines)
    total = draw(st.integers(0, subtotal))
    return lines, total


@given(bookings())
def test_seats_add_up_to_the_total_and_stay_within_their_price(booking: tuple[list[PricedLine], int]) -> None:
    lines, total = booking
    amounts = seat_amounts(lines, total)
    assert [len(seats) for seats in amounts] == [line.quantity for line in lines]
    assert sum(sum(seats) for seats in amounts) == total
    for line, seats in zip(lines, amounts, strict=True):
        assert all(0 <= amount <= line.unit_price_minor for amount in seats)


@given(bookings())
def test_the_coupon_only_touches_the_lines_it_applied_to(booking: tuple[list[PricedLine], int]) -> None:
    lines, total = booking
    discount = sum(line.unit_price_minor * line.quantity for line in lines) - total
    eligible = sum(line.unit_price_minor * line.quantity for line in lines if line.discounted)
    amounts = seat_amounts(lines, total)
    if eligible >= discount:
        for line, seats in zip(lines, amounts, strict=True):
            if not line.discounted:
                assert seats == [line.unit_price_minor] * line.quantity


@given(bookings())
def test_same_answer_every_time(booking: tuple[list[PricedLine], int]) -> None:
    lines, total = booking
    assert seat_amounts(lines, total) == seat_amounts(list(lines), total)


def test_rounding_goes_to_the_last_seat() -> None:
    # 3 x 33.33 with 10.00 off: 89.99 paid, the odd cent stays with the last ticket.
    assert seat_amounts([PricedLine("a", 3, 3333)], 8999) == [[3000, 3000, 2999]]
    # 3 x 0.01 with 0.02 off: shares of 2/3 cent each can never make a seat negative.
    assert seat_amounts([PricedLine("a", 3, 1)], 1) == [[1, 0, 0]]


def test_a_coupon_on_one_ticket_type_discounts_only_that_type() -> None:
    lines = [PricedLine("vip", 2, 2000, discounted=True), PricedLine("standard", 1, 1000, discounted=False)]
    assert seat_amounts(lines, 3000) == [[1000, 1000], [1000]]


def test_a_discount_larger_than_the_coupons_lines_is_spread_over_every_seat() -> None:
    # The coupon's ticket types changed after the purchase: still adds up.
    lines = [PricedLine("a", 1, 1000, discounted=False), PricedLine("b", 1, 100, discounted=True)]
    assert seat_amounts(lines, 550) == [[500], [50]]


def test_a_total_above_the_prices_is_refused() -> None:
    with pytest.raises(ValueError):
        seat_amounts([PricedLine("a", 1, 100)], 101)
