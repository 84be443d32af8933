"""boxoffice_place_booking(): the hot booking write as one atomic statement

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 13:20:00+00:00

Why a function: the inventory row lock of a hot ticket type is held from the conditional UPDATE
until the commit. Issued from the application, that window includes network round trips and the
time the API process spends on other requests before it sends COMMIT. Called in autocommit mode,
this function takes the lock and commits inside the server: the window shrinks to microseconds.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = """
CREATE OR REPLACE FUNCTION boxoffice_place_booking(
    p_booking_id uuid, p_user_id uuid, p_event_id uuid, p_currency text,
    p_subtotal integer, p_discount integer, p_total integer,
    p_coupon_id uuid, p_per_user_limit integer,
    p_idempotency_key text, p_fingerprint text,
    p_hold_expires_at timestamptz, p_created_at timestamptz,
    p_items jsonb
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    line jsonb;
    inserted uuid;
BEGIN
    INSERT INTO bookings (id, user_id, event_id, status, currency, subtotal_minor, discount_minor, total_minor,
                          refunded_minor, coupon_id, idempotency_key, request_fingerprint, hold_expires_at, created_at)
    VALUES (p_booking_id, p_user_id, p_event_id, 'pending_payment', p_currency, p_subtotal, p_discount, p_total,
            0, p_coupon_id, p_idempotency_key, p_fingerprint, p_hold_expires_at, p_created_at)
    ON CONFLICT (user_id, idempotency_key) DO NOTHING
    RETURNING id INTO inserted;
    IF inserted IS NULL THEN
        RETURN 'duplicate';
    END IF;

    INSERT INTO booking_items (id, booking_id, ticket_type_id, position, quantity, unit_price_minor, attendees)
    SELECT (e->>'id')::uuid, p_booking_id, (e->>'ticket_type_id')::uuid, (e->>'position')::integer,
           (e->>'quantity')::integer, (e->>'unit_price_minor')::integer, e->'attendees'
    FROM jsonb_array_elements(p_items) AS e;

    IF p_coupon_id IS NOT NULL THEN
        IF p_per_user_limit IS NOT NULL AND (
            SELECT count(*) FROM coupon_redemptions
            WHERE coupon_id = p_coupon_id AND user_id = p_user_id AND released_at IS NULL
        ) >= p_per_user_limit THEN
            RAISE EXCEPTION 'boxoffice:coupon_user_limit';
        END IF;
        UPDATE coupons SET used_count = used_count + 1
        WHERE id = p_coupon_id AND active AND (usage_limit IS NULL OR used_count < usage_limit);
        IF NOT FOUND THEN
            RAISE EXCEPTION 'boxoffice:coupon_exhausted';
        END IF;
        INSERT INTO coupon_redemptions (id, coupon_id, booking_id, user_id, created_at)
        VALUES (gen_random_uuid(), p_coupon_id, p_booking_id, p_user_id, now());
    END IF;

    -- Seats last, in ticket-type id order (no deadlocks with other multi-type bookings).
    FOR line IN SELECT e FROM jsonb_array_elements(p_items) AS e ORDER BY (e->>'ticket_type_id')::uuid LOOP
        UPDATE ticket_types SET held = held + (line->>'quantity')::integer
        WHERE id = (line->>'ticket_type_id')::uuid AND event_id = p_event_id
          AND capacity - sold - held >= (line->>'quantity')::integer
          AND (sales_start IS NULL OR sales_start <= now())
          AND (sales_end IS NULL OR sales_end > now());
        IF NOT FOUND THEN
            RAISE EXCEPTION 'boxoffice:hold_failed:%', line->>'ticket_type_id';
        END IF;
    END LOOP;
    RETURN 'ok';
END;
$$;
"""


def upgrade() -> None:
    op.execute(FUNCTION)


def downgrade() -> None:
    op.execute(
        "DROP FUNCTION IF EXISTS boxoffice_place_booking(uuid, uuid, uuid, text, integer, integer, integer, uuid, "
        "integer, text, text, timestamptz, timestamptz, jsonb)"
    )
