"""Contract of the mail outbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from boxoffice.models import MailStatus


class MailRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    to_address: str
    template: str
    subject: str
    text_body: str
    html_body: str
    status: MailStatus
    created_at: datetime
    sent_at: datetime | None
