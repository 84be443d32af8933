"""Dynamic pricing: the rule format and the one function that turns rules into a price.

A ticket type has a base price and an ordered list of rules (stored as JSONB on the row):

- ``time``   early bird: until ``until`` (exclusive) the price is ``price_minor``, or the base price
             minus ``percent_off`` percent (rounded half up to the minor unit). When several are
             active, the one ending soonest wins (e.g. "super early bird" before "early bird").
- ``demand`` price steps as a share sells: once ``sold >= sold_share * capacity`` the price is at
             least that step's ``price_minor``. Prices only ever go up with demand.
- ``bounds`` floor and/or ceiling applied last.

Evaluation: ``demand`` raises the base price; an active ``time`` rule replaces that price while it
lasts; ``bounds`` clamp the result; a price is never negative.

The same evaluation exists in SQL (``boxoffice_ticket_price`` in migration 0002) so that listings
can filter and sort by the current price; tests/events/test_pricing.py proves that both agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

MAX_PRICE_MINOR = 100_000_000
MAX_RULES = 20
MAX_DEMAND_STEPS = 20


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TimeRule(_Rule):
    """Early bird: a different price strictly before ``until``."""

    kind: Literal["time"] = "time"
    until: datetime = Field(
        description="End of the offer (exclusive). Without a UTC offset it is a wall-clock time in the "
        "event's timezone; stored in UTC."
    )
    price_minor: int | None = Field(default=None, ge=0, le=MAX_PRICE_MINOR)
    percent_off: int | None = Field(default=None, ge=1, le=100, description="Whole percent off the base price")

    @model_validator(mode="after")
    def _exactly_one_price(self) -> Self:
        if (self.price_minor is None) == (self.percent_off is None):
            raise ValueError("give exactly one of price_minor or percent_off")
        return self


class DemandStep(_Rule):
    sold_share: float = Field(gt=0, le=1, description="Share of the capacity sold (0 < share <= 1)")
    price_minor: int = Field(ge=0, le=MAX_PRICE_MINOR)

    @field_validator("sold_share")
    @classmethod
    def _four_decimals(cls, value: float) -> float:
        return round(value, 4)


class DemandRule(_Rule):
    """Price steps as the ticket type sells."""

    kind: Literal["demand"] = "demand"
    steps: list[DemandStep] = Field(min_length=1, max_length=MAX_DEMAND_STEPS)

    @model_validator(mode="after")
    def _increasing(self) -> Self:
        for previous, step in zip(self.steps, self.steps[1:], strict=False):
            if step.sold_share <= previous.sold_share:
                raise ValueError("steps must be ordered by strictly increasing sold_share")
            if step.price_minor < previous.price_minor:
                raise ValueError("a later step may not be cheaper than an earlier one")
        return self


class BoundsRule(_Rule):
    """A price floor and/or ceiling."""

    kind: Literal["bounds"] = "bounds"
    floor_minor: int | None = Field(default=None, ge=0, le=MAX_PRICE_MINOR)
    ceiling_minor: int | None = Field(default=None, ge=0, le=MAX_PRICE_MINOR)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.floor_minor is None and self.ceiling_minor is None:
            raise ValueError("give floor_minor, ceiling_minor or both")
        if self.floor_minor is not None and self.ceiling_minor is not None and self.floor_minor > self.ceiling_minor:
            raise ValueError("floor_minor must not exceed ceiling_minor")
        return self


PricingRule = Annotated[TimeRule | DemandRule | BoundsRule, Field(discriminator="kind")]
_rules_adapter: TypeAdapter[list[PricingRule]] = TypeAdapter(list[PricingRule])


def check_rule_set(rules: Sequence[TimeRule | DemandRule | BoundsRule]) -> list[tuple[str, str]]:
    """Rules that are fine one by one but not together: ``(field, message)`` pairs."""
    problems: list[tuple[str, str]] = []
    if len(rules) > MAX_RULES:
        problems.append(("pricing_rules", f"at most {MAX_RULES} rules"))
    for kind in ("demand", "bounds"):
        indexes = [i for i, r in enumerate(rules) if r.kind == kind]
        if len(indexes) > 1:
            problems.append((f"pricing_rules.{indexes[1]}", f"only one {kind} rule is allowed"))
    seen: dict[datetime, int] = {}
    for index, rule in enumerate(rules):
        if isinstance(rule, TimeRule):
            if rule.until in seen:
                problems.append((f"pricing_rules.{index}.until", "two early-bird rules end at the same time"))
            seen[rule.until] = index
    return problems


def parse_rules(raw: Sequence[dict[str, Any]]) -> list[TimeRule | DemandRule | BoundsRule]:
    """Rules as stored (already validated on write)."""
    return list(_rules_adapter.validate_python(list(raw)))


def dump_rules(rules: Sequence[TimeRule | DemandRule | BoundsRule]) -> list[dict[str, Any]]:
    return [rule.model_dump(mode="json", exclude_none=True) for rule in rules]


def _reached(step: DemandStep, *, sold: int, capacity: int) -> bool:
    # Exact decimal arithmetic: 0.3 * 10 is 3.0000000000000004 in floats, and 3 sold must reach 30 %.
    return Decimal(repr(step.sold_share)) * capacity <= sold


def percent_off(base_price_minor: int, percent: int) -> int:
    """``base`` minus ``percent`` %, rounded half up to the minor unit."""
    return (base_price_minor * (100 - percent) + 50) // 100


def quote_price(
    base_price_minor: int,
    rules: Sequence[TimeRule | DemandRule | BoundsRule],
    *,
    now: datetime,
    sold: int,
    capacity: int,
) -> int:
    """The price of one ticket at ``now`` given ``sold`` of ``capacity`` are sold."""
    price = base_price_minor
    early_until: datetime | None = None
    early_price: int | None = None
    floor_minor: int | None = None
    ceiling_minor: int | None = None
    for rule in rules:
        if isinstance(rule, DemandRule):
            for step in rule.steps:
                if _reached(step, sold=sold, capacity=capacity):
                    price = max(price, step.price_minor)
        elif isinstance(rule, TimeRule):
            if now < rule.until and (early_until is None or rule.until < early_until):
                early_until = rule.until
                early_price = (
                    rule.price_minor
                    if rule.price_minor is not None
                    else percent_off(base_price_minor, rule.percent_off or 0)
                )
        else:
            floor_minor, ceiling_minor = rule.floor_minor, rule.ceiling_minor
    if early_price is not None:
        price = early_price
    if floor_minor is not None:
        price = max(price, floor_minor)
    if ceiling_minor is not None:
        price = min(price, ceiling_minor)
    return max(price, 0)


def price_valid_until(rules: Sequence[TimeRule | DemandRule | BoundsRule], *, now: datetime) -> datetime | None:
    """When the current early-bird offer ends (the next scheduled price change), if any."""
    active = [r.until for r in rules if isinstance(r, TimeRule) and now < r.until]
    return min(active) if active else None
