"""Password-protected copies of a printed form: protocol 8.3.2's "password protected document".

The one-time password is shown once on screen and kept nowhere: not in the database, the session,
the cache, an email, a log line or a URL. Only the encrypted file is held, briefly, in Django's
cache, for one download by the same person in the same session.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject

# Upper-case letters and digits without the look-alikes 0/O, 1/I/L: easy to read out on the phone.
READABLE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS = 4
GROUP_LENGTH = 5  # 20 characters from 31: about 99 bits
GROUP_SEPARATOR = "-"

# How long the encrypted copy waits for its one download.
HOLD_SECONDS = 5 * 60
_CACHE_PREFIX = "documents:protected-pdf:"


def one_time_password() -> str:
    """A fresh random password such as `K7QMX-3TRWA-9HDPZ-UF4NE`, from the `secrets` module."""
    return GROUP_SEPARATOR.join(
        "".join(secrets.choice(READABLE_ALPHABET) for _ in range(GROUP_LENGTH))
        for _ in range(GROUPS)
    )


def encrypt_pdf(pdf_bytes: bytes, password: str) -> bytes:
    """The same document, encrypted with AES-256; opening it needs `password`.

    The copy stays a tagged PDF for screen readers (documents.engine.PDF_VARIANT): the structure
    tree, title, language and XMP metadata are cloned with the pages; every permission is granted
    (pypdf's default), including "extract for accessibility", which PDF/UA requires of an
    encrypted file; and the copy keeps the original's PDF 1.7 header, declaring Adobe's extension
    level 8 for AES-256 as Acrobat does, instead of pypdf's default 1.3 header.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)), keep_initial_header=True)
    writer.root_object[NameObject("/Extensions")] = DictionaryObject(
        {
            NameObject("/ADBE"): DictionaryObject(
                {
                    NameObject("/BaseVersion"): NameObject("/1.7"),
                    NameObject("/ExtensionLevel"): NumberObject(8),
                }
            )
        }
    )
    writer.encrypt(user_password=password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class HeldCopy:
    """An encrypted copy waiting for its download. Holds the ciphertext, never the password."""

    content: bytes
    reference: str
    user_id: int
    session_digest: str


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _cache_key(token: str) -> str:
    return _CACHE_PREFIX + _digest(token)


def protected_copy_hold(*, content: bytes, reference: str, user_id: int, session_key: str) -> str:
    """Keep an encrypted copy for one download; returns the random token that fetches it."""
    if not session_key:
        raise ValueError("A protected copy is bound to a session")
    token = secrets.token_urlsafe(32)
    held = HeldCopy(
        content=content,
        reference=reference,
        user_id=user_id,
        session_digest=_digest(session_key),
    )
    cache.set(_cache_key(token), held, timeout=HOLD_SECONDS)
    return token


def protected_copy_collect(
    *, token: str, reference: str, user_id: int, session_key: str
) -> bytes | None:
    """The held copy, once, for the person and session it was made for; otherwise None.

    A mismatch leaves the copy in place for its owner. The copy is removed before it is returned,
    and only the caller whose delete succeeds gets it, so two downloads cannot both succeed.
    """
    key = _cache_key(token)
    held = cache.get(key)
    if not isinstance(held, HeldCopy):
        return None
    if (
        held.reference != reference
        or held.user_id != user_id
        or not session_key
        or not hmac.compare_digest(held.session_digest, _digest(session_key))
    ):
        return None
    if not cache.delete(key):
        return None
    return held.content
