"""HTTP layer of coupons: /api/coupons."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from boxoffice.auth.dependencies import CurrentUser, OrganizerUser
from boxoffice.coupons import service
from boxoffice.coupons.schemas import CODE_PATTERN, CouponCreate, CouponPublic, CouponRead, CouponUpdate
from boxoffice.deps import SessionDep
from boxoffice.errors import error_responses

router = APIRouter(prefix="/coupons", tags=["coupons"])


@router.post(
    "",
    operation_id="coupons-create",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def create(body: CouponCreate, principal: OrganizerUser, session: SessionDep) -> CouponRead:
    """Create a coupon for one of your events, or for all of them (organizer or admin)."""
    return CouponRead.model_validate(await service.create(session, principal, body))


@router.get("", operation_id="coupons-list", responses=error_responses(401, 403))
async def list_coupons(
    principal: OrganizerUser, session: SessionDep, event_id: Annotated[uuid.UUID | None, Query()] = None
) -> list[CouponRead]:
    """Your coupons (all coupons for admins), newest first."""
    return [CouponRead.model_validate(c) for c in await service.list_mine(session, principal, event_id)]


@router.patch("/{coupon_id}", operation_id="coupons-update", responses=error_responses(401, 403, 404, 409, 422))
async def update(coupon_id: uuid.UUID, body: CouponUpdate, principal: OrganizerUser, session: SessionDep) -> CouponRead:
    """Edit or deactivate (``active: false``) one of your coupons."""
    return CouponRead.model_validate(await service.update(session, principal, coupon_id, body))


@router.get("/{code}", operation_id="coupons-get", responses=error_responses(401, 404, 422))
async def get_by_code(
    code: Annotated[str, Path(pattern=CODE_PATTERN)], _: CurrentUser, session: SessionDep
) -> CouponPublic:
    """What a code gives, for a buyer about to use it (signed-in users; no usage counts revealed)."""
    return await service.public_view(session, code)
