"""events catalogue: publication and cancellation fields, sales-window and coordinate checks, and the
SQL twin of the dynamic-pricing function (listings filter and sort by the current price).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Mirrors boxoffice.events.pricing.quote_price exactly (tests/events/test_pricing.py proves it).
# STABLE, not IMMUTABLE: it casts text to timestamptz.
TICKET_PRICE_FUNCTION = """
CREATE OR REPLACE FUNCTION boxoffice_ticket_price(
    base bigint, rules jsonb, sold integer, capacity integer, at timestamptz
) RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    price bigint := base;
    rule jsonb;
    step jsonb;
    rule_until timestamptz;
    early_until timestamptz;
    early_price bigint;
    floor_minor bigint;
    ceiling_minor bigint;
BEGIN
    FOR rule IN SELECT value FROM jsonb_array_elements(coalesce(rules, '[]'::jsonb)) LOOP
        IF rule->>'kind' = 'demand' THEN
            FOR step IN SELECT value FROM jsonb_array_elements(rule->'steps') LOOP
                IF (step->>'sold_share')::numeric * capacity <= sold THEN
                    price := greatest(price, (step->>'price_minor')::bigint);
                END IF;
            END LOOP;
        ELSIF rule->>'kind' = 'time' THEN
            rule_until := (rule->>'until')::timestamptz;
            IF at < rule_until AND (early_until IS NULL OR rule_until < early_until) THEN
                early_until := rule_until;
                IF rule->>'price_minor' IS NOT NULL THEN
                    early_price := (rule->>'price_minor')::bigint;
                ELSE
                    early_price := (base * (100 - (rule->>'percent_off')::bigint) + 50) / 100;
                END IF;
            END IF;
        ELSIF rule->>'kind' = 'bounds' THEN
            floor_minor := (rule->>'floor_minor')::bigint;
            ceiling_minor := (rule->>'ceiling_minor')::bigint;
        END IF;
    END LOOP;
    IF early_price IS NOT NULL THEN
        price := early_price;
    END IF;
    IF floor_minor IS NOT NULL THEN
        price := greatest(price, floor_minor);
    END IF;
    IF ceiling_minor IS NOT NULL THEN
        price := least(price, ceiling_minor);
    END IF;
    RETURN greatest(price, 0);
END
$$;
"""


def upgrade() -> None:
    op.add_column("events", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("events", sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("events", sa.Column("cancelled_reason", sa.String(length=500), nullable=True))
    op.create_check_constraint(
        op.f("ck_events_coordinates_paired"), "events", "(latitude IS NULL) = (longitude IS NULL)"
    )
    op.create_check_constraint(
        op.f("ck_ticket_types_sales_window_ordered"),
        "ticket_types",
        "sales_start IS NULL OR sales_end IS NULL OR sales_end > sales_start",
    )
    op.execute(TICKET_PRICE_FUNCTION)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS boxoffice_ticket_price(bigint, jsonb, integer, integer, timestamptz)")
    op.drop_constraint(op.f("ck_ticket_types_sales_window_ordered"), "ticket_types", type_="check")
    op.drop_constraint(op.f("ck_events_coordinates_paired"), "events", type_="check")
    op.drop_column("events", "cancelled_reason")
    op.drop_column("events", "cancelled_at")
    op.drop_column("events", "published_at")
