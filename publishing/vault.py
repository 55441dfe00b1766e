"""Connection credentials sealed with Fernet (AES-128-CBC + HMAC-SHA256) before they are stored.

The key comes from `PUBLISHING_KEYS` (Fernet keys, comma separated: the first seals, all open,
so a key can be rotated). Without it the key is derived from SECRET_KEY with HKDF, which keeps a
local installation working; production sets its own key so a leaked database and a leaked
signing key are two separate accidents.
"""

from __future__ import annotations

import base64
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from publishing import conf


class CredentialsUnreadable(Exception):
    """Stored credentials no key can open: the key changed without a rotation."""


def _derived_key() -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"publishing-credentials")
    return base64.urlsafe_b64encode(hkdf.derive(settings.SECRET_KEY.encode()))


def _fernet() -> MultiFernet:
    keys = conf.encryption_keys() or [_derived_key().decode()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def seal(secrets: dict[str, str]) -> str:
    return _fernet().encrypt(json.dumps(secrets, sort_keys=True).encode()).decode()


def unseal(token: str) -> dict[str, str]:
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        raise CredentialsUnreadable(
            "The stored credentials cannot be decrypted with the current PUBLISHING_KEYS. "
            "Connect the account again, or add the previous key after the new one."
        ) from None


def hint(secret: str) -> str:
    """Enough of a secret to recognise it, never enough to use it."""
    secret = secret.strip()
    if len(secret) < 12:
        return "set"
    return "…" + secret[-4:]
