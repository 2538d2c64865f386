"""Unguessable slugs and edit tokens; tokens are stored only as hashes."""

import hashlib
import hmac
import secrets

# Lowercase letters and digits without look-alikes (0/o, 1/l/i), so links read well aloud.
SLUG_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SLUG_LENGTH = 12


def new_slug() -> str:
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_LENGTH))


def new_edit_token() -> str:
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    # The token carries 192 random bits, so a plain SHA-256 is enough: no dictionary to attack.
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, token_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), token_hash)


# Capitals and digits without look-alikes (0/O, 1/I/L, 5/S, 2/Z, 8/B), easy to read aloud to a class.
JOIN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalized_join_code(typed: str) -> str:
    """What a student typed, as a code: case and spaces or dashes do not matter."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())
