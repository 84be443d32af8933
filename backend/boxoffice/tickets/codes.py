"""Signed ticket codes: unguessable, and verifiable offline with a public key.

    BX1.<payload>.<signature>      (base64url, no padding)
    payload   = version (1 byte) | key id (1 byte) | ticket id (16 bytes) | event id (16 bytes)
    signature = Ed25519(payload)

Ed25519 keys are derived from BOXOFFICE_TICKET_SIGNING_SECRET and the key id (HKDF), so rotating
means raising BOXOFFICE_TICKET_KEY_ID: new tickets use the new key, codes signed with an older key
id listed in BOXOFFICE_TICKET_ACCEPTED_KEY_IDS still verify. Scanners can verify without the
secret using the public keys from GET /api/tickets/keys.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PREFIX = "BX1"
VERSION = 1


class BadCode(Exception):
    """Not a ticket code we issued (malformed, unknown key, or forged)."""


@dataclass(frozen=True)
class DecodedCode:
    ticket_id: uuid.UUID
    event_id: uuid.UUID
    key_id: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache(maxsize=32)
def private_key(secret: str, key_id: int) -> Ed25519PrivateKey:
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"boxoffice-ticket-keys", info=bytes([key_id])).derive(
        secret.encode()
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_b64(secret: str, key_id: int) -> str:
    raw = private_key(secret, key_id).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return _b64(raw)


def sign(ticket_id: uuid.UUID, event_id: uuid.UUID, *, secret: str, key_id: int) -> str:
    payload = bytes([VERSION, key_id]) + ticket_id.bytes + event_id.bytes
    signature = private_key(secret, key_id).sign(payload)
    return f"{PREFIX}.{_b64(payload)}.{_b64(signature)}"


def verify(code: str, *, secret: str, accepted_key_ids: set[int]) -> DecodedCode:
    try:
        prefix, payload_text, signature_text = code.strip().split(".")
        payload, signature = _unb64(payload_text), _unb64(signature_text)
    except ValueError as exc:
        raise BadCode("malformed") from exc
    if prefix != PREFIX or len(payload) != 34 or payload[0] != VERSION:
        raise BadCode("malformed")
    key_id = payload[1]
    if key_id not in accepted_key_ids:
        raise BadCode("unknown key")
    public: Ed25519PublicKey = private_key(secret, key_id).public_key()
    try:
        public.verify(signature, payload)
    except InvalidSignature as exc:
        raise BadCode("forged") from exc
    return DecodedCode(
        ticket_id=uuid.UUID(bytes=payload[2:18]), event_id=uuid.UUID(bytes=payload[18:34]), key_id=key_id
    )
