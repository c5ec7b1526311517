"""Password hashing with argon2, in one place."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password):
    """An argon2id hash for storage."""
    return _hasher.hash(password)


def verify_password(stored_hash, password):
    """True when the password matches the stored hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
