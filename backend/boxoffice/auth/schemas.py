"""Contract of the authentication API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from boxoffice.models import Role


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    email_verified: bool
    is_active: bool
    created_at: datetime


class RegisterRequest(BaseModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=256)
    full_name: str = Field(min_length=1, max_length=200)


class Accepted(BaseModel):
    """The request was taken. Deliberately identical whether or not the email is registered."""

    message: str


class LoginRequest(BaseModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=256)
    token_delivery: Literal["cookie", "body"] = Field(
        default="cookie",
        description="cookie: the refresh token is set as an httpOnly cookie (web app); "
        "body: it is returned in the response (API clients).",
    )


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    refresh_token: str | None = Field(default=None, description="Only with token_delivery=body")
    user: UserRead


class RefreshRequest(BaseModel):
    refresh_token: str | None = Field(
        default=None, max_length=200, description="API clients send it here; the web app uses the cookie."
    )


class LogoutRequest(RefreshRequest):
    pass


class VerifyEmailRequest(BaseModel):
    token: str = Field(min_length=10, max_length=200)


class ForgotPasswordRequest(BaseModel):
    email: EmailStr


class ResetPasswordRequest(BaseModel):
    token: str = Field(min_length=10, max_length=200)
    new_password: str = Field(min_length=1, max_length=256)


class ChangePasswordRequest(BaseModel):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class ProfileUpdate(BaseModel):
    full_name: str = Field(min_length=1, max_length=200)


class SessionRead(BaseModel):
    id: uuid.UUID
    device_label: str
    user_agent: str
    ip_address: str | None
    login_method: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    current: bool


class OAuthProvider(BaseModel):
    name: Literal["google", "github", "facebook"]
    label: str
    authorize_url: str
