"""Private link tokens: long, unguessable, revocable, and never stored.

A request's status token is an HMAC (SHA-256, keyed by SECRET_KEY) of a random 128-bit salt
kept on the request: 43 URL-safe characters, 256 bits. The database holds the salt and the
token's SHA-256 (for lookup), not the token, so a leaked database or backup does not leak
working links, while every later email can still carry the requester's link. A new salt
revokes the old link.
"""

import base64
import hashlib
import re
import secrets

from django.utils.crypto import salted_hmac

TOKEN_PATTERN = r"[A-Za-z0-9_-]{43}"  # noqa: S105 (a pattern, not a secret)
_TOKEN_RE = re.compile(rf"^{TOKEN_PATTERN}$")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def token_is_well_formed(token: str) -> bool:
    return bool(_TOKEN_RE.match(token))


def token_for(*, purpose: str, salt: str) -> str:
    """The token for ``purpose`` ("request-status", "presenter-feed", ...) and a stored salt."""
    digest = salted_hmac(f"common.links.{purpose}", salt, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def token_new(*, purpose: str) -> tuple[str, str, str]:
    """A fresh (salt, token, hash of the token)."""
    salt = secrets.token_hex(16)
    token = token_for(purpose=purpose, salt=salt)
    return salt, token, token_hash(token)
