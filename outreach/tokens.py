"""Private link tokens: long, random, and stored only as a hash.

A token is 32 random bytes (256 bits) in URL-safe base64, 43 characters. The database keeps
its SHA-256, so a leaked database or backup does not leak working links, and a lookup by
hash compares no secret byte by byte.
"""

import hashlib
import re
import secrets

TOKEN_BYTES = 32
TOKEN_PATTERN = r"[A-Za-z0-9_-]{43}"  # noqa: S105 (a pattern, not a secret)
_TOKEN_RE = re.compile(rf"^{TOKEN_PATTERN}$")


def token_new() -> tuple[str, str]:
    """Return a fresh token and the hash to store for it."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def token_is_well_formed(token: str) -> bool:
    return bool(_TOKEN_RE.match(token))
