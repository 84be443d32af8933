"""Password hashing (Argon2id via pwdlib) and the password policy."""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from boxoffice.config import get_settings
from boxoffice.errors import FieldError

MIN_LENGTH = 8
MAX_LENGTH = 128  # Argon2 has no 72-byte limit, but unbounded input is a DoS vector.


@lru_cache
def _hasher(time_cost: int, memory_cost: int) -> PasswordHash:
    return PasswordHash((Argon2Hasher(time_cost=time_cost, memory_cost=memory_cost),))


def password_hasher() -> PasswordHash:
    settings = get_settings()
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_cost)


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if not password_hash:
        # Spend the same time as a real check so timing does not reveal which accounts exist.
        password_hasher().hash(password)
        return False
    try:
        return password_hasher().verify(password, password_hash)
    except Exception:
        return False


# A small deny-list of passwords that satisfy the character rules but are guessed first.
_COMMON = frozenset({"password1!", "Password1!", "Passw0rd!", "Welcome1!", "Qwerty123!", "Admin123!!"})


def password_problems(password: str, *, email: str | None = None, field: str = "password") -> list[FieldError]:
    """Every rule the password breaks, each as a message a person can act on."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters long")
    if len(password) > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters long")
    if not any(c.islower() for c in password):
        problems.append("must contain a lower-case letter")
    if not any(c.isupper() for c in password):
        problems.append("must contain an upper-case letter")
    if not any(c.isdigit() for c in password):
        problems.append("must contain a digit")
    if password in _COMMON:
        problems.append("is too common; choose another")
    if email and email.split("@")[0].lower() in password.lower() and len(email.split("@")[0]) >= 4:
        problems.append("must not contain your email address")
    return [FieldError(field=field, message=f"Password {p}.") for p in problems]
