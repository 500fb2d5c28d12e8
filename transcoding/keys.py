"""Content keys: one per film, made on first need, sealed at rest with the master key (Fernet: AES-128-CBC +
HMAC-SHA256) derived from TRANSCODING_KEY_MASTER. Playback reads them through `selectors.film_key`."""

import base64
import hashlib
import secrets
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

from transcoding.models import FilmKey


@dataclass(frozen=True)
class ContentKey:
    film_id: int
    kid: bytes
    key: bytes

    @property
    def kid_hex(self) -> str:
        return self.kid.hex()

    @property
    def key_hex(self) -> str:
        return self.key.hex()


def _fernet() -> MultiFernet:
    """The current master key seals; older ones (TRANSCODING_KEY_MASTER_OLD) still open, for rotation."""
    if not settings.TRANSCODING_KEY_MASTER:
        raise ImproperlyConfigured("TRANSCODING_KEY_MASTER is not set: film keys cannot be sealed or opened")
    masters = [settings.TRANSCODING_KEY_MASTER, *settings.TRANSCODING_KEY_MASTER_OLD]
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(hashlib.sha256(master.encode()).digest())) for master in masters]
    )


def seal(key: bytes) -> str:
    return _fernet().encrypt(key).decode()


def unseal(token: str) -> bytes:
    try:
        return _fernet().decrypt(token.encode())
    except InvalidToken:
        raise RuntimeError("A film key cannot be opened with TRANSCODING_KEY_MASTER (wrong or rotated away)") from None


def _load(row: FilmKey) -> ContentKey:
    return ContentKey(film_id=row.film_id, kid=bytes.fromhex(row.kid), key=unseal(row.key_sealed))


def film_key_ensure(*, film_id: int) -> ContentKey:
    """The film's key, made (random 16-byte key and key id) the first time. Safe under concurrent calls."""
    row = FilmKey.objects.filter(film_id=film_id).first()
    if row is None:
        try:
            with transaction.atomic():
                row = FilmKey.objects.create(
                    film_id=film_id, kid=secrets.token_bytes(16).hex(), key_sealed=seal(secrets.token_bytes(16))
                )
        except IntegrityError:
            row = FilmKey.objects.get(film_id=film_id)
    return _load(row)


def film_key_get(*, film_id: int) -> ContentKey | None:
    row = FilmKey.objects.filter(film_id=film_id).first()
    return _load(row) if row else None


def film_keys_all() -> list[ContentKey]:
    return [_load(row) for row in FilmKey.objects.order_by("film_id")]
