"""Channel tokens and secrets at rest: encrypted with Fernet (the ``cryptography`` library).

A well-kept library rather than our own cipher: Fernet is authenticated encryption (AES-CBC
plus HMAC) with a versioned token format. Its key is derived with HKDF from
``CHANNEL_SECRETS_KEY``, or from ``SECRET_KEY`` when that is unset.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SecretUnreadable(Exception):
    """The stored value was encrypted with another key (the key changed): type it in again."""


def _fernet() -> Fernet:
    material = (settings.CHANNEL_SECRETS_KEY or settings.SECRET_KEY).encode()
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"branchdesk channel secrets"
    ).derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "the stored secret cannot be decrypted with the current key"
        ) from None


def mask(plain: str) -> str:
    """Enough to tell two secrets apart, never enough to use one: "••••" and the last four
    characters of a long value, nothing of a short one."""
    if not plain:
        return ""
    return "••••" + (plain[-4:] if len(plain) >= 16 else "")
