"""CSRF tokens from one read of the system's random source instead of one read per character.

Every new visitor of a public page gets a CSRF secret (32 characters) and a masked token (32 more).
Django draws each character with `secrets.choice`, one `os.urandom` call apiece: 64 system calls,
~135 µs of a kept public page's ~0.5 ms. `random_string` draws the same strings (each character
uniform over the alphabet, independent, from the same source) from one read: each random byte
below the largest multiple of the alphabet's size is kept and mapped to `alphabet[byte % size]`,
the others are dropped (so no character is likelier than another), in C (`bytes.translate`).
`AccountsConfig.ready` puts it in the one place Django's CSRF code takes its random strings from.
"""

from __future__ import annotations

import functools
import secrets

from django.utils.crypto import RANDOM_STRING_CHARS, get_random_string


@functools.cache
def _table(alphabet: str) -> tuple[bytes, bytes]:
    """The byte → character table for `alphabet`, and the bytes to drop (those at or above the
    largest multiple of its size that fits in a byte)."""
    size = len(alphabet)
    keep = 256 - 256 % size
    table = bytes(ord(alphabet[byte % size]) if byte < keep else 0 for byte in range(256))
    return table, bytes(range(keep, 256))


def random_string(length: int, allowed_chars: str = RANDOM_STRING_CHARS) -> str:
    """`django.utils.crypto.get_random_string(length, allowed_chars)`, from one read of the system's
    random source (Django's for an alphabet that is not ASCII, or longer than 256 characters)."""
    if not allowed_chars or len(allowed_chars) > 256 or not allowed_chars.isascii():
        return get_random_string(length, allowed_chars)
    table, drop = _table(allowed_chars)
    drawn = b""
    while len(drawn) < length:  # 8 bytes in 256 dropped at worst (62 characters): rarely a second read
        drawn += secrets.token_bytes(length + length // 4 + 8).translate(table, drop)
    return drawn[:length].decode("ascii")


def install() -> None:
    """Django's CSRF middleware and `get_token` draw secrets and masks with `random_string`."""
    from django.middleware import csrf

    csrf.get_random_string = random_string  # type: ignore[attr-defined]
