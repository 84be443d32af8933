"""boxoffice_place_bookings(): several bookings placed in one statement and one commit

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 19:00:00+00:00

Why: in a hot drop every booking's placement is its own transaction queueing on the same ticket
type row, and each commit waits for its own WAL flush. The API process now sends the placements
that arrive while its previous ones are in flight together (bookings/placement.py): one round trip,
one lock hand-over and one commit for the lot. Each booking is still all-or-nothing on its own:
it runs the single-booking function inside its own subtransaction, so a refusal (sold out, coupon
used up) undoes that booking's writes only and the others go on.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = """
CREATE OR REPLACE FUNCTION boxoffice_place_bookings(p_batch jsonb) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    b jsonb;
    outcomes text[] := ARRAY[]::text[];
BEGIN
    -- Lock what the batch changes up front, coupons then ticket types, each in id order (the order
    -- the single-booking function takes them in): batches never wait on each other crosswise.
    PERFORM 1 FROM coupons
    WHERE id IN (SELECT (x->>'coupon_id')::uuid FROM jsonb_array_elements(p_batch) AS x
                 WHERE x->>'coupon_id' IS NOT NULL)
    ORDER BY id FOR UPDATE;
    PERFORM 1 FROM ticket_types
    WHERE id IN (SELECT (l->>'ticket_type_id')::uuid
                 FROM jsonb_array_elements(p_batch) AS x, jsonb_array_elements(x->'items') AS l)
    ORDER BY id FOR UPDATE;

    FOR b IN SELECT x FROM jsonb_array_elements(p_batch) AS x LOOP
        BEGIN
            outcomes := outcomes || boxoffice_place_booking(
                (b->>'booking_id')::uuid, (b->>'user_id')::uuid, (b->>'event_id')::uuid, b->>'currency',
                (b->>'subtotal')::integer, (b->>'discount')::integer, (b->>'total')::integer,
                (b->>'coupon_id')::uuid, (b->>'per_user_limit')::integer,
                b->>'idempotency_key', b->>'fingerprint',
                (b->>'hold_expires_at')::timestamptz, (b->>'created_at')::timestamptz,
                b->'items'
            );
        EXCEPTION WHEN raise_exception THEN
            -- This booking's refusal ('boxoffice:<reason>'): its subtransaction is rolled back.
            outcomes := outcomes || SQLERRM;
        END;
    END LOOP;
    RETURN outcomes;
END;
$$;
"""


def upgrade() -> None:
    op.execute(FUNCTION)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS boxoffice_place_bookings(jsonb)")
