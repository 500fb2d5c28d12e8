"""Content keys: one per quality class (SD ≤ 480p, HD ≤ 1080p, UHD above, audio) per generation of a film, made on
first need, sealed at rest with the master key (Fernet: AES-128-CBC + HMAC-SHA256) derived from
TRANSCODING_KEY_MASTER. A key released for a lower class decrypts nothing above it. Playback reads them through
`selectors`; rotation (transcoding/rotation.py) makes a new generation and retires the old one."""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from transcoding.models import FilmKey, KeyClass

CLASSES = (KeyClass.SD, KeyClass.HD, KeyClass.UHD, KeyClass.AUDIO)
SD_MAX, HD_MAX = 480, 1080


def key_class_for(*, kind: str, rung: int | None) -> str:
    """The key class of a rendition: audio, or by its ladder rung (the nominal height: 720 for a portrait 720p)."""
    if kind == "audio":
        return KeyClass.AUDIO
    if (rung or 0) <= SD_MAX:
        return KeyClass.SD
    return KeyClass.HD if rung <= HD_MAX else KeyClass.UHD


@dataclass(frozen=True)
class ContentKey:
    film_id: int
    kid: bytes
    key: bytes
    key_class: str = KeyClass.FILM
    generation: int = 1
    retired_at: datetime | None = None

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
    return ContentKey(
        film_id=row.film_id,
        kid=bytes.fromhex(row.kid),
        key=unseal(row.key_sealed),
        key_class=row.key_class,
        generation=row.generation,
        retired_at=row.retired_at,
    )


def _current_generation(film_id: int) -> int | None:
    return (
        FilmKey.objects.filter(film_id=film_id, retired_at__isnull=True)
        .exclude(key_class=KeyClass.FILM)
        .aggregate(g=Max("generation"))["g"]
    )


def film_keys_make(*, film_id: int, generation: int) -> dict[str, ContentKey]:
    """A generation of keys (random 16-byte key and key id per class). Safe under concurrent calls: the unique
    (film, class, generation) constraint lets one writer win, and everyone reads the winner's keys."""
    try:
        with transaction.atomic():
            FilmKey.objects.bulk_create(
                FilmKey(
                    film_id=film_id,
                    key_class=key_class,
                    generation=generation,
                    kid=secrets.token_bytes(16).hex(),
                    key_sealed=seal(secrets.token_bytes(16)),
                )
                for key_class in CLASSES
            )
    except IntegrityError:
        pass
    return {row.key_class: _load(row) for row in FilmKey.objects.filter(film_id=film_id, generation=generation)}


def film_keys_ensure(*, film_id: int) -> dict[str, ContentKey]:
    """The film's current generation of keys by class (what new packaging uses), made the first time."""
    generation = _current_generation(film_id)
    if generation is None:
        latest = FilmKey.objects.filter(film_id=film_id).aggregate(g=Max("generation"))["g"] or 0
        generation = latest + 1
    return film_keys_make(film_id=film_id, generation=generation)


def film_keys_current(*, film_id: int) -> dict[str, ContentKey]:
    """The current (newest, not retired) generation by class; empty when the film has none."""
    generation = _current_generation(film_id)
    if generation is None:
        return {}
    rows = FilmKey.objects.filter(film_id=film_id, generation=generation, retired_at__isnull=True)
    return {row.key_class: _load(row) for row in rows}


def film_kids_current(*, film_id: int) -> frozenset[str]:
    """The key ids (hex) media of this film may be served with: every generation not retired. No key is opened."""
    rows = FilmKey.objects.filter(film_id=film_id, retired_at__isnull=True).exclude(key_class=KeyClass.FILM)
    return frozenset(rows.values_list("kid", flat=True))


def film_key_by_kid(*, film_id: int, kid_hex: str) -> ContentKey | None:
    """A key of this film by id, current or retired (a retired key lives until purged: a player holding a
    playlist from before the rotation may still ask for it)."""
    row = FilmKey.objects.filter(film_id=film_id, kid=(kid_hex or "").lower()[:32]).first()
    return _load(row) if row else None


def film_keys_media_set(*, film_id: int, kids: set[str], prefix: str) -> None:
    """Packaging has stored media under `prefix` with the keys `kids` (one generation): record it, and retire every
    older generation still current (its media is replaced; purge deletes both once no token can need them)."""
    used = FilmKey.objects.filter(film_id=film_id, kid__in=kids)
    generation = used.aggregate(g=Max("generation"))["g"]
    if generation is None:
        return
    FilmKey.objects.filter(film_id=film_id, generation=generation).update(media_prefix=prefix)
    FilmKey.objects.filter(film_id=film_id, generation__lt=generation, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )


def film_keys_all(*, film_id: int | None = None) -> list[ContentKey]:
    rows = FilmKey.objects.order_by("film_id", "-generation", "key_class")
    if film_id is not None:
        rows = rows.filter(film_id=film_id)
    return [_load(row) for row in rows]
